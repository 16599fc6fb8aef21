// Property-based test (fast-check): random programs of API calls with random, often wrong,
// arguments run in a child process, which must never die of a signal, and whose every failure
// must be a JS exception naming the GPU method or a GPU error. FUZZ_RUNS=50000 for a longer run, FUZZ_SEED=random (or a number) for other sequences than the fixed CI seed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const runs = Number(process.env.FUZZ_RUNS ?? 3000);
/**
 * FUZZ_RSS_MIB=1024 FUZZ_RUNS=20000: issue 14's memory check, the child's peak RSS under that bound
 * (a flagged run: not met yet, 20k programs peaked at ~4 GiB on both engines; the peak is printed).
 */
const RSS_BOUND_MIB = Number(process.env.FUZZ_RSS_MIB ?? 0);

test(`${runs} random call sequences never crash the process; every failure is a JS exception or a GPU error`, () => {
  const tracePath = join(mkdtempSync(join(tmpdir(), "wgpu-ts-fuzz-")), "last-case.txt");
  const r = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./fixtures/fuzz-api.ts", import.meta.url))], {
    encoding: "utf8",
    timeout: Math.max(300_000, runs * 60),
    env: { ...process.env, FUZZ_RUNS: String(runs), FUZZ_TRACE: tracePath, WGPU_STRICT: "" },
  });
  const lastCase = existsSync(tracePath) ? readFileSync(tracePath, "utf8") : "(none)";
  assert.equal(r.signal, null, `the child died of ${r.signal} while running:\n${lastCase}\n${r.stderr.slice(-3000)}`);
  assert.equal(r.status, 0, `${r.stderr.slice(-4000)}\nlast case:\n${lastCase}`);
  const summary = JSON.parse(r.stdout.trim().split("\n").pop()!);
  process.stdout.write(
    `# fuzz: ${summary.cases} cases, ${summary.steps} calls in ${summary.seconds} s (seed ${summary.seed}), peak RSS ${summary.rss.peakMiB} MiB (every tenth: ${summary.rss.samplesMiB.join(" ")}): ${JSON.stringify(summary.outcomes)}\n`,
  );
  if (RSS_BOUND_MIB) assert.ok(summary.rss.peakMiB < RSS_BOUND_MIB, `peak RSS ${summary.rss.peakMiB} MiB (bound ${RSS_BOUND_MIB})`);
  assert.equal(summary.cases, runs);
  assert.ok(summary.outcomes.returned > summary.steps / 10, "most calls are not rejected at once");
  assert.ok(summary.outcomes["uncaptured GPUValidationError"] > 0, "programs reach the engine's validation");
});
