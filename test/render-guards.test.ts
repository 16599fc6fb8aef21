// Inputs wgpu-native aborts on (render pipelines, passes, bundles, query sets) end as validation
// errors; they run in a child process so that an abort fails this test instead of the suite.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { nativeRuntime } from "../src/backend.ts";
import { testDevice } from "./helpers/gpu.ts";

test("no render input that wgpu-native aborts on reaches it: each is a validation error", () => {
  const fixture = fileURLToPath(new URL("./fixtures/render-guards.ts", import.meta.url));
  const r = spawnSync(process.execPath, ["--import", "tsx", fixture], { encoding: "utf8", timeout: 120_000 });
  assert.equal(r.status, 0, `the child process ended with ${r.status ?? r.signal}: ${r.stderr.slice(-2000)}`);
  const results = JSON.parse(r.stdout.trim().split("\n").pop()!) as Record<string, string>;
  const valid = new Set([
    "pipelineNullVertexBufferSlot",
    "indexOffset2NeverWritten",
    "vertexBufferSize0",
    "vertexBufferNull",
    "indexBufferSize0",
    "bundleEncoderDisposedUnfinished",
    "vertexBufferEmptyDrawNone",
    "vertexBufferEmptyIndexed",
    "vertexBufferEmptyIndirect",
    "instanceBufferEmptyNoInstances",
    "indexBufferEmptyIndexNone",
  ]);
  // unorm8x4-bgra is a spec format: only an engine that aborts on it (wgpu-native 29) turns it away.
  if (!nativeRuntime().behaviour.unsupportedVertexFormats.has("unorm8x4-bgra")) valid.add("pipelineVertexFormatBgra");
  // 16 bytes of immediates are out of range only where a default device allows none (wgpu-native:
  // maxImmediateSize 0; Dawn gives 64 and, as the spec does, checks setImmediates against that limit).
  if (testDevice().limits.maxImmediateSize >= 16) valid.add("bundleImmediatesOutOfRange");
  for (const [name, outcome] of Object.entries(results)) {
    if (valid.has(name)) assert.equal(outcome, "ok", name);
    else assert.match(outcome, /^validation: /, name);
  }
  assert.match(results.bundleFinishTwice, /finished already/);
  assert.match(results.bundleCommandAfterFinish, /finished/);
  assert.match(results.querySetDestroyedThenResolved, /destroyed/);
  assert.match(results.attachmentDestroyedBeforeSubmit, /destroyed/);
  assert.match(results.vertexBufferEmptyThenDraw, /bound to no data/);
  assert.match(results.vertexBufferEmptyFirstVertex, /vertex buffer bound to no data/);
  assert.match(results.instanceBufferEmptyFirstInstance, /instance buffer bound to no data/);
  assert.match(results.instanceBufferEmptyIndexed, /instance buffer bound to no data/);
  assert.match(results.vertexBufferNullThenDrawNone, /slot 0 is set to null/);
  assert.equal(Object.keys(results).length, 50);
});
