#!/usr/bin/env bash
# Where a workload's time goes, per peer: runs one workload of bench/workloads.mjs under Linux
# `perf` and prints, for the thread that calls the API (the process's main thread), the share of
# samples per library (engine, Vulkan driver, JS runtime, kernel, libc), plus the other threads
# (the driver's queue and rasterizer threads on lavapipe, which run the GPU work). It is the evidence behind the closing notes'
# "what limits it".
#
#   bash bench/profile.sh <workload> [peer ...]      e.g.  bash bench/profile.sh draw wgpu-ts bun
#   bash bench/profile.sh --phases <split> [peer ...]  the workload's time phase by phase instead
#                                                      (bench/phases.mjs: draw, renderLoop, roundTrip,
#                                                      readback, writeChunks, matmulReps, startup); no perf
#
# Peers: wgpu-ts, wgpu-ts-direct, wgpu-ts-dawn, dawn.node, deno, bun, wgpu-py (installed by
# bench/setup.sh). BENCH_RUNS (default 30) timed runs follow one warm-up, so that the workload, not
# the process start, fills the profile. Needs `perf` (Debian: linux-perf) and perf_event_paranoid <= 2.
set -euo pipefail
cd "$(dirname "$0")"
mode=perf
if [ "${1:-}" = --phases ]; then mode=phases; shift; fi
workload=${1:?usage: bench/profile.sh [--phases] <workload> [peer ...]}
shift
peers=("${@:-wgpu-ts}")
# The project's Node (npm's `node` package), as `npm run bench` uses: Node 20 copies mapped ranges.
# BENCH_NODE names another (the GPU machine's unpacked kit has no node_modules/.bin).
node=${BENCH_NODE:-node}
[ -z "${BENCH_NODE:-}" ] && [ -x ../node_modules/.bin/node ] && node=$(cd .. && pwd)/node_modules/.bin/node
prof=(--perf-basic-prof)
[ $mode = perf ] || prof=()
[ $mode = phases ] || command -v perf >/dev/null || { echo "bench/profile.sh: needs perf (apt-get install linux-perf)" >&2; exit 1; }
sizes=$("$node" -e "import('./workloads.mjs').then(m => console.log(JSON.stringify({ ...m.defaultSizes(false), runs: Number(process.env.BENCH_RUNS ?? 30) })))")
out=$(mktemp -d)
for peer in "${peers[@]}"; do
  case $peer in
    wgpu-ts) cmd=(env WGPU_ENGINE=wgpu-native "$node" "${prof[@]}" runner.mjs wgpu-ts) ;;
    wgpu-ts-direct) cmd=(env WGPU_ENGINE=wgpu-native WGPU_TS_REPLAY=0 "$node" "${prof[@]}" runner.mjs wgpu-ts) ;;
    wgpu-ts-dawn) cmd=(env WGPU_ENGINE=dawn "$node" "${prof[@]}" runner.mjs wgpu-ts-dawn) ;;
    dawn.node) cmd=("$node" "${prof[@]}" runner.mjs dawn.node) ;;
    deno) cmd=(peers/node_modules/.bin/deno run -A runner.mjs deno) ;;
    bun) cmd=(peers/node_modules/.bin/bun runner.mjs bun) ;;
    wgpu-py) cmd=(.venv/bin/python workloads.py) ;;
    *) echo "bench/profile.sh: unknown peer $peer" >&2; exit 1 ;;
  esac
  if [ $mode = phases ]; then
    [ "$peer" != wgpu-py ] || { echo "== wgpu-py: no phase splits (bench/phases.mjs is JavaScript)"; continue; }
    phases_sizes=$("$node" -e "import('./workloads.mjs').then(m => console.log(JSON.stringify({ ...m.defaultSizes(false), runs: Number(process.env.BENCH_RUNS ?? 9) })))")
    line=$("${cmd[@]}" "$phases_sizes" "phases.$workload" 2>/dev/null | grep '^@@{"workload"' | head -1 || true)
    echo "${line#@@}" | "$node" -e "
      const r = JSON.parse(require('fs').readFileSync(0, 'utf8') || '{}');
      const split = r.phases ? Object.entries(r.phases).map(([k, v]) => k + ' ' + v.toPrecision(3)).join(', ') : (r.na ?? 'no result');
      console.log('== $peer, $workload' + (r.unit ? ' (' + r.unit + ')' : '') + ': ' + split)"
    continue
  fi
  perf record -q -F 4000 -o "$out/$peer.data" -- "${cmd[@]}" "$sizes" "$workload" >"$out/$peer.out" 2>&1 || true
  median=$(grep -o '"runs":\[[^]]*\]' "$out/$peer.out" | head -1 | "$node" -e "
    const r = JSON.parse(require('fs').readFileSync(0, 'utf8').replace(/^\"runs\":/, '') || '[]').sort((a, b) => a - b);
    console.log(r.length ? r[r.length >> 1].toPrecision(3) : 'n/a')")
  unit=$(grep -o '"unit":"[^"]*"' "$out/$peer.out" | head -1 | cut -d'"' -f4)
  echo "== $peer, $workload: median $median ${unit:-} (whole process sampled at 4 kHz)"
  perf report -i "$out/$peer.data" --no-children --sort pid,dso --stdio -g none 2>/dev/null | "$node" -e "
    // Lines: '  12.34%  tid:comm  dso'. The API's thread is the process's first one (lowest tid);
    // the engine's and driver's threads often carry the process's name too, so tids tell them apart.
    const rows = [];
    for (const line of require('fs').readFileSync(0, 'utf8').split('\\n')) {
      const m = line.match(/^\\s*([\\d.]+)%\\s+(\\d+):(\\S+)\\s+(.+?)\\s*$/);
      if (m) rows.push({ pct: Number(m[1]), tid: Number(m[2]), comm: m[3], dso: m[4].replace(/ tid \\d+/, '') });
    }
    const mainTid = Math.min(...rows.map((r) => r.tid));
    const main = new Map(), other = new Map();
    let mainTotal = 0, otherTotal = 0;
    for (const r of rows) {
      if (r.tid === mainTid) { main.set(r.dso, (main.get(r.dso) ?? 0) + r.pct); mainTotal += r.pct; }
      else { const k = r.comm + ' ' + r.dso; other.set(k, (other.get(k) ?? 0) + r.pct); otherTotal += r.pct; }
    }
    const top = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, 7).map(([k, v]) => k + ' ' + v.toFixed(1) + '%').join(', ');
    console.log('  API thread ' + mainTotal.toFixed(1) + '%: ' + top(main));
    console.log('  other threads ' + otherTotal.toFixed(1) + '% (GPU work on lavapipe, runtime helpers): ' + top(other));"
done
rm -rf "$out"
