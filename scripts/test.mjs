#!/usr/bin/env node
// `npm test`: the whole node:test suite once per engine (WGPU_ENGINE set for each run) and the
// browser tests once in Chromium (the "chromium" implementation), then a
// summary: passes, failures and skips per engine, and every test marked as one engine's exception
// (test/helpers/engine.ts engineSkip) with its reason. An engine that is not installed fails the run
// in CI (CI installs both) and is skipped with a printed reason elsewhere. The output is counted as
// it passes through: a line that repeats more than 10 times (a warning per call, say) fails the run.
// The engine's log defaults to errors only here (WGPU_LOG_LEVEL); tests of the logger set their own.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const engines = { "wgpu-native": "vendor/engines/wgpu-native/lib/libwgpu_native.so", dawn: "vendor/engines/dawn/lib/libwebgpu_dawn.so" };
// The third implementation: the browser build in headless Chromium runs the shared API tests
// (test/shared/webgpu-api.ts) in a page, once (test/browser.chromium.ts); the whole suite and a
// run naming that file or the shared text include it.
const browserFile = "test/browser.chromium.ts";
const only = process.env.WGPU_ENGINE ? [process.env.WGPU_ENGINE] : [...Object.keys(engines), "chromium"];
const files = process.argv.slice(2).length ? process.argv.slice(2) : ["test/**/*.test.ts"];
const withBrowser = !process.argv.slice(2).length || files.some((f) => /browser\.chromium|webgpu-api/.test(f));
const work = mkdtempSync(join(tmpdir(), "wgpu-ts-test-"));
const results = [];
let failedRuns = 0;
const maxRepeats = 10;
/** How often each non-blank line of output came, over every run. */
const lineCounts = new Map();

/** Runs node with `args`, passing its stdout and stderr through and counting their lines. */
function runCounted(args, env) {
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ["inherit", "pipe", "pipe"] });
    for (const [from, to] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ]) {
      let partial = "";
      from.setEncoding("utf8");
      const count = (line) => line.trim() && lineCounts.set(line, (lineCounts.get(line) ?? 0) + 1);
      from.on("data", (text) => {
        to.write(text);
        const lines = (partial + text).split("\n");
        partial = lines.pop();
        lines.forEach(count);
      });
      from.on("end", () => count(partial));
    }
    child.on("close", (status) => done({ status }));
  });
}

for (const engine of only) {
  if (engine === "chromium") {
    if (withBrowser) await runPass(engine, [browserFile]);
    continue;
  }
  if (!engines[engine]) throw new Error(`scripts/test.mjs: unknown engine ${engine}`);
  if (!existsSync(join(root, engines[engine]))) {
    const why = `${engine} is not installed (node scripts/install-engines.mjs)`;
    if (process.env.CI) {
      console.error(`wgpu-ts tests: FAIL: ${why}`);
      failedRuns++;
      results.push({ engine, pass: 0, fail: 1, skipped: 0, marked: [], markedTests: [] });
    } else console.log(`wgpu-ts tests: skipping ${engine}: ${why}`);
    continue;
  }
  const engineFiles = files.filter((f) => f !== browserFile);
  if (engineFiles.length) await runPass(engine, engineFiles);
}

/** Runs `passFiles` under node:test with WGPU_ENGINE=engine and adds its counts to the results. */
async function runPass(engine, passFiles) {
  console.log(`\n=== wgpu-ts tests on ${engine} ===`);
  const tap = join(work, `${engine}.tap`);
  const marks = join(work, `${engine}.marks`);
  const run = await runCounted(
    [
      "--import",
      "tsx",
      "--test",
      "--test-concurrency=1",
      "--test-reporter=spec",
      "--test-reporter-destination=stdout",
      "--test-reporter=tap",
      `--test-reporter-destination=${tap}`,
      ...passFiles,
    ],
    { ...process.env, WGPU_LOG_LEVEL: process.env.WGPU_LOG_LEVEL ?? "error", WGPU_ENGINE: engine, WGPU_TEST_MARKS: marks },
  );
  const text = existsSync(tap) ? readFileSync(tap, "utf8") : "";
  const count = (key) => Number(new RegExp(`^# ${key} (\\d+)$`, "m").exec(text)?.[1] ?? 0);
  const marked = existsSync(marks)
    ? readFileSync(marks, "utf8")
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];
  // The marked tests by name: TAP lists each skip with the "[engine] reason" engineSkip gave it.
  const markedTests = [...text.matchAll(/^\s*ok \d+ - (.*) # SKIP \[([\w-]+)\] (.*)$/gm)].map((m) => ({ name: m[1], engine: m[2], reason: m[3] }));
  if (run.status !== 0) failedRuns++;
  // A run that failed without a failing test (a crash, a missing file) counts as one failure.
  const fail = Math.max(count("fail"), run.status === 0 ? 0 : 1);
  results.push({ engine, pass: count("pass"), fail, skipped: count("skipped"), marked, markedTests });
}
rmSync(work, { recursive: true, force: true });

console.log("\n=== wgpu-ts tests: summary ===");
for (const r of results) {
  console.log(`${r.engine}: ${r.pass} passed, ${r.fail} failed, ${r.skipped} skipped; ${r.marked.length} marked as engine exceptions`);
  for (const m of r.markedTests) console.log(`  [${m.engine}] "${m.name}": ${m.reason}`);
}
const repeated = [...lineCounts].filter(([, n]) => n > maxRepeats);
if (repeated.length) {
  console.log(`\nwgpu-ts tests: FAIL: ${repeated.length} line(s) of output repeat more than ${maxRepeats} times (fix them where they are printed):`);
  for (const [line, n] of repeated.sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${n}x ${line.slice(0, 200)}`);
  failedRuns++;
}
const total = (k) => results.reduce((n, r) => n + r[k], 0);
console.log(`total: ${total("pass")} passed, ${total("fail")} failed, ${total("skipped")} skipped`);
process.exit(failedRuns ? 1 : 0);
