// Loading the engine: identified at load, WGPU_LIB_PATH, and clear errors when it is missing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { report } from "../src/index.ts";
import { packageRoot } from "../src/native/engine/load.ts";

const index = fileURLToPath(new URL("../src/index.ts", import.meta.url));

function runWith(env: Record<string, string>) {
  const script = `import { report } from ${JSON.stringify(index)}; console.log(JSON.stringify(report().engine));`;
  return spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", env: { ...process.env, ...env } });
}

test("the engine and its version are identified at load, and match the installed pin", () => {
  const installed = JSON.parse(readFileSync(join(packageRoot, "vendor/engines/wgpu-native/ENGINE.json"), "utf8"));
  const { engine } = report();
  assert.equal(engine.name, "wgpu-native");
  assert.equal(engine.version, installed.version);
  assert.match(engine.version, /^29\./);
  assert.match(engine.libraryPath, /libwgpu_native\.so$/);
});

test("WGPU_LIB_PATH loads the library it names", () => {
  const lib = join(packageRoot, "vendor/engines/wgpu-native/lib/libwgpu_native.so");
  const r = runWith({ WGPU_LIB_PATH: lib });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).libraryPath, lib);
});

test("a missing library says what was tried and what to do", () => {
  const r = runWith({ WGPU_LIB_PATH: "/nowhere/libwgpu_native.so" });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /could not load a WebGPU engine/);
  assert.match(r.stderr, /\/nowhere\/libwgpu_native\.so \(WGPU_LIB_PATH\): no such file/);
  assert.match(r.stderr, /npm run setup/);
});

test("a library that is not a WebGPU engine is refused by name", () => {
  const r = runWith({ WGPU_LIB_PATH: "/lib/x86_64-linux-gnu/libz.so.1" });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /exports no wgpuCreateInstance/);
});

test("report() gives the engine, the adapter and live object counts", () => {
  const r = report();
  assert.ok(r.adapter && r.adapter.summary.length > 0);
  assert.equal(r.node, process.version);
  assert.equal(typeof r.liveObjects, "object");
});
