// Issue 14, classes 4 and 5: inputs that crashed a shader compiler or made one call work without
// bound. Each case runs in a child process (a crash or a hang is then a failed case, not a lost run).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { WGSL_NESTING_LIMITS, scanWgslNesting } from "../src/api/wgsl-limits.ts";

const fixture = fileURLToPath(new URL("./fixtures/hostile-case.ts", import.meta.url));

/** Runs the cases in one child; the answer of each, by case. A crash names the case it happened in. */
function runCases(...cases: string[]): Record<string, Record<string, unknown>> {
  const r = spawnSync(process.execPath, ["--import", "tsx", fixture, ...cases], { encoding: "utf8", timeout: 120_000 });
  const answers = Object.fromEntries(
    r.stdout
      .trim()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .map((a) => [a.case as string, a]),
  );
  const unanswered = cases.find((c) => !answers[c]);
  const how = r.signal ? `killed by ${r.signal}` : `exit status ${r.status}`;
  assert.ok(r.status === 0 && !unanswered, `${how}, in case ${unanswered ?? "(none)"}\n${r.stderr.slice(-800)}`);
  return answers;
}

// Ten times the depths of issue 14: ~1000 parentheses, 700 nested calls, 2000 nested array types,
// a 10,000-term sum (naga), 1000 functions calling each other (Dawn); and an else-if chain, which
// crashed naga at 10,000 here.
const deep = { parens: 10_000, calls: 7_000, arrays: 20_000, sum: 100_000, functions: 10_000, elseIfs: 10_000 };

test(`WGSL nested past the limits (${Object.entries(deep)
  .map(([k, v]) => `${k} x ${v}`)
  .join(", ")}) is a compilation error with a position, not a crash`, () => {
  const cases = Object.entries(deep).map(([name, depth]) => `shader=${name}:${depth}`);
  const answers = runCases(...cases);
  for (const c of cases) {
    const out = answers[c] as {
      error: { name: string; message: string } | null;
      messages: { type: string; lineNum: number; linePos: number; message: string }[];
      pipelineError: string | null;
    };
    assert.equal(out.error?.name, "GPUValidationError", c);
    assert.match(out.error!.message, /^GPUDevice\.createShaderModule: code: .*over the limit of \d+ \(at line \d+, column \d+\)$/);
    assert.equal(out.messages.length, 1);
    const [m] = out.messages;
    assert.equal(m.type, "error");
    assert.equal(m.message, out.error!.message);
    assert.ok(m.lineNum >= 1 && m.linePos >= 1, `position ${m.lineNum}:${m.linePos}`);
    assert.equal(out.pipelineError, "GPUValidationError", "a pipeline of the refused module is invalid");
  }
});

test("WGSL just inside the limits reaches the engine, which compiles or refuses it without crashing", () => {
  // Parentheses Tint allows (its parser depth is 128), a 1000-term sum, 250 functions deep, 60 nested arrays.
  const cases = ["parens:120", "sum:1000", "functions:250", "arrays:60", "elseIfs:100"].map((c) => `shader=${c}`);
  const answers = runCases(...cases);
  for (const c of cases) assert.doesNotMatch((answers[c].error as { message: string } | null)?.message ?? "", /over the limit/, c);
});

test("the nesting scan: what counts, what does not, and where it points", () => {
  assert.equal(scanWgslNesting(`${"(".repeat(WGSL_NESTING_LIMITS.brackets)}`), null, "at the limit");
  const over = scanWgslNesting(`// (((\n/* (( /* nested ( */ */\nfn f() {\n  ${"(".repeat(WGSL_NESTING_LIMITS.brackets)}`);
  assert.match(over?.message ?? "", /brackets nested 128 deep/);
  assert.deepEqual([over?.lineNum, over?.linePos], [4, 2 + WGSL_NESTING_LIMITS.brackets], "comments are skipped; the position is the bracket past the limit");
  // Many statements, many functions that do not call each other, a long flat array: all flat.
  const flat = `fn a() {}\n${"fn b_NAME() { a(); }\n".repeat(400).replace(/NAME/g, () => String(Math.random()).slice(2))}const c = array(${"1.0, ".repeat(5000)}1.0);\nfn m() { ${"var x = 1 + 2 * 3;".repeat(5000)} }`;
  assert.equal(scanWgslNesting(flat), null);
  assert.match(scanWgslNesting(`fn f() -> bool { return ${"!".repeat(3000)}true; }`)?.message ?? "", /expression nested too deeply/);
  assert.match(scanWgslNesting(`var<private> v: ${"vec4<".repeat(64)}f32${">".repeat(64)};`)?.message ?? "", /template lists nested 64 deep/);
  // `a < b` is a comparison, not a template list; `array<f32, 4>` lists close.
  assert.equal(scanWgslNesting(`fn f(a: i32, b: i32) -> bool { ${"let x = array<f32, 4>(); ".repeat(100)} return a < b; }`), null);
});

test("createTexture with a huge mipLevelCount or depth is a validation error at once, not a loop per level or slice", () => {
  const { mips: out, depth } = runCases("mips", "depth");
  assert.match(String(out.error), /^GPUDevice\.createTexture: mipLevelCount \(4294967295\) exceeds the maximum \(3\) for a 3d texture of size \[4, 4, 4\]$/);
  assert.equal(out.mipLevelCount, 2 ** 32 - 1, "the invalid texture reflects its descriptor, as the spec says");
  // A 3D render attachment 2^32 - 1 deep: the engine's own error, and no clearing pass per slice.
  assert.match(String(depth.error), /4294967295/);
});

/** Runs the endless shader, waiting for it `how`; returns the events and how long the process took. */
function endless(how: string, watchdogMs?: number, env: Record<string, string> = {}) {
  const started = performance.now();
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", fileURLToPath(new URL("./fixtures/endless-shader.ts", import.meta.url)), how, String(watchdogMs ?? "")],
    {
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, ...env },
    },
  );
  assert.equal(r.signal, null, `${how}: the process did not end by itself (killed by ${r.signal})\n${r.stderr.slice(-800)}`);
  const events = r.stdout
    .trim()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as { event: string; ms: number; reason?: string; message?: string; name?: string });
  return { status: r.status, events, seconds: (performance.now() - started) / 1000, stderr: r.stderr };
}

test("an endless shader: awaited work ends in a lost device within the watchdog's bound, and the process exits", () => {
  const { status, events } = endless("async", 1000);
  assert.equal(status, 0);
  const byName = Object.fromEntries(events.map((e) => [e.event, e]));
  assert.equal(byName.lost?.reason, "unknown");
  assert.match(byName.lost.message ?? "", /did not finish its work within \d+ ms \(the watchdog/);
  assert.ok(byName.lost.ms >= 1000 && byName.lost.ms < 10_000, `lost after ${byName.lost.ms} ms`);
  assert.ok(byName["onSubmittedWorkDone resolved"], "onSubmittedWorkDone resolves on the lost device");
  assert.equal(byName["mapAsync rejected"]?.name, "AbortError");
  assert.ok(byName["onSubmittedWorkDone after loss resolved"]);
});

test("an endless shader: a sync wait, destroy(), process.exit() and the script's end all come back (WGPU_WATCHDOG_MS)", () => {
  const env = { WGPU_WATCHDOG_MS: "800" };
  const sync = endless("sync", undefined, env);
  assert.equal(sync.status, 0);
  assert.deepEqual(
    sync.events.map((e) => [e.event, e.name]),
    [
      ["mapSync threw", "AbortError"],
      ["lost", undefined],
    ],
  );
  // destroy() returns at once, Dawn's too (it would wait for the GPU forever).
  const destroyed = endless("destroy", undefined, env);
  assert.equal(destroyed.status, 0);
  const returned = destroyed.events.find((e) => e.event === "destroy returned");
  assert.ok(returned && returned.ms < 5_000, `destroy returned after ${returned?.ms} ms`);
  assert.equal(destroyed.events.find((e) => e.event === "lost")?.reason, "destroyed");
  // process.exit() and a natural end wait for the GPU no longer than the watchdog allows.
  const exited = endless("exit", undefined, env);
  assert.equal(exited.status, 3, exited.stderr.slice(-400));
  const natural = endless("natural", undefined, env);
  assert.equal(natural.status, 0, natural.stderr.slice(-400));
});

/** Runs a leak loop in a child; what it grew by after its warm-up. */
function leakLoop(kind: string, n: number, how: "dispose" | "drop") {
  const r = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./fixtures/leak-loop.ts", import.meta.url)), kind, String(n), how], {
    encoding: "utf8",
    timeout: 120_000,
  });
  assert.ok(r.status === 0 && !r.signal, `${kind} ${how}: status ${r.status} signal ${r.signal}\n${r.stderr.slice(-600)}`);
  const out = JSON.parse(r.stdout.trim().split("\n").pop()!) as { rssGrowthMiB: number; mapsGrowth: number; engineKept: Record<string, number> | null };
  process.stdout.write(`# leak loop ${kind} ${how} x ${n}: ${JSON.stringify(out)}\n`);
  return out;
}

// 100k measured once (see the commit); CI runs 20k. Dropped objects are measured after a full
// collection and one frame (onSubmittedWorkDone), so what counts is what stays.
test("bind groups released by dispose or dropped to the collector give their memory back (one mapping each on lavapipe)", () => {
  // Dawn frees them only as its queue moves on: without the ticks, 16k groups left 16k mappings
  // (and 65k crashed the process). Dropped ones leave the collector's lag on top (up to ~7k seen).
  const disposed = leakLoop("bindGroup", 20_000, "dispose");
  assert.ok(disposed.rssGrowthMiB < 32, `dispose: RSS grew ${disposed.rssGrowthMiB} MiB`);
  assert.ok(disposed.mapsGrowth < 1000, `dispose: ${disposed.mapsGrowth} more memory mappings`);
  const dropped = leakLoop("bindGroup", 20_000, "drop");
  assert.ok(dropped.rssGrowthMiB < 96, `drop: RSS grew ${dropped.rssGrowthMiB} MiB`);
  assert.ok(dropped.mapsGrowth < 12_000, `drop: ${dropped.mapsGrowth} more memory mappings`);
});

// 100k measured once (see the commit): +24 to +28 MiB on wgpu-native, V8's heap growth most of it.
test("query sets released by dispose or dropped to the collector give their memory back, the engine's count included", () => {
  for (const how of ["dispose", "drop"] as const) {
    const out = leakLoop("querySet", 20_000, how);
    assert.ok(out.rssGrowthMiB < 32, `${how}: RSS grew ${out.rssGrowthMiB} MiB`);
    // wgpu-native counts what it holds (Dawn counts nothing): before, it kept every one.
    if (out.engineKept) assert.equal(out.engineKept.querySets, 0, `${how}: the engine still holds query sets`);
  }
});
