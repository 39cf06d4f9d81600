#!/usr/bin/env bash
# Quick start 2: set everything up, then run every test:
#   1. native `cargo test` (model, analysis, engine on Burn's CPU backend),
#   2. the release site built for the sub-path /nin/, as GitHub Pages serves it,
#   3. headless-Chromium tests against that site, with and without WebGPU,
#   4. the core journey in Firefox ESR and WebKitGTK through WebDriver (under Xvfb).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh" --test

step "native tests (cargo test), with the wasm release build compiling beside them"
# Two independent compiles of Burn (native, wasm32) share the 2 cores better than in turn.
# The same three builds trunk makes next (the page's module; the GPU module with `gpu`; the
# page's relaxed-SIMD module, scripts/relaxed_module.mjs), so its own cargo calls find them done.
WASM_LOG="$NIN_CACHE/wasm-build.log"
( cargo build --locked --release --target wasm32-unknown-unknown --bin nin-companion &&
  cargo build --locked --release --target wasm32-unknown-unknown --features gpu --bin nin-gpu &&
  node scripts/relaxed_module.mjs cargo ) >"$WASM_LOG" 2>&1 &
wasm_build=$!
cargo test --locked --workspace
wait "$wasm_build" || { tail -n 50 "$WASM_LOG"; exit 1; }

step "format and lints: cargo fmt --check, clippy -D warnings (native, and the page's wasm32 code)"
cargo fmt --all --check
cargo clippy --locked --workspace --all-targets -- -D warnings
cargo clippy --locked --target wasm32-unknown-unknown --lib --bins -- -D warnings
# No import circles between files (a copy of the team's shared/tools/rust_cycles.py).
circles="$(python3 scripts/rust_cycles.py src)"
echo "$circles"
[ "$(tail -n 1 <<<"$circles")" = "0 circles" ] || { echo "import circles between files (see above)" >&2; exit 1; }

step "release site for /nin/ (trunk build)"
SITE="$NIN_CACHE/site"
trunk build --release --public-url /nin/ --dist "$SITE"

step "browser tests (headless Chromium; Firefox and WebKitGTK through WebDriver)"
cd tests/browser
# xvfb-run gives WebKitGTK's MiniBrowser a display; Chromium and Firefox run headless anyway.
SITE_DIR="$SITE" BASE_PATH=/nin/ xvfb-run -a -s "-screen 0 1280x1024x24" node --test --test-concurrency=1 ./*.test.mjs
