// Defaults a person can use: uncaptured errors printed once with labels, strict mode, the engine's log.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { getLogLevel, setLogLevel, setLogger } from "../src/index.ts";
import { levelFromEnv } from "../src/api/logger.ts";
import { engineSkip } from "./helpers/engine.ts";

const fixture = fileURLToPath(new URL("./fixtures/error-reporting.ts", import.meta.url));

function child(mode: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ["--import", "tsx", fixture, mode], {
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, WGPU_STRICT: "", WGPU_LOG_LEVEL: "", ...env },
  });
  assert.equal(r.signal, null, r.stderr);
  return r;
}

test(
  "an uncaptured error with no listener is printed once, with the labels of its objects and the caller's line; repeats are counted",
  engineSkip("dawn", "the expected text is wgpu-native's (its function names and messages)"),
  () => {
    const r = child("report");
    assert.equal(r.status, 0, r.stderr);
    const reports = r.stderr.split("\n").filter((l) => l.startsWith("wgpu-ts: uncaptured"));
    assert.equal(reports.length, 2, r.stderr);
    assert.match(reports[0], /GPUValidationError on device "reporting device" \(wgpuDeviceCreateBuffer\) at .*error-reporting\.ts:\d+:\d+/);
    assert.match(r.stderr, /label = 'twice-mapped'/, "the engine's message names the new object");
    assert.match(reports[1], /in GPUCommandEncoder "misaligned clears" \(wgpuCommandEncoderFinish\)/);
    assert.match(r.stderr, /repeated 4 more time\(s\)/);
    assert.equal(r.stderr.match(/MAP` usage can only be combined/g)?.length, 2, "printed once, named once in the repeat count");
  },
);

test("strict mode (an option on requestDevice, or WGPU_STRICT=1) throws the GPUError from the call that caused it", () => {
  for (const [mode, env] of [
    ["strict", {}],
    ["strict-env", { WGPU_STRICT: "1" }],
  ] as const) {
    const r = child(mode, env);
    assert.equal(r.status, 0, r.stderr);
    const results = JSON.parse(r.stdout);
    assert.deepEqual(
      results,
      {
        createBuffer: "GPUValidationError (GPUValidationError)",
        finish: "GPUValidationError (GPUValidationError)",
        writeBuffer: "GPUValidationError (GPUValidationError)",
        unknownUsage: "GPUValidationError (GPUValidationError)",
        inScope: "returned",
        scopeCaught: "true",
        valid: "returned",
      },
      mode,
    );
    assert.doesNotMatch(r.stderr, /uncaptured/, "a thrown error is not printed as well");
  }
  const plain = child("strict-env");
  assert.equal(JSON.parse(plain.stdout).createBuffer, "returned", "without WGPU_STRICT nothing is thrown");
});

test(
  "the engine's log reaches the logger at the level set, and WGPU_LOG_LEVEL sets it",
  engineSkip("dawn", "Dawn's log is per device and not routed yet (only wgpu-native's wgpuSetLogCallback is)"),
  () => {
    const r = child("logger");
    assert.equal(r.status, 0, r.stderr);
    const { atDebug, atWarn } = JSON.parse(r.stdout);
    assert.ok((atDebug["wgpu-native:debug"] ?? 0) > 0, JSON.stringify(atDebug));
    assert.deepEqual(
      Object.keys(atWarn).filter((k) => !/error|warn/.test(k)),
      [],
      "nothing below warn at warn",
    );
    const traced = child("env-level", { WGPU_LOG_LEVEL: "trace" });
    assert.match(traced.stderr, /^wgpu-native \[trace\]: /m);
    const quiet = child("env-level", { WGPU_LOG_LEVEL: "off" });
    assert.equal(quiet.stderr, "");
    assert.equal(levelFromEnv("3"), "info");
    assert.equal(levelFromEnv(""), "warn", "warnings and errors by default");
    assert.throws(() => setLogLevel("loud" as never), { name: "TypeError", message: /setLogLevel: level \(loud\) must be one of/ });
    assert.throws(() => setLogger(42 as never), { name: "TypeError" });
    assert.equal(getLogLevel(), levelFromEnv(process.env.WGPU_LOG_LEVEL), "the level in force (npm test sets WGPU_LOG_LEVEL=error)");
  },
);

test(
  "the default logger prints an engine message that repeats once, and counts the repeats at exit",
  engineSkip("dawn", "Dawn's log is per device and not routed yet (only wgpu-native's wgpuSetLogCallback is)"),
  () => {
    const r = child("repeated-warning");
    assert.equal(r.status, 0, r.stderr);
    const warnings = r.stderr.split("\n").filter((l) => /^wgpu-native \[warn\]: .*[Dd]epth slice/.test(l));
    assert.equal(warnings.length, 1, r.stderr);
    assert.match(r.stderr, /\(wgpu-native \[warn\]: .*[Dd]epth slice.*\) repeated \d+ more time\(s\)/);
  },
);
