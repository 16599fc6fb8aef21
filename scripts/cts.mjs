#!/usr/bin/env node
// `npm run cts -- [options] [query...]`: the WebGPU CTS on wgpu-ts, per engine, against the
// expectations kept in test/cts/expectations/<engine>.txt (the practice of Dawn's and wgpu's own
// CTS runners). The cases of each query are listed first; each spec file's cases then run in one
// child process (test/cts/run-cases.ts) that writes an event per case to a file as it goes. When a
// child dies (a crash) or a case runs past --timeout (a hang), that case is recorded as crash or
// timeout and a new child goes on with the next case, so every case runs.
//   --engine wgpu-native|dawn   (repeatable; default both)
//   --full                      the three subsets: webgpu:api,operation,* api,validation,* shader,validation,*
//   --ci                        the CI slice (test/cts/ci-slice.txt)
//   --update-expectations       rewrite the expectations of the cases run from their results
//   --timeout S                 seconds a case may run (default 60)
//   --out DIR                   results (default test/output/cts): <engine>/results.json, summary.txt
//   --expectations DIR          (default test/cts/expectations)   --provider FILE   --cts DIR
// Exit status 1 when a case fails, crashes or hangs that its expectations do not list.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { compare, parseExpectations, updateExpectations } from "./cts-expectations.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    engine: { type: "string", multiple: true },
    full: { type: "boolean" },
    ci: { type: "boolean" },
    "update-expectations": { type: "boolean" },
    timeout: { type: "string", default: "60" },
    out: { type: "string", default: join(root, "test/output/cts") },
    expectations: { type: "string", default: join(root, "test/cts/expectations") },
    provider: { type: "string", default: join(root, "test/cts/gpu-provider.cjs") },
    cts: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});
if (opts.help) {
  console.log(
    readFileSync(fileURLToPath(import.meta.url), "utf8")
      .split("\n")
      .slice(1, 16)
      .join("\n")
      .replaceAll("// ", ""),
  );
  process.exit(0);
}
const engines = (opts.engine ?? ["wgpu-native", "dawn"]).flatMap((e) => e.split(","));
for (const e of engines) if (!["wgpu-native", "dawn"].includes(e)) usage(`unknown engine ${e}`);
const fullSubsets = ["webgpu:api,operation,*", "webgpu:api,validation,*", "webgpu:shader,validation,*"];
const queries = [...positionals];
if (opts.full) queries.push(...fullSubsets);
if (opts.ci) queries.push(...readList(join(root, "test/cts/ci-slice.txt")));
if (!queries.length) usage("no query given (a CTS query, --ci or --full)");
const timeoutMs = Number(opts.timeout) * 1000;
const STARTUP_MS = 120_000;
if (!(timeoutMs > 0)) usage(`--timeout must be a positive number of seconds, not ${opts.timeout}`);
const cts = findCts();
// tsx's loader in this process's Node, not tsx's CLI (which runs the script in a second process,
// so a crash would read as its exit status instead of the signal).
const tsxLoader = pathToFileURL(join(root, "node_modules/tsx/dist/loader.mjs")).href;
const child = join(root, "test/cts/run-cases.ts");
const provider = resolve(opts.provider);
if (!existsSync(join(root, "dist/index.js"))) usage("dist/ is not built (npm run build)");

function usage(why) {
  console.error(`npm run cts: ${why}\nusage: npm run cts -- [--engine E] [--full] [--ci] [--update-expectations] [query...]`);
  process.exit(2);
}

/** Lines of a list file, without comments and blanks. */
function readList(path) {
  return readFileSync(path, "utf8")
    .split("\n")
    .map((l) => l.replace(/#.*/, "").trim())
    .filter(Boolean);
}

/** The CTS source tree: --cts, $WGPU_TS_CTS, or shared/cts beside or above the checkout. */
function findCts() {
  const tries = [opts.cts, process.env.WGPU_TS_CTS, join(root, "shared/cts"), join(root, "../shared/cts"), join(root, "../../shared/cts")];
  const found = tries.find((d) => d && existsSync(join(d, "src/common/runtime/cmdline.ts")));
  if (!found) usage(`no CTS tree found (tried ${tries.filter(Boolean).join(", ")}); give --cts DIR`);
  return resolve(found);
}

/** The running child: a runner stopped by a signal stops it too (it has its own process group). */
let current;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    try {
      if (current) process.kill(-current.pid, "SIGKILL");
    } catch {}
    process.exit(130);
  });
}

/** Runs a child under tsx in the CTS tree, its output to `log`; resolves with its exit. */
function runChild(args, log, env, onPoll) {
  return new Promise((done) => {
    // stdout to a file, never a pipe: the CTS ends with process.exit(), which drops queued pipe output.
    const fd = openLog(log);
    const p = spawn(process.execPath, ["--import", tsxLoader, child, ...args], {
      cwd: cts,
      env: { ...process.env, TSX_TSCONFIG_PATH: join(cts, "tsx.tsconfig.json"), WGPU_LOG_LEVEL: process.env.WGPU_LOG_LEVEL ?? "error", ...env },
      stdio: ["ignore", fd, fd],
      detached: true, // its own process group, so a hang is killed with whatever it started
    });
    current = p;
    const timer = onPoll ? setInterval(() => onPoll(p), 250) : undefined;
    p.on("exit", (code, signal) => {
      current = undefined;
      clearInterval(timer);
      done({ code, signal });
    });
  });
}

function openLog(path) {
  mkdirSync(dirname(path), { recursive: true });
  return openSync(path, "a");
}

/** Events the child wrote to `path` so far. */
function readEvents(path) {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

/** Lists the cases of every query, in order, without duplicates. */
async function listCases(work) {
  const out = join(work, "list.txt");
  rmSync(out, { force: true });
  const { code } = await runChild(["list", out, ...queries], join(work, "list.log"), {});
  if (code !== 0) {
    console.error(readFileSync(join(work, "list.log"), "utf8"));
    throw new Error(`npm run cts: listing the cases of ${queries.join(" ")} failed`);
  }
  return [...new Set(readFileSync(out, "utf8").split("\n").filter(Boolean))];
}

/** Runs one spec file's cases on an engine, restarting after a crash or hang. */
async function runFile(engine, work, file, cases) {
  const results = new Array(cases.length);
  const safe = file.replace(/[^\w,.-]+/g, "_");
  let start = 0;
  while (start < cases.length) {
    const events = join(work, "events", `${safe}.${start}.jsonl`);
    const jobPath = join(work, "events", `${safe}.${start}.job.json`);
    mkdirSync(dirname(events), { recursive: true });
    rmSync(events, { force: true });
    writeFileSync(jobPath, JSON.stringify({ provider, flags: [`engine=${engine}`], cases, start }));
    let size = -1;
    let since = Date.now();
    let hung = false;
    const { code, signal } = await runChild(["run", events, jobPath], join(work, "logs", `${safe}.log`), { WGPU_ENGINE: engine }, (p) => {
      const now = existsSync(events) ? statSync(events).size : 0;
      if (now !== size) [size, since] = [now, Date.now()];
      // Until its first event the child is starting (the CTS's compile, the engine's load): that gets a
      // bound of its own, so that a slow start on a busy machine is not taken for the first case's hang.
      else if (Date.now() - since > (size === 0 ? Math.max(timeoutMs, STARTUP_MS) : timeoutMs) && !hung) {
        hung = true;
        try {
          process.kill(-p.pid, "SIGKILL");
        } catch {}
      }
    });
    let running;
    for (const e of readEvents(events)) {
      if ("start" in e) running = e.start;
      else {
        results[e.i] = { case: cases[e.i], status: e.status, ms: e.ms, message: e.message };
        running = undefined;
      }
    }
    const next = results.findIndex((r, i) => i >= start && r === undefined);
    if (next < 0 && running === undefined) break;
    // The case that was running when the child stopped (or the first one it never reached).
    const at = running ?? next;
    const how = hung ? "timeout" : signal || code !== 0 ? "crash" : "timeout";
    const why = hung
      ? `no result within ${timeoutMs / 1000} s (killed)`
      : signal || code !== 0
        ? `the process died (${signal ?? `exit ${code}`})`
        : "the process exited before the case settled (a promise that never settles)";
    results[at] = { case: cases[at], status: how, ms: Date.now() - since, message: why };
    console.log(`  [${how}] ${cases[at]}: ${why}`);
    start = at + 1;
  }
  return results;
}

/** Per-test counts: rows of [test, total, pass, fail, skip, crash+timeout]. */
function summarize(results) {
  const rows = new Map();
  for (const r of results) {
    const test = r.case.split(":").slice(0, 3).join(":");
    const row = rows.get(test) ?? { test, total: 0, pass: 0, warn: 0, fail: 0, skip: 0, crash: 0 };
    row.total++;
    row[r.status === "timeout" ? "crash" : r.status]++;
    rows.set(test, row);
  }
  return [...rows.values()];
}

function table(rows) {
  const head = ["fail", "crash", "pass", "skip", "total", "test"];
  const lines = rows.map((r) => [r.fail, r.crash, r.pass + r.warn, r.skip, r.total, r.test]);
  return [head, ...lines].map((l) => l.map((v, i) => (i < 5 ? String(v).padStart(6) : ` ${v}`)).join("")).join("\n");
}

let failedRun = false;
const work0 = join(resolve(opts.out), ".work");
mkdirSync(work0, { recursive: true });
const allCases = await listCases(work0);
console.log(`npm run cts: ${allCases.length} cases in ${queries.join(" ")} (CTS at ${cts})`);
const byFile = new Map();
for (const c of allCases) {
  const file = c.split(":").slice(0, 2).join(":");
  if (!byFile.has(file)) byFile.set(file, []);
  byFile.get(file).push(c);
}

for (const engine of engines) {
  const out = join(resolve(opts.out), engine);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const t0 = Date.now();
  console.log(`\n=== CTS on ${engine} ===`);
  const results = [];
  for (const [file, cases] of byFile) {
    const t = Date.now();
    const rs = await runFile(engine, out, file, cases);
    results.push(...rs);
    const n = (s) => rs.filter((r) => r.status === s).length;
    console.log(
      `${file}: ${rs.length} cases, ${n("pass") + n("warn")} pass, ${n("fail")} fail, ${n("skip")} skip` +
        `${n("crash") + n("timeout") ? `, ${n("crash")} crash, ${n("timeout")} timeout` : ""} (${((Date.now() - t) / 1000).toFixed(1)} s)`,
    );
  }
  writeFileSync(join(out, "results.json"), `${JSON.stringify(results, null, 1)}\n`);
  const rows = summarize(results).sort((a, b) => b.fail + b.crash - (a.fail + a.crash) || a.test.localeCompare(b.test));
  const total = summarize(results.map((r) => ({ ...r, case: "all::" }))).at(0);
  const secs = ((Date.now() - t0) / 1000).toFixed(0);
  const head = `CTS on ${engine}: ${results.length} cases, ${total.pass + total.warn} pass, ${total.fail} fail, ${total.skip} skip, ${total.crash} crash/timeout (${secs} s)`;
  writeFileSync(join(out, "summary.txt"), `${head}\nqueries: ${queries.join(" ")}\n\n${table(rows)}\n`);

  const expFile = join(resolve(opts.expectations), `${engine}.txt`);
  const expectations = existsSync(expFile) ? parseExpectations(readFileSync(expFile, "utf8"), expFile) : { header: [], entries: [] };
  const cmp = compare(results, expectations);
  console.log(`\n${head}`);
  const failing = rows.filter((r) => r.fail + r.crash);
  if (failing.length) console.log(`failing tests (of ${failing.length}; all in ${join(out, "summary.txt")}):\n${table(failing.slice(0, 15))}`);
  const lines = [
    ...cmp.unexpected.map((r) => `NEW ${r.status}: ${r.case}\n    ${r.message}`),
    ...cmp.nowPass.map((r) => `now passes (listed as ${r.expected}): ${r.case}`),
  ];
  writeFileSync(join(out, "changes.txt"), lines.length ? `${lines.join("\n")}\n` : "");
  for (const l of lines.slice(0, 20)) console.log(`  ${l}`);
  if (lines.length > 20) console.log(`  ... ${lines.length - 20} more in ${join(out, "changes.txt")}`);
  console.log(`expectations (${expFile}): ${cmp.expected.length} expected failures, ${cmp.unexpected.length} new, ${cmp.nowPass.length} listed that now pass`);
  if (opts["update-expectations"]) {
    writeFileSync(expFile, updateExpectations(expectations, results));
    console.log(`updated ${expFile}`);
  } else if (cmp.unexpected.length) failedRun = true;
}
rmSync(work0, { recursive: true, force: true });
process.exit(failedRun ? 1 : 0);
