#!/usr/bin/env bash
# Benchmark (issue 31): f32 C = A*B on wasm32 in headless Chromium, one thread, GFLOP/s per shape
# (NiN's convolutions as matrix products at 96 px, batch 32, and one odd-sized product for the
# edge tiles), for gemm 0.19 with each kernel set in TILES, strict and relaxed SIMD,
# matrixmultiply 0.3.11, a "peak" probe (12 independent f32x4 multiply-add chains: the core's
# ceiling in wasm) and the app's 8x4 kernel alone. Variants are interleaved per shape; each result
# is checked against a JS reference. Writes $OUT (default bench-results/wasm_gemm.json at the
# repository root) and prints a line per variant and shape.
#   TILES="x3x4 hand x2x4" REPS=11 bench/wasm-gemm/run.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/../.."
out="${OUT:-$root/bench-results/wasm_gemm.json}"
target="${NIN_CACHE:-$HOME/.cache/nin-companion}/wasm-gemm-target"
mkdir -p "$here/wasm" "$(dirname "$out")"
mods=()
for tile in ${TILES:-x3x4 hand}; do
  # hand: the app's kernels (8x4, full tile written by hand); x2x4: gemm's own 8x4 kernel;
  # x3x4: gemm's 12x4, the release before issue 31.
  case "$tile" in
    hand) feature="" ;;
    *) feature="macro_$tile" ;;
  esac
  for simd in strict relaxed; do
    flags="-C target-feature=+simd128"; [ "$simd" = relaxed ] && flags="$flags,+relaxed-simd"
    (cd "$here" && CARGO_TARGET_DIR="$target/$simd" RUSTFLAGS="$flags" cargo build --locked --offline --release \
      --target wasm32-unknown-unknown ${feature:+--features $feature})
    cp "$target/$simd/wasm32-unknown-unknown/release/wasm_gemm_bench.wasm" "$here/wasm/$tile-$simd.wasm"
    libs=gemm; [ "$tile" = x3x4 ] && libs=gemm,mm,peak; [ "$tile" = hand ] && libs=gemm,kernel
    mods+=("$tile-$simd.wasm:$libs")
  done
done
cd "$here" && node chromium_run.cjs "$out" "${mods[@]}"
