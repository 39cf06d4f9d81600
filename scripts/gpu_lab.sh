#!/usr/bin/env bash
# Runs on a lent GPU machine (the `device` tool of this workplace; not a test, not in CI):
# Burn's wgpu backend natively on the machine's GPU through Vulkan.
#   1. training images/s at batch 32/128 and 96/224 px, first-step time, as the web build
#      (no autotune, no fusion: .gpu/plain) and with autotune + fusion (.gpu/tuned);
#   2. the shipped 96 px model fine-tuned at 224 px for the time left (issue 27's second
#      model), tested on the 10,000 test images.
# Expects, carried next to the working tree: .gl/*.deb (the Vulkan and GL loaders, Debian),
# .gpu/{plain,tuned}/{bench_train,train_model}.xz (built here with
#   cargo build --profile train --features native-wgpu[-tuned] --example bench_train --example train_model,
# stripped and xz-compressed), and .gpu/data/fashion-mnist (the manifest, 9 training shards and
# the test shards of www/data/fashion-mnist: what fits the 64 MiB a call may carry).
# Writes everything to $OUT (8 files: what the device tool brings back).
set -uo pipefail
OUT="${OUT:-gpu-out}"; mkdir -p "$OUT"
for f in .gl/*.deb; do dpkg -x "$f" /; done; ldconfig
for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
  if [ -f "$icd" ]; then export VK_DRIVER_FILES="$icd"; break; fi
done
export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
gpu="$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | head -1)"
echo "GPU: $gpu; VK_DRIVER_FILES=${VK_DRIVER_FILES:-none}; $(nproc) cores"
for f in .gpu/*/*.xz; do python3 -c "import lzma,sys; open(sys.argv[1][:-3],'wb').write(lzma.open(sys.argv[1]).read())" "$f"; done
export NIN_SHARDS_DIR=.gpu/data/fashion-mnist NIN_BENCH_TRAIN=22500 BENCH_GPU_ONLY=1 BENCH_WGPU_ALL=1 BENCH_SECS="${BENCH_SECS:-8}" NIN_GPU_NAME="$gpu"
export RUST_BACKTRACE=1
for v in plain tuned; do
  chmod +x .gpu/$v/*
  timeout "${BENCH_TIMEOUT:-170}" .gpu/$v/bench_train "$OUT/bench-$v.json" > "$OUT/bench-$v.log" 2>&1
  echo "bench $v: exit $?"; tail -5 "$OUT/bench-$v.log"
done
# The faster variant at batch 128, 224 px trains the model (plain if tuned failed).
speed() { python3 -c "import json,sys; r=[x for x in json.load(open(sys.argv[1]))['training'] if x['batch']==128 and x['size']==224]; print(r[0]['images_per_s'] if r else 0)" "$1" 2>/dev/null || echo 0; }
p=$(speed "$OUT/bench-plain.json"); t=$(speed "$OUT/bench-tuned.json")
v=$(python3 -c "print('tuned' if float('$t') > float('$p') else 'plain')")
echo "fine-tuning with $v (b128/224: plain $p, tuned $t images/s)"
timeout "${TRAIN_TIMEOUT:-300}" .gpu/$v/train_model "$OUT/model" device=wgpu init=models/nin-book-96px.ninw size=224 batch=64 lr=0.0003 \
  optimizer=adam epochs=3 evals=2 train=20000 val=2500 max_secs="${TRAIN_SECS:-170}" > "$OUT/train.log" 2>&1
echo "train: exit $?"; grep -E "VAL|TEST|half|wrote|starting" "$OUT/train.log" | tail -12
