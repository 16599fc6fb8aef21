// Leaks: 300 frames of render passes and bundles keep the JS and engine object counts flat.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { engineSkip } from "./helpers/engine.ts";

type Counts = { js: Record<string, number>; engine: Record<string, number> };
let frames: Record<"warm" | "after" | "invalid", Counts> | undefined;

/** The fixture's counts after warm-up, after 300 frames, and after 100 more frames with an invalid bundle each (run once). */
function run(): Record<"warm" | "after" | "invalid", Counts> {
  const fixture = fileURLToPath(new URL("./fixtures/render-frames.ts", import.meta.url));
  frames ??= JSON.parse(
    execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", fixture], { encoding: "utf8", timeout: 120_000 }).trim().split("\n").pop()!,
  );
  return frames!;
}

const grown = (a: Record<string, number>, b: Record<string, number>) =>
  Object.keys(b)
    .filter((k) => (b[k] ?? 0) > (a[k] ?? 0) + 20)
    .map((k) => `${k}: ${a[k] ?? 0} -> ${b[k]}`);

test("render frames (passes, valid and invalid bundles) leave no JS objects behind", () => {
  const { warm, after, invalid } = run();
  assert.deepEqual(grown(warm.js, after.js), [], "JS-side live objects grew over 300 frames");
  assert.deepEqual(grown(after.js, invalid.js), [], "JS-side live objects grew with invalid bundles");
});

test("render frames leave no engine objects behind", engineSkip("dawn", "Dawn has no wgpuGenerateReport: it reports no object counts of its own"), () => {
  const { warm, after, invalid } = run();
  assert.deepEqual(grown(warm.engine, after.engine), [], "engine objects grew over 300 frames");
  // Known engine leak: one unsubmitted command buffer per invalid bundle, nothing else.
  assert.ok(invalid.engine.commandBuffers - after.engine.commandBuffers <= 100, "at most one command buffer per invalid bundle");
  assert.deepEqual(grown({ ...after.engine, commandBuffers: invalid.engine.commandBuffers }, invalid.engine), [], "nothing else grew with invalid bundles");
});
