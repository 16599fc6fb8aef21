#!/usr/bin/env bash
# Packs, here, what bench/gpu-run.sh needs to run `npm run bench` on a GPU machine that has no Node
# and no registry (the device tool's H100/H200), split into call folders that each travel in one
# device call (a call carries at most 64 MiB, working tree included).
#
# Usage: bash bench/gpu-kit.sh [KIT]          packs everything (default KIT: .kit at the repo root,
#                                             ignored through .git/info/exclude: `echo /.kit/ >>.git/info/exclude`)
#        bash bench/gpu-kit.sh [KIT] small    re-packs only the small piece (dist, build/native, the
#                                             bench files), e.g. after a rebuild; the rest is kept
# Needs here: `npm run build` and `npm run build:native` done, bench/setup.sh's peers installed, and
# the network for pip and apt-get (wheels and .debs are downloaded once into KIT/stage).
#
# Pieces (KIT/stage, reused while newer than their sources):
#   base.tar.xz     engines (wgpu-native, Dawn), koffi + its linux-x64 binary and the other packages
#                   dist imports, dawn.node (linux-x64 only), bun-webgpu + its linux-x64 library,
#                   wgpu-py's wheels for Python 3.12 (whl/), the Vulkan loader and glvnd .debs (gl/)
#   node.xz, deno.xz, bun.xz   the runtimes (Node from node_modules/node: run.ts runs under it)
#   wgpu-ts.tar.gz  package.json (dist finds its root by it), dist/, build/native/, the bench files,
#                   kit-info.txt (commit and date); always in the last call folder
# Call folders KIT/1, KIT/2, ...: the pieces, first fit, each under the per-call limit. Then, on a
# machine kept warm between calls (gpu-run.sh keeps what a call unpacked under /tmp):
#   run(carry=[".kit/1"], "bash bench/gpu-run.sh .kit/1 $OUT setup"), then .kit/2 likewise, and the
#   last: run(carry=[".kit/N"], "bash bench/gpu-run.sh .kit/N $OUT BENCH_DIRECT=1")
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
KIT=$(mkdir -p "${1:-.kit}" && cd "${1:-.kit}" && pwd)
mode=${2:-all}
S=$KIT/stage
mkdir -p "$S"
peers=bench/peers/node_modules
MiB=$((1024 * 1024))

[ -f dist/index.js ] || { echo "gpu-kit: dist/ is missing: run npm run build" >&2; exit 1; }
[ -f build/native/libwgpu_ts_replay.so ] || echo "gpu-kit: build/native/libwgpu_ts_replay.so is missing: wgpu-ts will run on its direct path" >&2

# A piece is rebuilt when missing or older than any of its sources.
stale() { local out=$1; shift; [ ! -s "$out" ] || [ -n "$(find "$@" -newer "$out" -print -quit 2>/dev/null)" ]; }
# CPU-heavy steps run one at a time, at the lowest priority (the machine is shared).
squeeze() { nice -n 19 xz -9 -T1 "$@"; }

# The small piece: what a rebuild changes.
git log -1 --format='kit: commit %h %cI %s' >"$S/kit-info.txt" 2>/dev/null || echo "kit: commit n/a" >"$S/kit-info.txt"
changed=$(git status --porcelain --untracked-files=no 2>/dev/null | cut -c4- | tr '\n' ' ')
[ -z "$changed" ] || echo "kit: uncommitted changes to: $changed" >>"$S/kit-info.txt"
echo "kit: packed $(date -u +%FT%TZ) from $root" >>"$S/kit-info.txt"
bench_files=$(ls bench/*.ts bench/*.mjs bench/*.mts bench/*.py bench/profile.sh bench/peers/package.json 2>/dev/null)
# The fuzz fixture as one file (fast-check and src/ inside; --keep-names: its checks read method
# names), for `gpu-run.sh KIT OUT fuzz`: the GPU machine has no tsx.
mkdir -p "$S/fuzz"
npx esbuild test/fixtures/fuzz-api.ts --bundle --keep-names --platform=node --format=esm --target=node20 \
  --external:koffi --external:pngjs --log-level=warning --outfile="$S/fuzz/fuzz-api.mjs" \
  --banner:js="import { createRequire as kitRequire } from 'node:module'; const require = kitRequire(import.meta.url);"
# KIT_BASE=dir: another build of wgpu-ts (its package.json, dist/, build/native/) travels as base/,
# and gpu-run.sh benchmarks it beside this one (BENCH_BASE: before/after in one run).
rm -rf "$S/base"
if [ -n "${KIT_BASE:-}" ]; then
  mkdir -p "$S/base/build"
  cp -a "$KIT_BASE/package.json" "$KIT_BASE/dist" "$S/base/" && cp -a "$KIT_BASE/build/native" "$S/base/build/"
  echo "kit: base build $(git -C "$KIT_BASE" log -1 --format='%h %s' 2>/dev/null | cut -c1-100)" >>"$S/kit-info.txt"
fi
tar czf "$S/wgpu-ts.tar.gz" package.json dist $( [ -d build/native ] && echo build/native ) $bench_files \
  test/fuzz/run-many.mjs -C "$S" kit-info.txt fuzz $( [ -d "$S/base" ] && echo base )

if [ "$mode" != small ]; then
  # Python wheels and Vulkan/GL loader packages for the GPU machine (Python 3.12, Ubuntu x86-64).
  if [ ! -f "$S/whl/.done" ]; then
    mkdir -p "$S/whl"
    python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
      --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 --platform manylinux_2_17_x86_64 \
      --platform manylinux2014_x86_64 --platform manylinux1_x86_64 -d "$S/whl" \
      wgpu==0.32.0 cffi==2.1.1 pycparser==3.12 rendercanvas==2.7.2 # wgpu's Requires-Dist (numpy is there)
    touch "$S/whl/.done"
  fi
  if [ ! -f "$S/gl/.done" ]; then
    mkdir -p "$S/gl" /tmp/amd64/partial
    o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
    apt-get $o update >/dev/null
    (cd "$S/gl" && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2 2>/dev/null)
    touch "$S/gl/.done"
  fi

  # The packages dist imports by name (koffi, pngjs, ...), found in the built files themselves.
  # (import/from "x", require("x"), and createRequire(...)("x") as pngjs is loaded)
  deps=$(grep -rhoE "(from |import\(|require\(|\)\()[\"'][^\"'./][^\"']*[\"']" dist --include='*.js' |
    sed -E "s/.*[\"']([^\"']+)[\"']/\1/" | grep -v '^node:' | sed -E 's#^((@[^/]+/)?[^/]+).*#\1#' | sort -u)
  mods=""
  for d in $deps; do
    if [ -d "node_modules/$d" ]; then mods="$mods node_modules/$d"
    else echo "gpu-kit: warning: dist names '$d', which node_modules lacks (left out)" >&2; fi
  done
  mods="$mods node_modules/@koromix/koffi-linux-x64" # koffi's native binary for this platform
  base_src="vendor/engines/wgpu-native vendor/engines/dawn $mods $peers/webgpu $peers/debug $peers/ms
    $peers/bun-webgpu $peers/bun-webgpu-linux-x64"
  for p in $base_src; do [ -e "$p" ] || { echo "gpu-kit: $p is missing (bench/setup.sh installs the peers)" >&2; exit 1; }; done
  if stale "$S/base.tar.xz" $base_src "$S/whl" "$S/gl"; then
    echo "gpu-kit: packing base.tar.xz"
    # dawn.node ships every platform's binary; only linux-x64 travels.
    tar cf - --exclude="$peers/webgpu/dist/[dw]*" --exclude="$peers/webgpu/dist/linux-arm64" \
      --exclude='*.md' --exclude=.done $base_src -C "$S" whl gl | squeeze >"$S/base.tar.xz.tmp"
    mv "$S/base.tar.xz.tmp" "$S/base.tar.xz"
  fi
  for p in node_modules/node/bin/node:node $peers/deno/deno:deno $peers/bun/bin/bun.exe:bun; do
    src=${p%%:*} name=${p##*:}
    [ -x "$src" ] || { echo "gpu-kit: $src is missing" >&2; exit 1; }
    if stale "$S/$name.xz" "$src"; then
      echo "gpu-kit: packing $name.xz"
      squeeze -c "$src" >"$S/$name.xz.tmp" && mv "$S/$name.xz.tmp" "$S/$name.xz"
    fi
  done
fi

# Per call: 64 MiB less the working tree that travels with it (tracked and untracked, not ignored)
# and a margin for files that appear in it meanwhile.
tree=$(git ls-files -z -co --exclude-standard | xargs -0 stat -c %s 2>/dev/null | awk '{s += $1} END {print s + 0}')
limit=$((64 * MiB - tree - 2 * MiB))
size() { stat -c %s "$1"; }

# First fit, big pieces first, into call folders; the small piece goes into the last one.
rm -rf "$KIT"/[0-9]*
n=0
declare -a used=()
for piece in $(for f in base.tar.xz node.xz deno.xz bun.xz; do [ -f "$S/$f" ] && echo "$(size "$S/$f") $f"; done | sort -rn | cut -d' ' -f2); do
  s=$(size "$S/$piece") placed=""
  [ "$s" -le "$limit" ] || { echo "gpu-kit: $piece ($((s / MiB)) MiB) is over the per-call limit" >&2; exit 1; }
  for ((i = 1; i <= n; i++)); do
    if [ $((used[i] + s)) -le "$limit" ]; then placed=$i; break; fi
  done
  if [ -z "$placed" ]; then n=$((n + 1)); placed=$n; used[n]=0; mkdir -p "$KIT/$n"; fi
  ln "$S/$piece" "$KIT/$placed/$piece"
  used[placed]=$((used[placed] + s))
done
small=$(size "$S/wgpu-ts.tar.gz")
if [ "$n" -eq 0 ] || [ $((used[n] + small)) -gt "$limit" ]; then n=$((n + 1)); used[n]=0; mkdir -p "$KIT/$n"; fi
ln "$S/wgpu-ts.tar.gz" "$KIT/$n/wgpu-ts.tar.gz"
used[n]=$((used[n] + small))

rel=${KIT#"$root"/}
echo "gpu-kit: $n call folders (limit $((limit / MiB)) MiB each; working tree $((tree / 1024)) KiB):"
for ((i = 1; i <= n; i++)); do
  echo "  $rel/$i: $(ls "$KIT/$i" | tr '\n' ' ')($((used[i] / MiB)) MiB)"
done
echo "gpu-kit: on a machine kept warm, call i carries [\"$rel/i\"] and runs: bash bench/gpu-run.sh $rel/i \$OUT setup"
echo "gpu-kit: the last call runs: bash bench/gpu-run.sh $rel/$n \$OUT BENCH_DIRECT=1"
