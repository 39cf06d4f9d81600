#!/usr/bin/env bash
# Quick start 1: set everything up, then serve the app with `trunk serve` at http://127.0.0.1:8080/
# (release build: Burn's CPU fallback is far too slow in a debug wasm build).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
step "trunk serve --release"
exec trunk serve --release "$@"
