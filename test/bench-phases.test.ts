// The benchmark's phase splits (bench/phases.mjs, run by bench/runner.mjs as the bench runs them)
// on wgpu-ts with small sizes: every split runs and every phase is a measured, positive time.
// The closing notes quote these splits; a split that broke would go unseen otherwise (the suite
// runs no benchmark).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const runner = fileURLToPath(new URL("../bench/runner.mjs", import.meta.url));
const tiny = { warmups: 1, runs: 2, draws: 2000, sceneDraws: 200, roundTrips: 10, bigBytes: 1 << 20, chunkBytes: 4096, matmulN: 64, matmulReps: 3 };
const expected: Record<string, string[]> = {
  draw: ["loop", "end", "finish", "submit", "wait"],
  renderLoop: ["encode", "submit", "wait"],
  roundTrip: ["submit", "mapCall", "wait", "readUnmap"],
  readback: ["submit", "mapWait", "getMappedRange", "copy", "unmap"],
  writeChunks: ["calls", "wait"],
  matmulReps: ["reps3", "reps30"],
};

function run(ids: string[]): Map<string, { unit?: string; phases?: Record<string, number>; na?: string }> {
  const peer = process.env.WGPU_ENGINE === "dawn" ? "wgpu-ts-dawn" : "wgpu-ts";
  const r = spawnSync(process.execPath, [runner, peer, JSON.stringify(tiny), ...ids], { encoding: "utf8", timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout
    .split("\n")
    .filter((l) => l.startsWith('@@{"workload"'))
    .map((l) => JSON.parse(l.slice(2)));
  return new Map(lines.map((l) => [l.workload, l]));
}

test("every phase split of bench/phases.mjs runs on wgpu-ts and times each of its phases", () => {
  const got = run(Object.keys(expected).map((k) => `phases.${k}`));
  for (const [name, keys] of Object.entries(expected)) {
    const r = got.get(`phases.${name}`);
    assert.ok(r, `no result for phases.${name}`);
    assert.equal(r.na, undefined, `phases.${name}: ${r.na}`);
    assert.ok(r.unit, `phases.${name} has no unit`);
    assert.deepEqual(Object.keys(r.phases ?? {}), keys, `phases.${name}`);
    // Some steps can be quicker than the clock's grain (end() of a replayed pass), so >= 0; the sum is not.
    for (const [k, v] of Object.entries(r.phases!)) assert.ok(Number.isFinite(v) && v >= 0, `phases.${name}.${k} = ${v}`);
    assert.ok(Object.values(r.phases!).reduce((a, b) => a + b, 0) > 0, `phases.${name}: nothing measured`);
  }
});

test("an unknown split is reported, not run; phases.startup times the process's import, adapter and device", () => {
  const unknown = run(["phases.nonesuch"]).get("phases.nonesuch");
  assert.match(unknown?.na ?? "", /no such phase split \(draw, renderLoop/);
  const startup = run(["phases.startup"]).get("phases.startup");
  assert.deepEqual(Object.keys(startup?.phases ?? {}), ["runtime", "import", "requestAdapter", "requestDevice"]);
  for (const v of Object.values(startup!.phases!)) assert.ok(v > 0);
});
