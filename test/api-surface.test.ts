// The public surface: the spec's members plus exactly the apiDiff registry; globals; dawn.node's entry points.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as wgpu from "../src/index.ts";
import { apiDiff, create, globals, gpu, installGlobals } from "../src/index.ts";
import { packageRoot } from "../src/native/engine/package-root.ts";

/** Members of each interface in webgpu.idl (with its partial interfaces and mixins). */
function idlMembers(): Map<string, Set<string>> {
  const idl = readFileSync(join(packageRoot, "vendor/engines/wgpu-native/include/webgpu.idl"), "utf8").replace(/\/\/[^\n]*/g, "");
  const members = new Map<string, Set<string>>();
  const mixins = new Map<string, Set<string>>();
  const includes: [string, string][] = [];
  const parents = new Map<string, string>();
  for (const m of idl.matchAll(/(partial )?interface (mixin )?(\w+)\s*(?::\s*(\w+))?\s*\{([\s\S]*?)\n\};/g)) {
    const [, , mixin, name, parent, body] = m;
    const set = (mixin ? mixins : members).get(name) ?? new Set<string>();
    for (const chunk of body.split(";")) {
      const line = chunk
        .replace(/\[[^\]]*\]/g, " ")
        .replace(/\s+/g, " ")
        .trim();
      const id = /attribute .* (\w+)$/.exec(line) ?? /(\w+)\s*\(/.exec(line);
      if (id) set.add(id[1]);
      if (/setlike/.test(line)) ["size", "has", "forEach", "entries", "keys", "values"].forEach((k) => set.add(k));
    }
    (mixin ? mixins : members).set(name, set);
    if (parent) parents.set(name, parent);
  }
  for (const m of idl.matchAll(/(\w+) includes (\w+);/g)) includes.push([m[1], m[2]]);
  for (const [iface, mixin] of includes) for (const k of mixins.get(mixin) ?? []) members.get(iface)?.add(k);
  for (const [iface, parent] of parents) for (const k of members.get(parent) ?? []) members.get(iface)?.add(k);
  return members;
}

test("every public member is in the spec or in the apiDiff registry, and every registry entry exists", () => {
  const idl = idlMembers();
  const added = new Set(apiDiff.filter((d) => d.kind === "added").map((d) => d.target));
  const eventTarget = new Set(["addEventListener", "removeEventListener", "dispatchEvent"]);
  const undocumented: string[] = [];
  const found = new Set<string>();
  for (const cls of Object.values(wgpu)) {
    if (typeof cls !== "function" || !/^GPU/.test(cls.name) || !idl.has(cls.name)) continue;
    const names = new Set<string>();
    const builtins = [Object.prototype, EventTarget.prototype, Event.prototype, DOMException.prototype, Error.prototype];
    for (let p = cls.prototype; p && !builtins.includes(p); p = Object.getPrototypeOf(p)) {
      for (const n of Object.getOwnPropertyNames(p)) if (n !== "constructor") names.add(n);
    }
    for (const n of names) {
      const target = `${cls.name}.${n}`;
      if (added.has(target)) found.add(target);
      else if (!idl.get(cls.name)!.has(n) && !eventTarget.has(n)) undocumented.push(target);
    }
  }
  assert.deepEqual(undocumented, [], "members that neither the spec nor apiDiff has");
  // Dictionary members and module-level exports are not interface members: checked apart.
  const isInterfaceMember = (t: string) => idl.has(t.split(".")[0]) && t.includes(".");
  const missing = [...added].filter((t) => !t.startsWith("*.") && (isInterfaceMember(t) ? !found.has(t) : !t.includes(".") && !(t in wgpu)));
  assert.deepEqual(missing, [], "apiDiff entries that do not exist");
  for (const d of apiDiff) assert.ok(d.reason.length > 10, `${d.target} has a reason`);
});

test("the standard value classes have the spec's attributes", () => {
  const idl = idlMembers();
  const adapter = gpu.requestAdapterSync()!;
  for (const name of idl.get("GPUSupportedLimits")!)
    assert.equal(typeof (adapter.limits as unknown as Record<string, number>)[name], "number", `limits.${name}`);
  for (const name of idl.get("GPUAdapterInfo")!) assert.notEqual((adapter.info as unknown as Record<string, unknown>)[name], undefined, `info.${name}`);
  assert.ok(adapter.features instanceof wgpu.GPUSupportedFeatures);
  assert.ok([...adapter.features].every((f) => typeof f === "string" && adapter.features.has(f)));
  assert.match(adapter.summary, /^.+ \((CPU|DiscreteGPU|IntegratedGPU|Unknown)\) via \w+$/);
  assert.equal(gpu.getPreferredCanvasFormat(), "bgra8unorm");
  assert.ok(gpu.wgslLanguageFeatures instanceof wgpu.WGSLLanguageFeatures);
});

test("requestDevice honours requiredFeatures and requiredLimits, and refuses what the adapter lacks", async () => {
  const adapter = gpu.requestAdapterSync()!;
  const feature = [...adapter.features][0];
  const device = await adapter.requestDevice({
    requiredFeatures: feature ? [feature as GPUFeatureName] : [],
    requiredLimits: { maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize, maxBindGroups: undefined },
    defaultQueue: { label: "q" },
    label: "d",
  });
  assert.equal(device.limits.maxStorageBufferBindingSize, adapter.limits.maxStorageBufferBindingSize);
  if (feature) assert.ok(device.features.has(feature));
  assert.equal(device.label, "d");
  assert.equal(device.queue.label, "q");
  assert.equal(device.adapter, adapter);
  await assert.rejects(adapter.requestDevice({ requiredFeatures: ["no-such-feature" as GPUFeatureName] }), TypeError);
  await assert.rejects(adapter.requestDevice({ requiredLimits: { maxBindGroups: adapter.limits.maxBindGroups + 1 } }), { name: "OperationError" });
  await assert.rejects(adapter.requestDevice({ requiredLimits: { noSuchLimit: 1 } }), { name: "OperationError" });
  device.destroy();
});

test("a per-stage limit the engine lacks (maxStorageBuffersInFragmentStage) is granted as asked, through the limit it refines", async () => {
  const adapter = gpu.requestAdapterSync()!;
  const want = adapter.limits.maxStorageBuffersInFragmentStage;
  const device = await adapter.requestDevice({ requiredLimits: { maxStorageBuffersInFragmentStage: want } });
  assert.equal(device.limits.maxStorageBuffersInFragmentStage, want);
  assert.ok(device.limits.maxStorageBuffersPerShaderStage >= want);
  device.destroy();
});

test("adapter info: vendor, architecture and device are normalized identifiers; device.adapterInfo is an object of its own", () => {
  const adapter = gpu.requestAdapterSync()!;
  for (const key of ["vendor", "architecture", "device"] as const) assert.match(adapter.info[key], /^$|^[a-z0-9]+(-[a-z0-9]+)*$/, key);
  const device = adapter.requestDeviceSync();
  assert.notEqual(device.adapterInfo, adapter.info);
  assert.equal(device.adapterInfo.device, adapter.info.device);
  device.destroy();
});

test("requestAdapter: a featureLevel that is not a feature level resolves null (a DOMString, not an enum)", async () => {
  for (const featureLevel of ["", "Core", "cor", " core", "compatability"]) {
    assert.equal(await gpu.requestAdapter({ featureLevel }), null, JSON.stringify(featureLevel));
    assert.equal(gpu.requestAdapterSync({ featureLevel }), null, JSON.stringify(featureLevel));
  }
  for (const featureLevel of [undefined, "core", "compatibility"]) assert.ok(await gpu.requestAdapter({ featureLevel }), String(featureLevel));
  assert.throws(() => gpu.requestAdapterSync({ powerPreference: "fast" as GPUPowerPreference }), TypeError);
});

test("installGlobals puts navigator.gpu, the classes and the constants on globalThis", () => {
  installGlobals();
  const g = globalThis as unknown as Record<string, unknown> & { navigator: { gpu: unknown } };
  assert.equal(g.navigator.gpu, gpu);
  assert.equal(g.GPUBufferUsage, wgpu.GPUBufferUsage);
  assert.equal(g.GPUDevice, wgpu.GPUDevice);
  assert.equal(g.GPUValidationError, wgpu.GPUValidationError);
  for (const name of Object.keys(globals)) assert.ok(name in g, name);
});

test("dawn.node's entry points: create(flags) and globals", async () => {
  const g = create(["enable-dawn-features=allow_unsafe_apis"]);
  const adapter = await g.requestAdapter();
  assert.ok(adapter instanceof globals.GPUAdapter);
  assert.equal(globals.GPUMapMode.READ, 1);
  assert.throws(() => create("x" as never), TypeError);
});
