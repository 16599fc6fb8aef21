// Choosing the instance and the adapter before anything is made: setInstanceExtras and the
// WGPU_BACKEND_TYPE, WGPU_ADAPTER_NAME and WGPU_POWER_PREFERENCE variables (each in a fresh process).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { testAdapter } from "./helpers/gpu.ts";
import { engineSkip } from "./helpers/engine.ts";

const vulkanOnly = () =>
  engineSkip("dawn", "Dawn shows the adapter through Vulkan only, and setInstanceExtras / WGPU_BACKEND_TYPE are wgpu-native's instance extras");

const index = JSON.stringify(fileURLToPath(new URL("../src/index.ts", import.meta.url)));
const extras = JSON.stringify(fileURLToPath(new URL("../src/extras.ts", import.meta.url)));

/** Runs `body` (with `gpu` and `native` in scope) in a fresh process; returns what it printed. */
function run(body: string, env: Record<string, string> = {}) {
  const script = `import { gpu } from ${index}; import * as native from ${extras};\n${body}`;
  const clean = { ...process.env };
  for (const k of ["WGPU_BACKEND_TYPE", "WGPU_ADAPTER_NAME", "WGPU_POWER_PREFERENCE"]) delete clean[k];
  return spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", env: { ...clean, ...env } });
}

const printAdapters = `
  const a = gpu.requestAdapterSync();
  console.log(JSON.stringify({ chosen: a.summary, all: gpu.enumerateAdaptersSync().map((x) => x.summary) }));`;

function adapters(r: ReturnType<typeof run>): { chosen: string; all: string[] } {
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

// The adapter shows up twice, through Vulkan and through OpenGL (lavapipe here, and NVIDIA's driver
// on the GPU machine): each test picks one of them.
test("by default the adapter is seen through Vulkan only (GL's set-up is skipped where a Vulkan driver is installed)", vulkanOnly(), () => {
  const { chosen, all } = adapters(run(printAdapters));
  assert.match(chosen, /via Vulkan$/);
  assert.ok(
    all.every((s) => /via Vulkan$/.test(s)),
    all.join("; "),
  );
});

test("with both backends chosen, the adapter is seen through Vulkan and OpenGL, Vulkan first", vulkanOnly(), () => {
  const { chosen, all } = adapters(run(`native.setInstanceExtras({ backends: ["vulkan", "gl"] });${printAdapters}`));
  assert.match(chosen, /via Vulkan$/);
  assert.ok(
    all.some((s) => /via OpenGL$/.test(s)),
    all.join("; "),
  );
});

test("setInstanceExtras chooses the backends before the instance is made", vulkanOnly(), () => {
  const { chosen, all } = adapters(run(`native.setInstanceExtras({ backends: ["gl"], flags: ["validation"] });${printAdapters}`));
  assert.match(chosen, /via OpenGL$/);
  assert.ok(
    all.every((s) => /via OpenGL$/.test(s)),
    all.join("; "),
  );
});

test("WGPU_BACKEND_TYPE chooses the backend (wgpu-py's names)", vulkanOnly(), () => {
  assert.match(adapters(run(printAdapters, { WGPU_BACKEND_TYPE: "OpenGL" })).chosen, /via OpenGL$/);
  assert.ok(adapters(run(printAdapters, { WGPU_BACKEND_TYPE: "Vulkan" })).all.every((s) => /via Vulkan$/.test(s)));
  const bad = run(printAdapters, { WGPU_BACKEND_TYPE: "Glide" });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /WGPU_BACKEND_TYPE \("Glide"\) must be one of Vulkan, Metal, D3D12, OpenGL/);
});

test("WGPU_ADAPTER_NAME picks the adapter whose summary contains it", () => {
  assert.match(adapters(run(printAdapters, { WGPU_ADAPTER_NAME: "(CPU) via" })).chosen, /\(CPU\) via/);
  const r = run(`gpu.requestAdapter().then(() => console.log("found"), (e) => console.log(e.message));`, { WGPU_ADAPTER_NAME: "Voodoo" });
  assert.match(r.stdout, /no adapter's summary contains WGPU_ADAPTER_NAME \("Voodoo"\); the adapters are: "[^"]+ via Vulkan"/);
});

test("WGPU_POWER_PREFERENCE stands in for a powerPreference left out, and is checked", () => {
  assert.match(adapters(run(printAdapters, { WGPU_POWER_PREFERENCE: "low-power" })).chosen, / via Vulkan$/);
  const r = run(printAdapters, { WGPU_POWER_PREFERENCE: "fastest" });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /powerPreference \(from WGPU_POWER_PREFERENCE\) \("fastest"\) must be one of "low-power", "high-performance"/);
});

test("setInstanceExtras checks its names", () => {
  const r = run(`try { native.setInstanceExtras({ backends: ["vulcan"] }); } catch (e) { console.log(e.message); }`);
  assert.match(r.stdout, /backends\[0\] \("vulcan"\) must be one of "vulkan", "gl"/);
  testAdapter(); // this process's instance is untouched
});
