#!/usr/bin/env bash
# Fuzzing (not a test, not in CI: too slow): every target in fuzz/ for a fixed number of runs,
# from its committed seed corpus (fuzz/corpus/<target>). Needs a nightly toolchain (rustup
# installs it) and cargo-fuzz (crates.io); this script installs both if missing.
#   FUZZ_RUNS   runs per target (default 1,000,000)
#   FUZZ_SECS   time per target for `weights`, which loads a whole model per run (default 900)
#   FUZZ_CAP    the most seconds any other target runs before FUZZ_RUNS is reached (default 1200)
# Writes fuzz/results.txt: per target the runs made, the time, and whether it found a crash
# (libFuzzer saves a crashing input under fuzz/artifacts/<target>/ and stops there).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
RUNS="${FUZZ_RUNS:-1000000}"
SECS="${FUZZ_SECS:-900}"
CAP="${FUZZ_CAP:-1200}"
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
cargo fuzz --version >/dev/null 2>&1 || cargo install --locked cargo-fuzz
export CARGO_TARGET_DIR="${NIN_CACHE:-$HOME/.cache/nin-companion}/fuzz-target"
out=fuzz/results.txt
echo "# scripts/fuzz.sh, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores" > "$out"
for target in shards share_link saved_state sketch model_code weights; do
  mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
  # A scratch copy of the corpus: new inputs libFuzzer finds are not committed by accident.
  work="$(mktemp -d)"; cp -r "fuzz/corpus/$target/." "$work/"
  if [ "$target" = weights ]; then limit=(-max_total_time="$SECS"); else limit=(-runs="$RUNS" -max_total_time="$CAP"); fi
  start=$(date +%s)
  set +e
  cargo +nightly fuzz run --fuzz-dir fuzz "$target" "$work" -- "${limit[@]}" -max_len=65536 -artifact_prefix="fuzz/artifacts/$target/" 2> "fuzz/artifacts/$target/log.txt"
  status=$?
  set -e
  secs=$(( $(date +%s) - start ))
  done_runs=$(grep -oE '#[0-9]+' "fuzz/artifacts/$target/log.txt" | tail -n 1 | tr -d '#')
  verdict=$([ $status = 0 ] && echo "no crash" || echo "CRASH (see fuzz/artifacts/$target/)")
  echo "$target: ${done_runs:-0} runs in ${secs} s: $verdict" | tee -a "$out"
  rm -rf "$work"
done
