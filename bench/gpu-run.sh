#!/usr/bin/env bash
# Runs the benchmark on a GPU machine that has no Node and no registry (the H100 of the device
# tool). bench/gpu-kit.sh packs what it needs here into a folder KIT: part1.tgz (wgpu-ts's dist,
# build/native, the engine, koffi, the bench, dawn.node and bun-webgpu's platform files, wgpu-py's
# wheels, the Vulkan loader .debs), node.xz, and optionally deno.xz and bun.xz.
# Usage there: bash gpu-run.sh KIT OUT [setup | extra env for run.ts...]
# (each call may bring more of the kit: the set-up keeps what the last call unpacked while the machine stays warm)
set -euo pipefail
KIT=$(readlink -f "$1")
OUT=$2
W=/tmp/wgpu-ts-bench
mkdir -p "$W"
cd "$W"
if [ ! -x node ]; then
  tar xzf "$KIT/part1.tgz"
  xz -dc "$KIT/node.xz" > node && chmod +x node
  for f in gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site whl/*.whl
  mkdir -p bench/.venv/bin && ln -sf "$(command -v python3)" bench/.venv/bin/python
fi
mkdir -p bench/peers/node_modules/.bin bench/peers/node_modules/deno bench/peers/node_modules/bun/bin
for p in deno bun; do
  if [ -f "$KIT/$p.xz" ] && [ ! -x "bench/peers/node_modules/.bin/$p" ]; then
    target=$([ $p = deno ] && echo bench/peers/node_modules/deno/deno || echo bench/peers/node_modules/bun/bin/bun.exe)
    xz -dc "$KIT/$p.xz" > "$target" && chmod +x "$target"
    ln -sf "$(readlink -f "$target")" "bench/peers/node_modules/.bin/$p"
  fi
done
export PYTHONPATH=/tmp/site
export VK_DRIVER_FILES=${VK_DRIVER_FILES:-/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json}
export __EGL_VENDOR_LIBRARY_FILENAMES=${__EGL_VENDOR_LIBRARY_FILENAMES:-/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json}
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader || true
[ "${3:-}" = setup ] && exit 0
# Where wgpu-ts's time to first device goes, for the notes.
./node --cpu-prof --cpu-prof-dir="$OUT" --cpu-prof-name=startup.cpuprofile bench/runner.mjs wgpu-ts '{}' startup || true
set -o pipefail
env "${@:3}" ./node bench/run.ts 2>&1 | tee "$OUT/bench.log"
cp bench/results/* "$OUT/"
