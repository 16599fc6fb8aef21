// Loading the engine: chosen by name or path, identified at load, and clear errors when it is missing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import koffi from "koffi";
import { report } from "../src/index.ts";
import { packageRoot } from "../src/native/engine/package-root.ts";
import { bindFunctions } from "../src/native/ffi/bind.ts";
import { engine } from "./helpers/engine.ts";

const index = fileURLToPath(new URL("../src/index.ts", import.meta.url));
const loader = fileURLToPath(new URL("../src/native/engine/load.ts", import.meta.url));
const libs = {
  "wgpu-native": join(packageRoot, "vendor/engines/wgpu-native/lib/libwgpu_native.so"),
  dawn: join(packageRoot, "vendor/engines/dawn/lib/libwebgpu_dawn.so"),
};
const installedInfo = (name: string) => JSON.parse(readFileSync(join(packageRoot, `vendor/engines/${name}/ENGINE.json`), "utf8"));
// Outside CI an engine that is not installed is skipped with the reason; CI installs both.
const needs = (name: keyof typeof libs) => (existsSync(libs[name]) || process.env.CI ? {} : { skip: `${name} is not installed` });

/** Runs `body` (an ES module snippet with `wgpu` imported) in a child process with the given environment. */
function runWith(env: Record<string, string>, body = "console.log(JSON.stringify(wgpu.report().engine));") {
  const script = `import * as wgpu from ${JSON.stringify(index)};\nimport { candidatePaths } from ${JSON.stringify(loader)};\n${body}`;
  const childEnv: Record<string, string | undefined> = {
    ...process.env,
    WGPU_ENGINE: undefined,
    WGPU_LIB_PATH: undefined,
    WGPU_DAWN_TOGGLES: undefined,
    ...env,
  };
  for (const k of Object.keys(childEnv)) if (childEnv[k] === undefined || childEnv[k] === "") delete childEnv[k];
  return spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", env: childEnv as NodeJS.ProcessEnv });
}

test("the engine and its version are identified at load, and match the installed pin", () => {
  const { engine: loaded } = report();
  assert.equal(loaded.name, engine);
  assert.equal(loaded.version, installedInfo(engine).version);
  assert.equal(loaded.libraryPath, libs[engine]);
  if (engine === "wgpu-native") assert.match(loaded.version, /^29\./);
});

test("every webgpu.h function binds on the loaded engine", () => {
  const { missing } = bindFunctions(koffi.load(libs[engine]), ["webgpu.h"]);
  assert.deepEqual(missing, []);
});

test("wgpu-native is the default; WGPU_ENGINE chooses; an unknown name is refused", needs("dawn"), () => {
  assert.equal(JSON.parse(runWith({}).stdout).name, "wgpu-native");
  const dawn = runWith({ WGPU_ENGINE: "dawn" });
  assert.equal(dawn.status, 0, dawn.stderr);
  assert.equal(JSON.parse(dawn.stdout).name, "dawn");
  const bad = runWith({ WGPU_ENGINE: "webkit" });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /unknown engine "webkit" \(from WGPU_ENGINE\); known: wgpu-native, dawn/);
});

test("WGPU_LIB_PATH loads any engine's library and detects which engine it is", needs("dawn"), () => {
  for (const [name, lib] of Object.entries(libs)) {
    const r = runWith({ WGPU_LIB_PATH: lib });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { name, version: installedInfo(name).version, libraryPath: lib });
  }
  const mismatch = runWith({ WGPU_LIB_PATH: libs["wgpu-native"], WGPU_ENGINE: "dawn" });
  assert.notEqual(mismatch.status, 0);
  assert.match(mismatch.stderr, /is wgpu-native, but dawn was asked for/);
});

test("useEngine and create(flags) choose the engine in code before first use, and refuse another one after", needs("dawn"), () => {
  const r = runWith(
    {},
    `const id = wgpu.useEngine({ engine: "dawn", dawnToggles: { enable: ["allow_unsafe_apis"] } });
     const device = wgpu.gpu.requestAdapterSync().requestDeviceSync();
     let refused = "";
     try { wgpu.useEngine({ engine: "wgpu-native" }); } catch (e) { refused = e.message; }
     wgpu.create(["enable-dawn-features=allow_unsafe_apis", "engine=dawn"]);
     console.log(JSON.stringify({ id, report: wgpu.report().engine.name, device: !!device, refused }));`,
  );
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.id.name, "dawn");
  assert.equal(out.report, "dawn");
  assert.ok(out.device);
  assert.match(out.refused, /already loaded \(dawn from .*\); choose it before first use/);
  const viaCreate = runWith(
    {},
    `wgpu.create(["engine=dawn", "disable-dawn-features=lazy_clear_resource_on_first_use"]); console.log(wgpu.report().engine.name);`,
  );
  assert.equal(viaCreate.stdout.trim(), "dawn", viaCreate.stderr);
});

test("Dawn takes toggles from WGPU_DAWN_TOGGLES for the instance, adapters and devices", needs("dawn"), () => {
  // Dawn refuses a chained struct it does not know, so a device made with toggles proves the chain.
  const body = `const d = wgpu.gpu.requestAdapterSync().requestDeviceSync(); console.log(d.queue ? "device" : "none");`;
  const r = runWith({ WGPU_ENGINE: "dawn", WGPU_DAWN_TOGGLES: "allow_unsafe_apis,-lazy_clear_resource_on_first_use" }, body);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), "device");
});

test("a missing library says what was tried and what to do", () => {
  const r = runWith({ WGPU_LIB_PATH: "/nowhere/libwgpu_native.so" });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /could not load a WebGPU engine/);
  assert.match(r.stderr, /\/nowhere\/libwgpu_native\.so \(WGPU_LIB_PATH\): no such file/);
  assert.match(r.stderr, /npm run setup/);
  assert.match(r.stderr, /`npm install wgpu-ts` brings wgpu-native/);
});

test("without WGPU_LIB_PATH the engine is looked for in the checkout, then in its npm package", () => {
  const r = runWith({ WGPU_ENGINE: "dawn" }, `console.log(JSON.stringify(candidatePaths()));`);
  assert.equal(r.status, 0, r.stderr);
  const [checkout, installed] = JSON.parse(r.stdout);
  assert.deepEqual(checkout, { path: libs.dawn, source: "checkout" });
  assert.equal(installed.source, `@wgpu-ts/dawn-${process.platform}-${process.arch}`);
  // The checkout installs no engine package: its candidate says so instead of naming a path.
  assert.deepEqual(installed, { source: installed.source, problem: `the package ${installed.source} is not installed` });
  const missing = runWith({ WGPU_ENGINE: "dawn" }, `console.log(JSON.stringify(candidatePaths({ engine: "wgpu-native" })[1]));`);
  assert.match(JSON.parse(missing.stdout).source, /^@wgpu-ts\/wgpu-native-/);
});

test("a library that is not a WebGPU engine is refused by name", () => {
  const r = runWith({ WGPU_LIB_PATH: "/lib/x86_64-linux-gnu/libz.so.1" });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /exports no wgpuCreateInstance/);
});

test("report() gives the engine, the adapter and live object counts", () => {
  const r = report();
  assert.equal(r.engine.name, engine);
  assert.ok(r.adapter && r.adapter.summary.length > 0);
  assert.equal(r.node, process.version);
  assert.equal(typeof r.liveObjects, "object");
});
