#!/usr/bin/env bash
# Where a workload's time goes, per peer: runs one workload of bench/workloads.mjs under Linux
# `perf` and prints, for the thread that calls the API (the process's main thread), the share of
# samples per library (engine, Vulkan driver, JS runtime, kernel, libc), plus the other threads
# (the driver's rasterizer threads on lavapipe). It is the evidence behind the closing notes'
# "what limits it".
#
#   bash bench/profile.sh <workload> [peer ...]      e.g.  bash bench/profile.sh draw wgpu-ts bun
#
# Peers: wgpu-ts, wgpu-ts-direct, wgpu-ts-dawn, dawn.node, deno, bun, wgpu-py (installed by
# bench/setup.sh). BENCH_RUNS (default 30) timed runs follow one warm-up, so that the workload, not
# the process start, fills the profile. Needs `perf` (Debian: linux-perf) and perf_event_paranoid <= 2.
set -euo pipefail
cd "$(dirname "$0")"
workload=${1:?usage: bench/profile.sh <workload> [peer ...]}
shift
peers=("${@:-wgpu-ts}")
command -v perf >/dev/null || { echo "bench/profile.sh: needs perf (apt-get install linux-perf)" >&2; exit 1; }
sizes=$(node -e "import('./workloads.mjs').then(m => console.log(JSON.stringify({ ...m.defaultSizes(false), runs: Number(process.env.BENCH_RUNS ?? 30) })))")
out=$(mktemp -d)
for peer in "${peers[@]}"; do
  case $peer in
    wgpu-ts) cmd=(env WGPU_ENGINE=wgpu-native node --perf-basic-prof runner.mjs wgpu-ts) ;;
    wgpu-ts-direct) cmd=(env WGPU_ENGINE=wgpu-native WGPU_TS_REPLAY=0 node --perf-basic-prof runner.mjs wgpu-ts) ;;
    wgpu-ts-dawn) cmd=(env WGPU_ENGINE=dawn node --perf-basic-prof runner.mjs wgpu-ts-dawn) ;;
    dawn.node) cmd=(node --perf-basic-prof runner.mjs dawn.node) ;;
    deno) cmd=(peers/node_modules/.bin/deno run -A runner.mjs deno) ;;
    bun) cmd=(peers/node_modules/.bin/bun runner.mjs bun) ;;
    wgpu-py) cmd=(.venv/bin/python workloads.py) ;;
    *) echo "bench/profile.sh: unknown peer $peer" >&2; exit 1 ;;
  esac
  perf record -q -F 4000 -o "$out/$peer.data" -- "${cmd[@]}" "$sizes" "$workload" >"$out/$peer.out" 2>&1 || true
  median=$(grep -o '"runs":\[[^]]*\]' "$out/$peer.out" | head -1 | node -e "
    const r = JSON.parse(require('fs').readFileSync(0, 'utf8').replace(/^\"runs\":/, '') || '[]').sort((a, b) => a - b);
    console.log(r.length ? r[r.length >> 1].toPrecision(3) : 'n/a')")
  unit=$(grep -o '"unit":"[^"]*"' "$out/$peer.out" | head -1 | cut -d'"' -f4)
  echo "== $peer, $workload: median $median ${unit:-} (whole process sampled at 4 kHz; main thread = the one calling the API)"
  perf report -i "$out/$peer.data" --no-children --sort comm,dso --stdio -g none 2>/dev/null | node -e "
    // Lines: '  12.34%  comm  dso'; the API's thread carries the process name (node, bun, deno, python).
    const main = new Map(), other = new Map();
    let mainTotal = 0, otherTotal = 0;
    for (const line of require('fs').readFileSync(0, 'utf8').split('\\n')) {
      const m = line.match(/^\\s*([\\d.]+)%\\s+(\\S+)\\s+(.+?)\\s*$/);
      if (!m) continue;
      const [, pct, comm, dso] = m;
      const isMain = /^(node|bun|deno|python[\\d.]*|MainThread)$/.test(comm);
      const into = isMain ? main : other, key = isMain ? dso.replace(/ tid \\d+/, '') : comm;
      into.set(key, (into.get(key) ?? 0) + Number(pct));
      if (isMain) mainTotal += Number(pct); else otherTotal += Number(pct);
    }
    const top = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, 7).map(([k, v]) => k + ' ' + v.toFixed(1) + '%').join(', ');
    console.log('  main thread ' + mainTotal.toFixed(1) + '%: ' + top(main));
    console.log('  other threads ' + otherTotal.toFixed(1) + '%: ' + top(other));"
done
rm -rf "$out"
