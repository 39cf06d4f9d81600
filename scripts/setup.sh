#!/usr/bin/env bash
# Installs everything the app and its tests need, skipping what is already there:
# the wasm32 target, trunk, wasm-bindgen-cli at the Cargo.lock version, Chromium and the
# Fashion-MNIST files from Debian, the crates, and (with --test) the other engines the tests
# drive through WebDriver (Debian's firefox-esr and WebKitGTK's driver, Xvfb, Mesa's software
# Vulkan for Firefox's WebGPU; geckodriver from crates.io) and the browser-test npm packages.
# Source it or run it; it downloads only from crates.io, npm and Debian.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Build outputs and tools live outside the checkout, so CI can cache them between runs.
export NIN_CACHE="${NIN_CACHE:-$HOME/.cache/nin-companion}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$NIN_CACHE/target}"
mkdir -p "$NIN_CACHE"
export PATH="$HOME/.cargo/bin:$PATH"
TRUNK_VERSION=0.21.14
GECKODRIVER_VERSION=0.37.1
TESTING=0; [ "${1:-}" = "--test" ] && TESTING=1
WBG_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
DATA_SRC="${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}"
DATA_DST="$ROOT/www/data/fashion-mnist"
FILES=(train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz)

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else echo "setup: need root (or sudo) for: $*" >&2; return 1; fi
}

step "Rust target wasm32-unknown-unknown"
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
if [ "$TESTING" = 1 ]; then
  step "rustfmt and clippy (the tests check format and lints)"
  for c in rustfmt clippy; do rustup component list --installed | grep -q "^$c" || rustup component add "$c"; done
fi

# The two tool installs compile for many minutes each: run them side by side (2 cores).
installs=()
step "trunk $TRUNK_VERSION"
if trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION\$"; then echo "present"; else
  # 0.21.x: 0.22 needs a newer rustc. No update check, no native TLS.
  cargo install --locked "trunk@$TRUNK_VERSION" --no-default-features --features rustls &
  installs+=($!)
fi

step "wasm-bindgen-cli $WBG_VERSION (= Cargo.lock)"
if wasm-bindgen --version 2>/dev/null | grep -q " $WBG_VERSION\$"; then echo "present"; else
  # Not --locked: its lock file pins webpki-roots 1.0.11, which crates.io no longer serves.
  cargo install "wasm-bindgen-cli@$WBG_VERSION" &
  installs+=($!)
fi

if [ "$TESTING" = 1 ]; then
  step "geckodriver $GECKODRIVER_VERSION (drives Firefox in the tests)"
  if geckodriver --version 2>/dev/null | grep -q "^geckodriver $GECKODRIVER_VERSION\b"; then echo "present"; else
    cargo install --locked "geckodriver@$GECKODRIVER_VERSION" &
    installs+=($!)
  fi
fi

step "Debian packages: chromium, dataset-fashion-mnist (tests: firefox-esr, WebKitGTK's driver, xvfb, mesa-vulkan-drivers)"
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ "$TESTING" = 1 ]; then
  [ -x /usr/bin/firefox-esr ] || missing+=(firefox-esr)
  [ -x /usr/bin/WebKitWebDriver ] || missing+=(webkit2gtk-driver)
  command -v xvfb-run >/dev/null || missing+=(xvfb xauth)
  [ -e /usr/share/vulkan/icd.d/lvp_icd.x86_64.json ] || missing+=(mesa-vulkan-drivers)
fi
if [ ! -d "$DATA_SRC" ] && [ -z "${FASHION_MNIST_DIR:-}" ]; then missing+=(dataset-fashion-mnist); fi
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null; then
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "setup: not a Debian system; install Chromium and download Fashion-MNIST (see README), then set FASHION_MNIST_DIR" >&2
    exit 1
  fi
else echo "present"; fi

step "Fashion-MNIST as the site serves it: shards + manifest in www/data (never committed)"
# make-shards (crates/nin-data, no Burn: compiles in seconds) cuts the four IDX files into
# gzipped, checksummed shards of 2,500 images; a run fetches only the shards it needs.
if [ ! -s "$DATA_DST/manifest.json" ]; then
  for f in "${FILES[@]}"; do
    [ -s "$DATA_SRC/$f" ] || { echo "setup: $DATA_SRC/$f is missing (see README: Fashion-MNIST)" >&2; exit 1; }
  done
  rm -rf "$DATA_DST" && mkdir -p "$DATA_DST"
  cargo run --locked --release -q -p nin-data --bin make-shards -- "$DATA_SRC" "$DATA_DST"
fi
echo "$(ls "$DATA_DST" | wc -l) files in $DATA_DST"

step "wasm-opt (npm binaryen, pinned in scripts/tools; trunk runs the one on PATH)"
if [ ! -x scripts/tools/node_modules/.bin/wasm-opt ]; then
  (cd scripts/tools && npm ci --no-audit --no-fund)
else echo "present"; fi
export PATH="$ROOT/scripts/tools/node_modules/.bin:$PATH"
wasm-opt --version

step "crates (cargo fetch)"
cargo fetch --locked

if [ ${#installs[@]} -gt 0 ]; then
  step "waiting for the tool installs"
  for pid in "${installs[@]}"; do wait "$pid"; done
fi

if [ "$TESTING" = 1 ]; then
  step "browser-test packages (npm ci; playwright-core drives /usr/bin/chromium, selenium-webdriver the others; no browser download)"
  if [ ! -d tests/browser/node_modules/selenium-webdriver ] || [ ! -d tests/browser/node_modules/axe-core ]; then
    (cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  else echo "present"; fi
fi
