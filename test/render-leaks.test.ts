// Leaks: 300 frames of render passes and bundles keep the JS and engine object counts flat.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { engineSkip } from "./helpers/engine.ts";

type Counts = Record<"warm" | "after" | "invalid", { js: Record<string, number>; engine: Record<string, number> }>;
let counts: Counts | undefined;

/** Runs the 300 frames once (in a child, with --expose-gc) for both tests. */
function frames(): Counts {
  const fixture = fileURLToPath(new URL("./fixtures/render-frames.ts", import.meta.url));
  counts ??= JSON.parse(execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", fixture], { encoding: "utf8", timeout: 120_000 }).trim().split("\n").pop()!) as Counts;
  return counts;
}

const grown = (a: Record<string, number>, b: Record<string, number>) => Object.keys(b).filter((k) => (b[k] ?? 0) > (a[k] ?? 0) + 20).map((k) => `${k}: ${a[k] ?? 0} -> ${b[k]}`);

test("render frames (passes, valid and invalid bundles) leave no objects behind", () => {
  const { warm, after, invalid } = frames();
  assert.deepEqual(grown(warm.js, after.js), [], "JS-side live objects grew over 300 frames");
  assert.deepEqual(grown(after.js, invalid.js), [], "JS-side live objects grew with invalid bundles");
});

test("render frames leave no objects behind in the engine's own counts", engineSkip("dawn", "Dawn has no wgpuGenerateReport: it reports no object counts of its own"), () => {
  const { warm, after, invalid } = frames();
  assert.deepEqual(grown(warm.engine, after.engine), [], "engine objects grew over 300 frames");
  // Known engine leak: one unsubmitted command buffer per invalid bundle, nothing else.
  assert.ok(invalid.engine.commandBuffers - after.engine.commandBuffers <= 100, "at most one command buffer per invalid bundle");
  assert.deepEqual(grown({ ...after.engine, commandBuffers: invalid.engine.commandBuffers }, invalid.engine), [], "nothing else grew with invalid bundles");
});
