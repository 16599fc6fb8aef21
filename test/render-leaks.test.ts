// Leaks: 300 frames of render passes and bundles keep the JS and engine object counts flat.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

test("render frames (passes, valid and invalid bundles) leave no objects behind", () => {
  const fixture = fileURLToPath(new URL("./fixtures/render-frames.ts", import.meta.url));
  const out = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", fixture], { encoding: "utf8", timeout: 120_000 });
  const { warm, after, invalid } = JSON.parse(out.trim().split("\n").pop()!) as Record<"warm" | "after" | "invalid", { js: Record<string, number>; engine: Record<string, number> }>;
  const grown = (a: Record<string, number>, b: Record<string, number>) => Object.keys(b).filter((k) => (b[k] ?? 0) > (a[k] ?? 0) + 20).map((k) => `${k}: ${a[k] ?? 0} -> ${b[k]}`);
  assert.deepEqual(grown(warm.js, after.js), [], "JS-side live objects grew over 300 frames");
  assert.deepEqual(grown(warm.engine, after.engine), [], "engine objects grew over 300 frames");
  // Known engine leak: one unsubmitted command buffer per invalid bundle, nothing else.
  assert.deepEqual(grown(after.js, invalid.js), [], "JS-side live objects grew with invalid bundles");
  assert.ok(invalid.engine.commandBuffers - after.engine.commandBuffers <= 100, "at most one command buffer per invalid bundle");
  assert.deepEqual(grown({ ...after.engine, commandBuffers: invalid.engine.commandBuffers }, invalid.engine), [], "nothing else grew with invalid bundles");
});
