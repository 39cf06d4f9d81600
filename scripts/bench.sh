#!/usr/bin/env bash
# Benchmark (not a test): release build time, compressed .wasm/.js sizes, time to the first
# shape summary, forward-pass and training times on each backend in headless Chromium, and
# native training images/s on Burn's CPU backend.
# Writes bench-results/{build,train-native,browser}.json and prints them.
#   BENCH_COLD=1 also times a cold release build (removes the wasm32 release target dir).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh" --test
mkdir -p bench-results
SITE="$NIN_CACHE/site"

if [ "${BENCH_COLD:-0}" = 1 ]; then rm -rf "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release"; fi
touch src/lib.rs   # at least this crate is rebuilt, as after an edit
step "trunk build --release (timed)"
start=$(date +%s%N)
trunk build --release --public-url /nin/ --dist "$SITE"
build_ms=$(( ($(date +%s%N) - start) / 1000000 ))
printf '{ "release_build_ms": %d, "cold": %s, "cores": %s }\n' "$build_ms" "$([ "${BENCH_COLD:-0}" = 1 ] && echo true || echo false)" "$(nproc)" | tee bench-results/build.json

step "native training speed and data decode (cargo run --release --example bench_train)"
# BENCH_WGPU=1 adds Burn's wgpu backend natively (needs a Vulkan driver, e.g. Debian's
# mesa-vulkan-drivers for lavapipe; the first build of wgpu takes ~30 min on 2 cores).
if [ "${BENCH_WGPU:-0}" = 1 ]; then
  cargo run --locked --release --features native-wgpu --example bench_train -- bench-results/train-native.json
else
  cargo run --locked --release --example bench_train -- bench-results/train-native.json
fi

step "browser timings (headless Chromium)"
cd tests/browser
SITE_DIR="$SITE" BASE_PATH=/nin/ BENCH_OUT=../../bench-results/browser.json node bench.mjs
