#!/usr/bin/env bash
# Runs the benchmark on a GPU machine that has no Node and no registry (the H100/H200 of the device
# tool). bench/gpu-kit.sh packs what it needs here into call folders KIT/1, KIT/2, ... (base.tar.xz:
# engines, koffi, dawn.node and bun-webgpu's linux files, wgpu-py's wheels, the Vulkan loader .debs;
# node.xz, deno.xz, bun.xz; wgpu-ts.tar.gz: package.json, dist, build/native, the bench files).
# Usage there: bash gpu-run.sh KIT OUT [setup | fuzz [options of test/fuzz/run-many.mjs] | extra env for run.ts...]
# Each call unpacks the pieces its folder brings (once each: a re-packed piece is unpacked again)
# into /tmp/wgpu-ts-bench, which stays while the machine stays warm; `setup` stops there, otherwise
# the benchmark runs once every piece has arrived. BENCH_TAG defaults to the GPU's name (h100, h200).
# To try a kit elsewhere: GPU_RUN_DIR=/some/dir GPU_RUN_SYSTEM=0 (no .debs into /, no wgpu-py).
set -euo pipefail
KIT=$(readlink -m "$1") # -m: a folder not carried this call (everything unpacked before) is fine
OUT=$2
W=${GPU_RUN_DIR:-/tmp/wgpu-ts-bench}
system=${GPU_RUN_SYSTEM:-1}
mkdir -p "$W/.unpacked"
cd "$W"
peers=bench/peers/node_modules

for f in "$KIT"/*; do
  [ -f "$f" ] || continue
  name=$(basename "$f")
  stamp=.unpacked/$name.$(md5sum <"$f" | cut -c1-16)
  [ -e "$stamp" ] && continue
  case $name in
    wgpu-ts.tar.gz) rm -rf dist build/native base && tar xzf "$f" ;; # a rebuilt dist replaces the old one whole
    *.tar.xz) tar xJf "$f" ;;
    node.xz) xz -dc "$f" >node && chmod +x node ;;
    deno.xz)
      mkdir -p $peers/deno $peers/.bin
      xz -dc "$f" >$peers/deno/deno && chmod +x $peers/deno/deno && ln -sf ../deno/deno $peers/.bin/deno ;;
    bun.xz)
      mkdir -p $peers/bun/bin $peers/.bin
      xz -dc "$f" >$peers/bun/bin/bun.exe && chmod +x $peers/bun/bin/bun.exe && ln -sf ../bun/bin/bun.exe $peers/.bin/bun ;;
    *) continue ;;
  esac
  touch "$stamp"
  echo "gpu-run: unpacked $name"
done

# Once per machine, as soon as their files are there: the Vulkan/GL loaders (the image has none) and wgpu-py.
if [ "$system" = 1 ] && [ -d gl ] && [ ! -e .unpacked/gl-installed ]; then
  for f in gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
  touch .unpacked/gl-installed
fi
if [ "$system" = 1 ] && [ -d whl ] && [ ! -e .unpacked/whl-installed ]; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site whl/*.whl
  mkdir -p bench/.venv/bin && ln -sf "$(command -v python3)" bench/.venv/bin/python
  touch .unpacked/whl-installed
fi

export PYTHONPATH=/tmp/site
export VK_DRIVER_FILES=${VK_DRIVER_FILES:-/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json}
export __EGL_VENDOR_LIBRARY_FILENAMES=${__EGL_VENDOR_LIBRARY_FILENAMES:-/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json}
gpu=$(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null | head -1 || true)
echo "gpu-run: ${gpu:-no nvidia-smi}; unpacked so far: $(ls .unpacked | sed -E 's/\.[0-9a-f]{16}$//' | tr '\n' ' ')"
[ "${3:-}" = setup ] && exit 0

missing=""
need="node dist bench/run.ts vendor/engines/wgpu-native $peers/.bin/deno $peers/.bin/bun"
[ "$system" = 1 ] && need="$need /tmp/site/wgpu .unpacked/gl-installed"
for p in $need; do
  [ -e "$p" ] || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "gpu-run: missing:$missing (the machine went back between calls? send every call folder again)" >&2
  exit 3
fi

# `fuzz [run-many options]`: long fuzz runs of both engines on this GPU (test/fuzz/run-many.mjs).
if [ "${3:-}" = fuzz ]; then
  set -o pipefail
  ./node test/fuzz/run-many.mjs --fixture fuzz/fuzz-api.mjs --out "$OUT/fuzz" "${@:4}" 2>&1 | tee "$OUT/fuzz.log"
  exit
fi

tag=$(echo "$gpu" | awk '{print tolower($2)}' | tr -cd 'a-z0-9')
cat kit-info.txt 2>/dev/null | tee "$OUT/bench.log"
# Where wgpu-ts's time to first device goes, for the notes.
./node --cpu-prof --cpu-prof-dir="$OUT" --cpu-prof-name=startup.cpuprofile bench/runner.mjs wgpu-ts '{}' startup || true
set -o pipefail
# A base build in the kit (gpu-kit.sh KIT_BASE) is a column of its own.
[ -d base/dist ] && export BENCH_BASE=$W/base
env BENCH_TAG="${tag:-gpu}" "${@:3}" ./node bench/run.ts 2>&1 | tee -a "$OUT/bench.log"
cp bench/results/* "$OUT/"
