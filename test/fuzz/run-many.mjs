// Long fuzz runs (issue 14): many child processes of the fuzz fixture, each its own seed, several at
// a time, so that hundreds of thousands of programs fit in minutes on a machine with many cores.
// Plain JavaScript, so that it runs where only Node is (the GPU machine: bench/gpu-run.sh fuzz).
//
//   node test/fuzz/run-many.mjs [--engine wgpu-native|dawn]... [--procs N] [--jobs J] [--runs R]
//        [--seed S] [--fixture FILE.mjs] [--out DIR]
// --procs children of --runs programs each (seeds S, S+1, ...), --jobs at a time per engine, on each
// engine. The fixture is test/fixtures/fuzz-api.ts through tsx, or a bundle of it (--fixture).
// Each child's peak RSS is read from /proc while it runs. Exit status 1 if a child died of a signal,
// exited non-zero or ran fewer cases than asked; its program is kept in DIR/<engine>-<seed>.txt.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, existsSync, copyFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.lastIndexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const engines = args.flatMap((a, i) => (args[i - 1] === "--engine" ? [a] : []));
if (engines.length === 0) engines.push("wgpu-native", "dawn");
const procs = Number(option("procs", 4));
const jobs = Number(option("jobs", Math.max(1, cpus().length - 1)));
const runs = Number(option("runs", 20000));
const firstSeed = Number(option("seed", Date.now() % 2 ** 30));
const out = resolve(option("out", join(tmpdir(), "wgpu-ts-fuzz-many")));
const fixture = option("fixture", null);
const childArgs = fixture ? [resolve(fixture)] : ["--import", "tsx", fileURLToPath(new URL("../fixtures/fuzz-api.ts", import.meta.url))];
mkdirSync(out, { recursive: true });

/** Peak resident memory (VmHWM, KiB) of a live process; 0 once it is gone. */
function peakKiB(pid) {
  try {
    const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function runChild(engine, seed) {
  const trace = join(out, `${engine}-${seed}.trace`);
  return new Promise((done) => {
    const started = Date.now();
    const child = spawn(process.execPath, childArgs, {
      env: { ...process.env, WGPU_ENGINE: engine, FUZZ_RUNS: String(runs), FUZZ_SEED: String(seed), FUZZ_TRACE: trace, WGPU_STRICT: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr = (stderr + d).slice(-4000)));
    let peak = 0;
    const poll = setInterval(() => (peak = Math.max(peak, peakKiB(child.pid))), 500);
    child.on("exit", (code, signal) => {
      clearInterval(poll);
      let summary = null;
      try {
        summary = JSON.parse(stdout.trim().split("\n").pop());
      } catch {
        // no summary: the child failed before its end
      }
      const ok = signal === null && code === 0 && summary?.cases === runs;
      if (!ok && existsSync(trace)) copyFileSync(trace, join(out, `${engine}-${seed}.txt`));
      done({
        engine,
        seed,
        ok,
        code,
        signal,
        cases: summary?.cases ?? 0,
        steps: summary?.steps ?? 0,
        peakMiB: Math.round(peak / 1024),
        seconds: (Date.now() - started) / 1000,
        stderr: ok ? "" : stderr,
      });
    });
  });
}

async function runEngine(engine) {
  const seeds = Array.from({ length: procs }, (_, i) => firstSeed + i);
  const results = [];
  const worker = async () => {
    for (let seed = seeds.shift(); seed !== undefined; seed = seeds.shift()) {
      const r = await runChild(engine, seed);
      results.push(r);
      process.stdout.write(
        `${engine} seed ${r.seed}: ${r.ok ? "ok" : `FAILED (exit ${r.code}, signal ${r.signal})`}, ${r.cases} programs, ${r.steps} calls, peak RSS ${r.peakMiB} MiB, ${r.seconds} s\n` +
          (r.ok ? "" : `${r.stderr}\n(program: ${join(out, `${engine}-${r.seed}.txt`)})\n`),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, procs) }, worker));
  return results;
}

const all = [];
for (const engine of engines) {
  const started = Date.now();
  const results = await runEngine(engine);
  all.push(...results);
  const failed = results.filter((r) => !r.ok);
  const programs = results.reduce((s, r) => s + r.cases, 0);
  const peak = Math.max(...results.map((r) => r.peakMiB));
  process.stdout.write(
    `# ${engine}: ${programs} programs in ${results.length} processes (seeds ${firstSeed}..${firstSeed + procs - 1}, ${runs} each), ` +
      `${failed.length} failed, ${failed.filter((r) => r.signal).length} crashed, peak RSS ${peak} MiB, ${(Date.now() - started) / 1000} s\n`,
  );
}
process.exitCode = all.every((r) => r.ok) ? 0 : 1;
