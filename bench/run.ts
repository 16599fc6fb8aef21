// `npm run bench`: runs the workloads of bench/workloads.mjs (and its Python port) on wgpu-ts and
// on every peer, each in its own process, and prints one table of medians with the ratio to
// wgpu-ts, plus machine facts; writes the same as JSON (and the table as Markdown) in bench/results/runs/
// (or bench/results/ with BENCH_TAG).
//
// Environment: BENCH_QUICK=1 (small sizes, for a smoke run), BENCH_PEERS=wgpu-ts,deno,... (a subset),
// BENCH_MATMUL_N (matmul size, default 512), BENCH_MATMUL_BIG_N (the kernel-bound matmul's size:
// 4096 where a GPU is present, 1024 on a CPU adapter), BENCH_TAG (results file name), BENCH_DIRECT=1 (adds
// wgpu-ts with its replay helper off, to show what the command stream buys), BENCH_BASE=dir (another
// build of wgpu-ts as a column: before/after in one run).
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultSizes, memcpy, workloads } from "./workloads.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");
const bin = (p: string) => join(here, "peers", "node_modules", ".bin", p);

interface Peer {
  id: string;
  label: string;
  cmd: string[];
  env?: Record<string, string>;
}

const node = process.execPath;
const runner = join(here, "runner.mjs");
const allPeers: Peer[] = [
  { id: "wgpu-ts", label: "wgpu-ts", cmd: [node, "--expose-gc", runner, "wgpu-ts"], env: { WGPU_ENGINE: "wgpu-native", WGPU_TS_REPLAY: "1" } },
  { id: "wgpu-ts-direct", label: "wgpu-ts direct", cmd: [node, "--expose-gc", runner, "wgpu-ts"], env: { WGPU_ENGINE: "wgpu-native", WGPU_TS_REPLAY: "0" } },
  { id: "wgpu-ts-dawn", label: "wgpu-ts Dawn", cmd: [node, "--expose-gc", runner, "wgpu-ts-dawn"], env: { WGPU_ENGINE: "dawn", WGPU_TS_REPLAY: "1" } },
  { id: "dawn.node", label: "dawn.node", cmd: [node, "--expose-gc", runner, "dawn.node"] },
  { id: "deno", label: "Deno", cmd: [bin("deno"), "run", "-A", "--v8-flags=--expose-gc", runner, "deno"] },
  { id: "bun", label: "Bun+bun-webgpu", cmd: [bin("bun"), runner, "bun"] },
  { id: "wgpu-py", label: "wgpu-py", cmd: [join(here, ".venv", "bin", "python"), join(here, "workloads.py")], env: { PYTHONUNBUFFERED: "1" } },
];
// BENCH_BASE=dir: another build of wgpu-ts (its dist/ and build/native/ under dir, on this checkout's
// engine) as a column of its own, for a before/after table from one run.
if (process.env.BENCH_BASE) {
  const base = resolve(process.env.BENCH_BASE);
  allPeers.splice(1, 0, {
    id: "wgpu-ts-base",
    label: "wgpu-ts base",
    cmd: [node, "--expose-gc", runner, "wgpu-ts-base"],
    env: {
      WGPU_ENGINE: "wgpu-native",
      WGPU_TS_REPLAY: "1",
      BENCH_BASE: base,
      WGPU_LIB_PATH: join(root, "vendor", "engines", "wgpu-native", "lib", "libwgpu_native.so"),
      WGPU_TS_REPLAY_LIB: join(base, "build", "native", "libwgpu_ts_replay.so"),
    },
  });
}

const rows: { id: string; label: string }[] = [
  { id: "draw", label: "draw() encode" },
  { id: "drawSubmit", label: "  draw() encode+submit" },
  { id: "bindDraw", label: "setBindGroup+draw encode" },
  { id: "bindDrawSubmit", label: "  setBindGroup+draw +submit" },
  { id: "bindDispatch", label: "setBindGroup+dispatch encode" },
  { id: "bindDispatchSubmit", label: "  setBindGroup+dispatch +submit" },
  { id: "createBuffer", label: "createBuffer+destroy" },
  { id: "createBindGroup", label: "createBindGroup" },
  { id: "writeBig", label: "writeBuffer 64 MiB" },
  { id: "setBig", label: "  TypedArray.set 64 MiB" },
  { id: "writeChunks", label: "writeBuffer 4 KiB chunks" },
  { id: "setChunks", label: "  TypedArray.set 4 KiB chunks" },
  { id: "readback", label: "readback 64 MiB" },
  { id: "roundTrip", label: "submit+map round trip 16 B" },
  { id: "startup", label: "process start to device" },
  { id: "matmul", label: "matmul f32 512 (3 dispatches + wait)" },
  { id: "matmulBig", label: "matmul f32 big (kernel-bound)" },
  { id: "streamKernel", label: "stream kernel 2*x (memory-bound)" },
  { id: "renderLoop", label: "render loop, 10k draws/frame" },
];

interface Result {
  unit?: string;
  better?: "lower" | "higher";
  runs?: number[];
  median?: number;
  na?: string;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Spawns a peer; resolves with its stdout lines, or rejects with the reason it failed. */
function runPeer(peer: Peer, args: string[], timeoutMs: number, onReady?: () => void): Promise<string[]> {
  return new Promise((resolveRun, reject) => {
    const [exe, ...rest] = peer.cmd;
    const child = spawn(exe, [...rest, ...args], { cwd: here, env: { ...process.env, ...peer.env }, stdio: ["ignore", "pipe", "pipe"] });
    const lines: string[] = [];
    let buf = "";
    let err = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      let i: number;
      while ((i = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (line === "@@ready") onReady?.();
        lines.push(line);
      }
    });
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", (e) => reject(e));
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (buf) lines.push(buf);
      const got = lines.filter((l) => l.startsWith("@@"));
      if (got.length || code === 0) resolveRun(got);
      else reject(new Error(`exit ${code ?? signal}: ${err.trim().split("\n").slice(-2).join(" | ").slice(0, 200)}`));
    });
  });
}

/** Time from spawn to the first device, in ms: one warm-up, then `runs` processes. */
async function startup(peer: Peer, sizesJson: string, runs: number): Promise<Result> {
  const times: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const t0 = performance.now();
    let t = NaN;
    await runPeer(peer, [sizesJson, "startup"], 60_000, () => (t = performance.now() - t0));
    if (Number.isNaN(t)) return { na: "no device" };
    if (i > 0) times.push(t);
  }
  return { unit: "ms", better: "lower", runs: times };
}

function version(cmd: string[]): string {
  try {
    return execFileSync(cmd[0], cmd.slice(1), { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })
      .trim()
      .split("\n")[0];
  } catch {
    return "n/a";
  }
}

function machineFacts(): Record<string, string> {
  const cpus = os.cpus();
  let gpu = "none";
  try {
    gpu = execFileSync("nvidia-smi", ["--query-gpu=name,driver_version", "--format=csv,noheader"], { encoding: "utf8" }).trim();
  } catch {
    /* no NVIDIA GPU */
  }
  let commit = "n/a";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
  } catch {
    /* not a checkout */
  }
  return {
    date: new Date().toISOString(),
    cpu: `${cpus[0]?.model ?? "?"} x${cpus.length}`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`,
    os: `${os.type()} ${os.release()}`,
    gpu,
    loadavg: os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(" "),
    node: process.version,
    deno: version([bin("deno"), "--version"]),
    bun: version([bin("bun"), "--version"]),
    python: version([join(here, ".venv", "bin", "python"), "-c", "import sys, wgpu; print(sys.version.split()[0], 'wgpu', wgpu.__version__)"]),
    dawnNode: JSON.parse(readFileSync(join(here, "peers/node_modules/webgpu/package.json"), "utf8")).version,
    bunWebgpu: JSON.parse(readFileSync(join(here, "peers/node_modules/bun-webgpu/package.json"), "utf8")).version,
    commit,
  };
}

/** A GPU device node: the kernel rows then take GPU sizes (a CPU adapter needs minutes for a 4096 matmul). */
function hasGpu(): boolean {
  return existsSync("/dev/nvidiactl") || existsSync("/dev/dri/renderD128");
}

// Datasheet peaks (NVIDIA, dense FP32 without tensor cores; HBM bandwidth), to read the kernel rows
// as a share of what the GPU can do. Matched on the adapter's name; other GPUs get no share.
const PEAKS: { match: RegExp; gflops: number; gbps: number; name: string }[] = [
  { match: /H200/, gflops: 67_000, gbps: 4_800, name: "H200 SXM" },
  { match: /H100.*PCIe/i, gflops: 51_000, gbps: 2_000, name: "H100 PCIe" },
  { match: /H100/, gflops: 67_000, gbps: 3_350, name: "H100 SXM" },
];

function peakShares(adapters: Record<string, string>, results: Record<string, Record<string, Result>>): string[] {
  const name = Object.values(adapters).join(" ");
  const peak = PEAKS.find((p) => p.match.test(name));
  if (!peak) return [];
  const share = (v: number | undefined, of: number) => (v ? `${((100 * v) / of).toFixed(1)}%` : "-");
  return Object.entries(results).map(
    ([id, r]) =>
      `${id}: matmul big ${share(r.matmulBig?.median, peak.gflops)} of ${peak.name} FP32 peak (${peak.gflops} GFLOP/s), ` +
      `stream ${share(r.streamKernel?.median, peak.gbps)} of its memory bandwidth (${peak.gbps} GB/s)`,
  );
}

function fmt(v: number): string {
  const a = Math.abs(v);
  return a >= 1000 ? v.toFixed(0) : a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toFixed(3);
}

/** >1: wgpu-ts is that many times better than the peer (faster, or more per second). */
function ratio(ours: Result | undefined, theirs: Result): number | undefined {
  if (!ours?.median || !theirs.median) return undefined;
  return theirs.better === "lower" ? theirs.median / ours.median : ours.median / theirs.median;
}

async function main(): Promise<void> {
  const quick = process.env.BENCH_QUICK === "1";
  const sizes = {
    ...defaultSizes(quick),
    ...(hasGpu() && !quick ? {} : { matmulBigN: 1024, streamBytes: 32 << 20, streamReps: 4 }),
    ...(process.env.BENCH_MATMUL_N ? { matmulN: Number(process.env.BENCH_MATMUL_N) } : {}),
    ...(process.env.BENCH_MATMUL_BIG_N ? { matmulBigN: Number(process.env.BENCH_MATMUL_BIG_N) } : {}),
  };
  const sizesJson = JSON.stringify(sizes);
  const wanted = process.env.BENCH_PEERS?.split(",") ?? allPeers.filter((p) => p.id !== "wgpu-ts-direct" || process.env.BENCH_DIRECT === "1").map((p) => p.id);
  const facts = machineFacts();
  const results: Record<string, Record<string, Result>> = {};
  const adapters: Record<string, string> = {};
  const notes: string[] = [];
  const peers: Peer[] = [];

  for (const peer of allPeers.filter((p) => wanted.includes(p.id))) {
    if (!existsSync(peer.cmd[0])) {
      notes.push(`${peer.label}: not installed (run bench/setup.sh)`);
      continue;
    }
    process.stderr.write(`bench: ${peer.label} ...`);
    const t0 = performance.now();
    const r: Record<string, Result> = {};
    try {
      r.startup = await startup(peer, sizesJson, sizes.runs);
    } catch (e) {
      const why = (e as Error).message;
      if (peer.id === "wgpu-ts-dawn") {
        // Dawn support lands with another issue; until then the column is left out.
        notes.push(`wgpu-ts on Dawn: not available here (${why.slice(0, 120)})`);
        process.stderr.write(" not available\n");
        continue;
      }
      r.startup = { na: why };
    }
    // One process per workload: each starts from a fresh device, so that no workload pays for the
    // clean-up of the one before (10k dropped buffers slowed the next round trips 4x in one process).
    for (const id of [...Object.keys(workloads), ...Object.keys(memcpy)]) {
      try {
        for (const line of await runPeer(peer, [sizesJson, id], 600_000)) {
          const o = JSON.parse(line.slice(2));
          if (o.adapter !== undefined) adapters[peer.id] = o.adapter;
          else if (o.workload) r[o.workload] = o;
        }
      } catch (e) {
        r[id] = { na: (e as Error).message };
      }
    }
    for (const v of Object.values(r)) if (v.runs?.length) v.median = median(v.runs);
    results[peer.id] = r;
    peers.push(peer);
    process.stderr.write(` ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  }
  notes.push(...peakShares(adapters, results));
  facts.loadavgAfter = os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");

  const base = results["wgpu-ts"];
  const header = ["workload", "unit", ...peers.map((p) => p.label)];
  const table: string[][] = [];
  for (const row of rows) {
    const any = peers.map((p) => results[p.id]?.[row.id]).find((r) => r?.unit);
    const cells = peers.map((p) => {
      const r = results[p.id]?.[row.id];
      if (!r?.median) return r?.na ? "n/a" : "-";
      const x = p.id === "wgpu-ts" || row.id.startsWith("set") ? undefined : ratio(base?.[row.id], r);
      return x === undefined ? fmt(r.median) : `${fmt(r.median)} (${x.toFixed(2)}x)`;
    });
    table.push([row.label, any?.unit ?? "", ...cells]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  const line = (cells: string[]) => "| " + cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ") + " |";
  const md = [line(header), "| " + widths.map((w, i) => (i < 2 ? "-".repeat(w) : "-".repeat(w - 1) + ":")).join(" | ") + " |", ...table.map(line)].join("\n");
  const nas = peers.flatMap((p) =>
    Object.entries(results[p.id] ?? {})
      .filter(([, r]) => r.na)
      .map(([w, r]) => `${p.label} ${w}: ${r.na}`),
  );
  const text = [
    `wgpu-ts benchmark: medians of ${sizes.runs} runs after ${sizes.warmups} warm-up${quick ? " (QUICK sizes)" : ""}; (Nx) = wgpu-ts is N times better than that peer (>1: wgpu-ts leads)`,
    md,
    "",
    ...Object.entries(facts).map(([k, v]) => `${k}: ${v}`),
    ...Object.entries(adapters).map(([k, v]) => `adapter ${k}: ${v}`),
    ...notes.map((n) => `note: ${n}`),
    ...nas.map((n) => `n/a: ${n}`),
  ].join("\n");
  console.log(text);

  // BENCH_TAG records a run beside the committed ones; other runs go to results/runs/ (gitignored),
  // so that `npm run bench` leaves the tree clean.
  const dir = process.env.BENCH_TAG ? join(here, "results") : join(here, "results", "runs");
  mkdirSync(dir, { recursive: true });
  const tag = process.env.BENCH_TAG ?? `${os.hostname()}-${facts.date.slice(0, 16).replace(/[:T]/g, "-")}`;
  writeFileSync(
    join(dir, `${tag}.json`),
    JSON.stringify({ sizes, facts, adapters, notes, peers: peers.map((p) => ({ id: p.id, label: p.label })), results }, null, 1) + "\n",
  );
  writeFileSync(join(dir, `${tag}.md`), "```\n" + text + "\n```\n");
  console.error(`bench: wrote ${join(dir, tag)}.json and .md`);
}

await main();
