// wgpu-ts/native on compute passes, encoders and devices: immediates (push constants), pipeline
// statistics, timestamps, SPIR-V and GLSL modules, traces, and the clear errors where a feature is missing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GPUBufferUsage, GPUShaderStage, useEngine, type GPUCommandEncoder, type GPUComputePassEncoder, type GPUDevice } from "../src/index.ts";
import * as native from "../src/extras.ts";
import { freshAdapter, nativeDeviceFrom, testAdapter, testDevice } from "./helpers/gpu.ts";
import { writes1234 } from "./fixtures/spirv-modules.ts";
import { engineSkip } from "./helpers/engine.ts";

const immediatesAreCore = () =>
  engineSkip("dawn", 'immediates are core on Dawn: there is no "immediates" feature, only the maxImmediateSize limit (64 on its lavapipe adapter)');
const noStatistics = () => engineSkip("dawn", "Dawn has no pipeline-statistics queries");

// Dawn names its timestamps-inside-passes feature its own way, and lists it only with allow_unsafe_apis
// (wgpu-native ignores Dawn toggles).
const features = [
  "immediates",
  "pipeline-statistics-query",
  "timestamp-query",
  "timestamp-query-inside-encoders",
  "timestamp-query-inside-passes",
  "chromium-experimental-timestamp-query-inside-passes",
];
useEngine({ dawnToggles: { enable: ["allow_unsafe_apis"] } });
let extrasDevice: GPUDevice | undefined;

/** A device with every native feature these tests use (lavapipe has them all). */
function nativeDevice(): GPUDevice {
  extrasDevice ??= nativeDeviceFrom(freshAdapter(), "native extras", features, 128);
  return extrasDevice;
}

/** Runs `record` in one compute pass and submits it. */
function computePass(device: GPUDevice, record: (pass: GPUComputePassEncoder) => void, after?: (encoder: GPUCommandEncoder) => void): void {
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  record(pass);
  pass.end();
  after?.(encoder);
  device.queue.submit([encoder.finish()]);
}

test("the immediates feature and limit are readable from the adapter and the device", immediatesAreCore(), () => {
  const adapter = testAdapter();
  assert.ok(adapter.features.has("immediates"));
  assert.ok(adapter.limits.maxImmediateSize >= 128, `maxImmediateSize ${adapter.limits.maxImmediateSize}`);
  assert.ok(nativeDevice().features.has("immediates"));
  assert.equal(nativeDevice().limits.maxImmediateSize, 128);
});

test("push constants set in a compute pass are what the shader reads", async () => {
  const device = nativeDevice();
  const module = device.createShaderModule({
    code: `
      struct Constants { scale: u32, offset: u32, extra: vec2u }
      var<immediate> c: Constants;
      @group(0) @binding(0) var<storage, read_write> out: array<u32>;
      @compute @workgroup_size(4) fn main(@builtin(global_invocation_id) id: vec3u) {
        out[id.x] = id.x * c.scale + c.offset + c.extra.y;
      }`,
  });
  const bgl = device.createBindGroupLayout({ entries: [{ binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: "storage" } }] });
  const layout = native.createPipelineLayout(device, {
    bindGroupLayouts: [bgl],
    pushConstantLayouts: [{ visibility: GPUShaderStage.COMPUTE, start: 0, end: 16 }],
  });
  const pipeline = device.createComputePipeline({ layout, compute: { module } });
  const out = device.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const bindGroup = device.createBindGroup({ layout: bgl, entries: [{ binding: 0, resource: { buffer: out } }] });
  computePass(device, (pass) => {
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    native.setPushConstants(pass, GPUShaderStage.COMPUTE, 0, 8, new Uint32Array([10, 3]));
    // wgpu-py's form: bytes 4..8 of the data (the value 1000) to immediates 12..16.
    native.setPushConstants(pass, GPUShaderStage.COMPUTE, 12, 4, new Uint32Array([7, 1000]), 4);
    native.setImmediates(pass, 8, new Uint32Array([0]));
    pass.dispatchWorkgroups(1);
  });
  assert.deepEqual([...new Uint32Array(await device.queue.readBuffer(out))], [1003, 1013, 1023, 1033]);
});

test("immediates on a device without the feature are a clear error naming it", immediatesAreCore(), () => {
  const device = testDevice();
  assert.throws(
    () => native.createPipelineLayout(device, { bindGroupLayouts: [], immediateSize: 16 }),
    (e: Error) => e instanceof TypeError && /feature "immediates"/.test(e.message) && /requiredFeatures/.test(e.message),
  );
  assert.throws(() => native.createPipelineLayout(nativeDevice(), { bindGroupLayouts: [], immediateSize: 256 }), /above the device's maxImmediateSize \(128\)/);
  const pass = device.createCommandEncoder().beginComputePass();
  assert.throws(() => native.setPushConstants(pass, GPUShaderStage.COMPUTE, 0, 4, new Uint32Array([1])), /feature "immediates"/);
  assert.throws(() => native.setPushConstants(pass, 0, 0, 4, new Uint32Array([1])), /visibility \(0\) must be a non-empty combination/);
  pass.end();
});

const countingShader = `
  @group(0) @binding(0) var<storage, read_write> out: array<u32>;
  @compute @workgroup_size(4) fn main(@builtin(global_invocation_id) id: vec3u) { out[id.x] = id.x; }`;

test("pipeline statistics count compute invocations, in the documented order whatever order they were asked in", noStatistics(), async () => {
  const device = nativeDevice();
  // The names in every accepted spelling, in reverse of the documented order.
  const querySet = native.createStatisticsQuerySet(device, 2, [
    "computeShaderInvocations",
    "fragment_shader_invocations",
    native.PipelineStatisticName.VertexShaderInvocations,
  ]);
  assert.deepEqual(native.pipelineStatisticNames(querySet), ["vertex-shader-invocations", "fragment-shader-invocations", "compute-shader-invocations"]);
  const pipeline = device.createComputePipeline({ layout: "auto", compute: { module: device.createShaderModule({ code: countingShader }) } });
  const out = device.createBuffer({ size: 4 * 64, usage: GPUBufferUsage.STORAGE });
  const bindGroup = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: out } }] });
  const resolved = device.createBuffer({ size: 2 * 3 * 8, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
  computePass(
    device,
    (pass) => {
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      native.beginPipelineStatisticsQuery(pass, querySet, 0);
      pass.dispatchWorkgroups(16);
      native.endPipelineStatisticsQuery(pass);
      native.beginPipelineStatisticsQuery(pass, querySet, 1);
      pass.dispatchWorkgroups(3);
      native.endPipelineStatisticsQuery(pass);
    },
    (encoder) => encoder.resolveQuerySet(querySet, 0, 2, resolved, 0),
  );
  const stats = native.readPipelineStatistics(querySet, await device.queue.readBuffer(resolved));
  assert.deepEqual(stats, [
    { "vertex-shader-invocations": 0n, "fragment-shader-invocations": 0n, "compute-shader-invocations": 64n },
    { "vertex-shader-invocations": 0n, "fragment-shader-invocations": 0n, "compute-shader-invocations": 12n },
  ]);
});

test("pipeline statistics: unknown names, other query sets and missing features are clear errors", noStatistics(), () => {
  const device = nativeDevice();
  assert.throws(
    () => native.createStatisticsQuerySet(device, 1, ["pixels-drawn"]),
    /statistics\[0\] \("pixels-drawn"\) must be one of "vertex-shader-invocations"/,
  );
  assert.throws(() => native.createStatisticsQuerySet(device, 1, []), /at least one statistic/);
  assert.throws(() => native.createStatisticsQuerySet(testDevice(), 1, ["compute-shader-invocations"]), /feature "pipeline-statistics-query"/);
  const pass = device.createCommandEncoder().beginComputePass();
  assert.throws(() => native.beginPipelineStatisticsQuery(pass, device.createQuerySet({ type: "timestamp", count: 1 }), 0), /made by createStatisticsQuerySet/);
  assert.throws(
    () => native.beginPipelineStatisticsQuery({} as GPUComputePassEncoder, native.createStatisticsQuerySet(device, 1, ["ComputeShaderInvocations"]), 0),
    /must be a GPUComputePassEncoder or GPURenderPassEncoder/,
  );
  pass.end();
});

test("timestamps written from an encoder and inside a pass are monotonic; the queue has a timestamp period", async () => {
  const device = nativeDevice();
  const querySet = device.createQuerySet({ type: "timestamp", count: 4 });
  const resolved = device.createBuffer({ size: 32, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
  const pipeline = device.createComputePipeline({ layout: "auto", compute: { module: device.createShaderModule({ code: countingShader }) } });
  const out = device.createBuffer({ size: 4 * 4096, usage: GPUBufferUsage.STORAGE });
  const bindGroup = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: out } }] });
  const encoder = device.createCommandEncoder();
  native.writeTimestamp(encoder, querySet, 0);
  const pass = encoder.beginComputePass();
  native.writeTimestamp(pass, querySet, 1);
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(1024);
  native.writeTimestamp(pass, querySet, 2);
  pass.end();
  native.writeTimestamp(encoder, querySet, 3);
  encoder.resolveQuerySet(querySet, 0, 4, resolved, 0);
  device.queue.submit([encoder.finish()]);
  const t = [...new BigUint64Array(await device.queue.readBuffer(resolved))];
  for (let i = 1; i < 4; i++) assert.ok(t[i] >= t[i - 1], `timestamps ${t.join(", ")}`);
  assert.ok(t[3] > t[0], `time passes: ${t.join(", ")}`);
  const period = native.getTimestampPeriod(device.queue);
  assert.ok(period > 0 && Number.isFinite(period), `period ${period}`);
});

test("timestamps: missing features and wrong query sets are clear errors", noStatistics(), () => {
  const plain = testDevice();
  const encoder = plain.createCommandEncoder();
  const querySet = nativeDevice().createQuerySet({ type: "timestamp", count: 1 });
  assert.throws(() => native.writeTimestamp(encoder, querySet, 0), /feature "timestamp-query-inside-encoders"/);
  const pass = encoder.beginComputePass();
  assert.throws(() => native.writeTimestamp(pass, querySet, 0), /feature "timestamp-query-inside-passes"/);
  pass.end();
  const stats = native.createStatisticsQuerySet(nativeDevice(), 1, ["compute-shader-invocations"]);
  assert.throws(() => native.writeTimestamp(nativeDevice().createCommandEncoder(), stats, 0), /must be a "timestamp" query set/);
});

test(
  "a SPIR-V module runs",
  engineSkip("dawn", 'this Dawn build (rillfacet 0.1.3) has Tint\'s SPIR-V reader compiled out: a SPIR-V module fails validation ("SPIR-V is disallowed")'),
  async () => {
    const device = testDevice();
    const module = native.createShaderModuleSPIRV(device, { code: writes1234, label: "from SPIR-V" });
    const pipeline = device.createComputePipeline({ layout: "auto", compute: { module, entryPoint: "main" } });
    const out = device.createBuffer({ size: 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    computePass(device, (pass) => {
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: out } }] }));
      pass.dispatchWorkgroups(1);
    });
    assert.equal(new Uint32Array(await device.queue.readBuffer(out))[0], 1234);
    assert.throws(() => native.createShaderModuleSPIRV(device, { code: new Uint32Array([1, 2, 3]) }), /SPIR-V magic number/);
    assert.throws(() => native.createShaderModuleSPIRV(device, { code: new Uint8Array(6) }), /whole number of 32-bit words/);
  },
);

test("GLSL modules are a clear error where the engine has no GLSL front end (this wgpu-native build aborts on them)", () => {
  assert.throws(
    () => native.createShaderModuleGLSL(testDevice(), { code: "#version 450\nvoid main() {}", stage: "compute" }),
    /wgpu-native 29\.0\.1\.1 was built without its GLSL front end|Dawn has no GLSL front end/,
  );
  assert.throws(() => native.createShaderModuleGLSL(testDevice(), { code: "", stage: "geometry" as "compute" }), /stage \("geometry"\) must be/);
});

test("a device with a trace directory is a clear error where the engine cannot trace", () => {
  const dir = mkdtempSync(join(tmpdir(), "wgpu-ts-trace-"));
  assert.throws(() => native.requestDeviceSync(freshAdapter(), join(dir, "trace")), /built without API tracing|not available on dawn/);
});

test("instance extras cannot change an instance that exists", () => {
  testAdapter();
  assert.throws(() => native.setInstanceExtras({ backends: ["gl"] }), /instance already exists/);
});

test(
  "a destroyed query set that a timestamp or statistics query wrote to makes the submit a validation error",
  engineSkip("dawn", "its statistics case needs pipeline-statistics queries, which Dawn has none of"),
  async () => {
    const device = nativeDevice();
    for (const record of ["encoder", "pass", "statistics"] as const) {
      const timestamps = device.createQuerySet({ type: "timestamp", count: 1 });
      const stats = native.createStatisticsQuerySet(device, 1, ["compute-shader-invocations"]);
      const encoder = device.createCommandEncoder();
      if (record === "encoder") native.writeTimestamp(encoder, timestamps, 0);
      const pass = encoder.beginComputePass();
      if (record === "pass") native.writeTimestamp(pass, timestamps, 0);
      if (record === "statistics") {
        native.beginPipelineStatisticsQuery(pass, stats, 0);
        native.endPipelineStatisticsQuery(pass);
      }
      pass.end();
      const commands = encoder.finish();
      timestamps.destroy();
      stats.destroy();
      device.pushErrorScope("validation");
      device.queue.submit([commands]);
      const error = await device.popErrorScope();
      assert.match(error?.message ?? "", /GPUQuerySet it uses is destroyed/, record);
    }
  },
);
