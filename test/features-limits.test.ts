// Features, limits and WGSL language features as the spec has them, on the engine under test:
// what an adapter lists, a device can be given; a core adapter and its devices name
// core-features-and-limits; every limit is at least the spec's default (an engine that lacks one
// reports the default), so a device asked for the defaults, or for the adapter's limits, is made;
// gpu.wgslLanguageFeatures lists what the engine's WGSL compiler accepts in a `requires` directive.
import { test } from "node:test";
import assert from "node:assert/strict";
import { GPUBufferUsage, gpu, limitNames } from "../src/index.ts";
import { limitDefaults } from "../src/api/adapter-info.ts";
import { WGPUWGSLLanguageFeatureName } from "../src/native/ffi/generated/webgpu.ts";
import { engine } from "./helpers/engine.ts";
import { freshAdapter, testDevice, validationErrorOf } from "./helpers/gpu.ts";

const limitsOf = (l: GPUSupportedLimits) => Object.fromEntries(limitNames.map((n) => [n, (l as unknown as Record<string, number>)[n]]));

/** Each limit at least as good as `floor`: alignments at most it, the others at least it. */
function assertAtLeast(limits: Record<string, number>, floor: Record<string, number>, what: string) {
  for (const name of limitNames) {
    const [v, min] = [limits[name], floor[name]];
    if (name.startsWith("min")) assert.ok(v <= min, `${what}.${name} (${v}) is at most ${min}`);
    else assert.ok(v >= min, `${what}.${name} (${v}) is at least ${min}`);
  }
}

test(`every feature an adapter lists, requestDevice grants, all at once (${engine})`, async () => {
  const adapter = freshAdapter();
  const features = [...adapter.features] as GPUFeatureName[];
  assert.ok(features.length > 0);
  const device = await adapter.requestDevice({ requiredFeatures: features });
  assert.deepEqual([...device.features].sort(), features.sort());
  device.destroy();
});

test(`a core adapter and its devices list core-features-and-limits (${engine})`, () => {
  const adapter = freshAdapter();
  assert.ok(adapter.features.has("core-features-and-limits"), [...adapter.features].join(" "));
  assert.ok(testDevice().features.has("core-features-and-limits"), "a device asking for nothing has it");
  const asked = freshAdapter().requestDeviceSync({ requiredFeatures: ["core-features-and-limits"] });
  assert.ok(asked.features.has("core-features-and-limits"), "a device asking for it has it");
  asked.destroy();
});

test(`every limit is at least the spec's default; a device at the defaults has them (${engine})`, () => {
  const adapter = freshAdapter();
  assertAtLeast(limitsOf(adapter.limits), limitDefaults, "adapter.limits");
  assert.ok(adapter.limits.maxBindGroupsPlusVertexBuffers >= 24, "maxBindGroupsPlusVertexBuffers: the spec's minimum is 24");
  const device = adapter.requestDeviceSync({ requiredLimits: { ...limitDefaults } });
  assertAtLeast(limitsOf(device.limits), limitDefaults, "device.limits");
  device.destroy();
  assertAtLeast(limitsOf(testDevice().limits), limitDefaults, "a default device's limits");
});

test(`a device asked for every limit of its adapter has them (${engine})`, () => {
  const adapter = freshAdapter();
  const wanted = limitsOf(adapter.limits);
  const device = adapter.requestDeviceSync({ requiredLimits: wanted });
  assertAtLeast(limitsOf(device.limits), wanted, "device.limits");
  device.destroy();
});

test(`gpu.wgslLanguageFeatures lists what the WGSL compiler accepts in a requires directive (${engine})`, async () => {
  const device = testDevice();
  const listed = [...gpu.wgslLanguageFeatures];
  assert.ok(listed.length > 0, "some WGSL language features");
  const accepts = async (name: string) =>
    !(await validationErrorOf(device, () => device.createShaderModule({ code: `requires ${name};\n@compute @workgroup_size(1) fn main() {}` })));
  for (const name of listed) assert.ok(await accepts(name), `${name} is listed, so requires ${name}; compiles`);
  // Every name the engine's header knows that is not listed, its compiler refuses: the list is all it has.
  const known = Object.keys(WGPUWGSLLanguageFeatureName).map((n) =>
    n
      .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
      .replace(/([a-z]{2})(\dx\d)/g, "$1_$2")
      .toLowerCase(),
  );
  for (const name of known.filter((n) => !listed.includes(n))) assert.ok(!(await accepts(name)), `${name} is not listed, so requires ${name}; is refused`);
  assert.ok(!(await accepts("no_such_feature")), "an unknown name is refused");
});

test(`an engine feature that relaxes the spec's validation is not listed, and granted when named (${engine})`, async () => {
  const adapter = freshAdapter();
  assert.ok(!adapter.features.has("mappable-primary-buffers"), "not in adapter.features");
  const usage = GPUBufferUsage.MAP_READ | GPUBufferUsage.STORAGE;
  const plain = testDevice();
  assert.ok(await validationErrorOf(plain, () => plain.createBuffer({ size: 16, usage })), "MAP_READ | STORAGE is invalid as the spec has it");
  if (engine !== "wgpu-native") return; // Dawn has no such feature
  const device = adapter.requestDeviceSync({ requiredFeatures: ["mappable-primary-buffers" as GPUFeatureName] });
  assert.ok(device.features.has("mappable-primary-buffers"));
  assert.equal(await validationErrorOf(device, () => device.createBuffer({ size: 16, usage })), null, "granted: MAP_READ | STORAGE is valid");
  device.destroy();
});

test(`a limit asked for below the spec's default is granted at the default (${engine})`, () => {
  const device = freshAdapter().requestDeviceSync({
    requiredLimits: { maxComputeWorkgroupStorageSize: 16000, maxBindGroups: 3, minUniformBufferOffsetAlignment: 512 },
  });
  assert.equal(device.limits.maxComputeWorkgroupStorageSize, limitDefaults.maxComputeWorkgroupStorageSize);
  assert.equal(device.limits.maxBindGroups, limitDefaults.maxBindGroups);
  assert.equal(device.limits.minUniformBufferOffsetAlignment, limitDefaults.minUniformBufferOffsetAlignment);
  device.destroy();
});

test(`the alignment limits read at least 32 on the adapter and the device, as the spec has them (${engine})`, async () => {
  const adapter = freshAdapter();
  const device = await adapter.requestDevice({
    requiredLimits: {
      minUniformBufferOffsetAlignment: adapter.limits.minUniformBufferOffsetAlignment,
      minStorageBufferOffsetAlignment: adapter.limits.minStorageBufferOffsetAlignment,
    },
  });
  for (const name of ["minUniformBufferOffsetAlignment", "minStorageBufferOffsetAlignment"] as const) {
    assert.ok(adapter.limits[name] >= 32, `adapter ${name}: ${adapter.limits[name]}`);
    assert.ok(device.limits[name] >= 32 && device.limits[name] <= adapter.limits[name], `device ${name}: ${device.limits[name]}`);
  }
  device.destroy();
});

test(`an alignment limit that is not a power of two of at most 2^31 is an OperationError (${engine})`, async () => {
  const adapter = freshAdapter();
  for (const value of [2 ** 32, 2 ** 33, 2 ** 31 + 256, 384]) {
    await assert.rejects(adapter.requestDevice({ requiredLimits: { minUniformBufferOffsetAlignment: value } }), { name: "OperationError" }, String(value));
  }
  const device = await adapter.requestDevice({ requiredLimits: { minStorageBufferOffsetAlignment: 2 ** 31 } });
  assert.equal(device.limits.minStorageBufferOffsetAlignment, limitDefaults.minStorageBufferOffsetAlignment, "2^31: valid, granted at the default");
  device.destroy();
});
