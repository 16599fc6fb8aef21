// Whole-process behaviour: scripts exit by themselves, promptly, without spinning; Node 20 works.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

test("a script exits within a second of its last await, and its idle pump costs no CPU", async () => {
  const child = spawn(process.execPath, ["--import", "tsx", fixture("exit-after-await.ts")], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  const [code, exitedAt] = await new Promise<[number | null, number]>((resolve) => child.on("exit", (c) => resolve([c, Date.now()])));
  assert.equal(code, 0);
  const result = JSON.parse(out);
  assert.equal(result.sum, 3 * 256);
  const lag = exitedAt - result.lastAwait;
  assert.ok(lag < 1000, `exited ${lag} ms after its last await`);
  assert.ok(result.idleCpuMs < 50, `used ${result.idleCpuMs} ms of CPU while idle for 300 ms`);
});

test("a process that ends while GPU work is pending ends cleanly (no crash in the driver's exit)", () => {
  const results: string[] = [];
  for (const how of ["natural", "exit"]) {
    for (const lose of ["keep", "lose"]) {
      for (let i = 0; i < 2; i++) {
        const r = spawnSync(process.execPath, ["--import", "tsx", fixture("exit-with-pending-work.ts"), how, lose], { encoding: "utf8", timeout: 60_000 });
        if (r.status !== 0 || r.signal) results.push(`${how}/${lose}: status ${r.status} signal ${r.signal} ${r.stderr.slice(-200)}`);
      }
    }
  }
  assert.deepEqual(results, []);
});

test("a process that ends by an uncaught exception or SIGINT while GPU work is pending ends cleanly too", async () => {
  const crashes = /Segmentation|panicked|Aborted|core dumped|fatal runtime error/;
  const thrown = spawnSync(process.execPath, ["--import", "tsx", fixture("exit-with-pending-work.ts"), "throw", "lose"], { encoding: "utf8", timeout: 60_000 });
  assert.equal(thrown.signal, null, thrown.stderr);
  assert.equal(thrown.status, 1);
  assert.match(thrown.stderr, /uncaught, on purpose/);
  assert.doesNotMatch(thrown.stderr, crashes);
  for (const how of ["sigint", "sigint-handler"]) {
    const child = spawn(process.execPath, ["--import", "tsx", fixture("exit-with-pending-work.ts"), how], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.stdout.on("data", (d) => String(d).includes("submitted") && child.kill("SIGINT"));
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on("exit", (c, s) => resolve([c, s])));
    // Killed by the SIGINT itself (Node's default), or exiting 130 from the listener: never another signal.
    assert.ok(signal === "SIGINT" || code === 130, `${how}: code ${code} signal ${signal}\n${stderr}`);
    assert.doesNotMatch(stderr, crashes, how);
  }
});

/** A Node 20 binary: WGPU_TS_NODE20, else the system's node when it is Node 20 (as on Debian CI). */
function findNode20(): string | null {
  for (const candidate of [process.env.WGPU_TS_NODE20, "/usr/bin/node", "/usr/local/bin/node"]) {
    if (!candidate) continue;
    try {
      if (execFileSync(candidate, ["--version"], { encoding: "utf8" }).startsWith("v20.")) return candidate;
    } catch {
      // not there
    }
  }
  return null;
}

test("smoke test on Node 20: the built package computes, maps through copies, and exits", (t) => {
  const node20 = findNode20();
  if (!node20) {
    t.skip("no Node 20 binary found (set WGPU_TS_NODE20); CI's Debian machine has one");
    return;
  }
  const out = execFileSync(node20, [fixture("node20-smoke.mjs")], { encoding: "utf8", timeout: 60_000 });
  const result = JSON.parse(out.trim().split("\n").pop()!);
  assert.match(result.node, /^v20\./);
  assert.deepEqual(result.y, [10, 20, 30, 40]);
  assert.deepEqual(result.back, [9, 8, 7, 6]);
  assert.equal(result.detached, true);
  assert.equal(result.mappedRanges, "copies");
});
