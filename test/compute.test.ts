// End-to-end compute: results checked against the CPU.
import { test } from "node:test";
import assert from "node:assert/strict";
import { GPUBufferUsage, computeWithBuffers } from "../src/index.ts";
import { testDevice } from "./helpers/gpu.ts";

test("512x512 f32 matrix product matches the CPU", async () => {
  const device = testDevice();
  const N = 512;
  const a = Float32Array.from({ length: N * N }, (_, i) => ((i * 31) % 17) / 17 - 0.5);
  const b = Float32Array.from({ length: N * N }, (_, i) => ((i * 7) % 23) / 23 - 0.5);
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC;
  const bufA = device.createBufferWithData(a, usage);
  const bufB = device.createBufferWithData(b, usage);
  const bufC = device.createBuffer({ size: N * N * 4, usage });
  const module = device.createShaderModule({
    code: `
      @group(0) @binding(0) var<storage, read> a: array<f32>;
      @group(0) @binding(1) var<storage, read> b: array<f32>;
      @group(0) @binding(2) var<storage, read_write> c: array<f32>;
      override n: u32;
      @compute @workgroup_size(8, 8)
      fn main(@builtin(global_invocation_id) id: vec3u) {
        var s = 0.0;
        for (var k = 0u; k < n; k++) { s += a[id.y * n + k] * b[k * n + id.x]; }
        c[id.y * n + id.x] = s;
      }`,
  });
  const pipeline = device.createComputePipeline({ layout: "auto", compute: { module, entryPoint: "main", constants: { n: N } } });
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [bufA, bufB, bufC].map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(N / 8, N / 8);
  pass.end();
  device.queue.submit([encoder.finish()]);
  const c = new Float32Array(await device.queue.readBuffer(bufC));
  let maxError = 0;
  for (let i = 0; i < N; i += 7) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < N; k++) s += a[i * N + k] * b[k * N + j];
      maxError = Math.max(maxError, Math.abs(s - c[i * N + j]));
    }
  }
  assert.ok(maxError < 1e-3, `max error ${maxError}`);
});

test("prefix sum (Hillis-Steele passes) matches the CPU", async () => {
  const device = testDevice();
  const n = 4096;
  const input = Uint32Array.from({ length: n }, (_, i) => (i * 2654435761) % 100);
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
  const ping = device.createBufferWithData(input, usage);
  const pong = device.createBuffer({ size: n * 4, usage });
  const params = device.createBuffer({ size: 256 * 13, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  const module = device.createShaderModule({
    code: `
      @group(0) @binding(0) var<storage, read> src: array<u32>;
      @group(0) @binding(1) var<storage, read_write> dst: array<u32>;
      @group(0) @binding(2) var<uniform> step: u32;
      @compute @workgroup_size(64)
      fn main(@builtin(global_invocation_id) id: vec3u) {
        let i = id.x;
        if (i >= arrayLength(&src)) { return; }
        dst[i] = select(src[i], src[i] + src[i - step], i >= step);
      }`,
  });
  const pipeline = device.createComputePipeline({ layout: "auto", compute: { module } });
  const encoder = device.createCommandEncoder();
  let [src, dst] = [ping, pong];
  let passes = 0;
  for (let step = 1; step < n; step *= 2, passes++) {
    device.queue.writeBuffer(params, passes * 256, new Uint32Array([step]));
    const bindGroup = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: src } },
        { binding: 1, resource: { buffer: dst } },
        { binding: 2, resource: { buffer: params, offset: passes * 256, size: 4 } },
      ],
    });
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(n / 64);
    pass.end();
    [src, dst] = [dst, src];
  }
  device.queue.submit([encoder.finish()]);
  const got = new Uint32Array(await device.queue.readBuffer(src));
  const want = new Uint32Array(n);
  input.reduce((acc, v, i) => (want[i] = acc + v), 0);
  assert.deepEqual(got, want);
});

test("computeWithBuffers runs a kernel over typed arrays", () => {
  const x = Float32Array.from({ length: 100 }, (_, i) => i);
  const out = computeWithBuffers(
    { 0: x },
    { 1: { length: 100, type: Float32Array } },
    `@group(0) @binding(0) var<storage, read> x: array<f32>;
     @group(0) @binding(1) var<storage, read_write> y: array<f32>;
     @compute @workgroup_size(1) fn main(@builtin(global_invocation_id) id: vec3u) { y[id.x] = x[id.x] * x[id.x] + 1.0; }`,
    { device: testDevice() },
  );
  assert.ok(out[1] instanceof Float32Array);
  assert.deepEqual(
    Array.from(out[1]),
    Array.from(x, (v) => v * v + 1),
  );
});

test("computeWithBuffers: byte-sized outputs, n as [x, y, z] and override constants", () => {
  const out = computeWithBuffers(
    {},
    { 0: 64 },
    `@group(0) @binding(0) var<storage, read_write> y: array<u32>;
     override k: u32;
     @compute @workgroup_size(1) fn main(@builtin(global_invocation_id) id: vec3u) { y[id.y * 4u + id.x] = id.x + 10u * id.y + k; }`,
    { device: testDevice(), n: [4, 4], constants: { k: 1000 } },
  );
  assert.ok(out[0] instanceof Uint8Array);
  const y = new Uint32Array(out[0].buffer, out[0].byteOffset, 16);
  assert.deepEqual(
    Array.from(y),
    Array.from({ length: 16 }, (_, i) => (i % 4) + 10 * Math.floor(i / 4) + 1000),
  );
});

test("dispatchWorkgroupsIndirect reads its counts from a buffer", async () => {
  const device = testDevice();
  const out = device.createBuffer({ size: 64 * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const indirect = device.createBufferWithData(new Uint32Array([5, 1, 1]), GPUBufferUsage.INDIRECT);
  const module = device.createShaderModule({
    code: `@group(0) @binding(0) var<storage, read_write> y: array<u32>;
      @compute @workgroup_size(1) fn main(@builtin(global_invocation_id) id: vec3u) { y[id.x] = 1u; }`,
  });
  const pipeline = device.createComputePipeline({ layout: "auto", compute: { module } });
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: out }] }));
  pass.dispatchWorkgroupsIndirect(indirect, 0);
  pass.end();
  device.queue.submit([encoder.finish()]);
  const y = new Uint32Array(await device.queue.readBuffer(out));
  assert.equal(
    y.reduce((a, b) => a + b, 0),
    5,
  );
});

test("explicit layouts and dynamic offsets in both forms", async () => {
  const device = testDevice();
  const bgl = device.createBindGroupLayout({
    entries: [
      { binding: 0, visibility: 4, buffer: { type: "read-only-storage", hasDynamicOffset: true } },
      { binding: 1, visibility: 4, buffer: { type: "storage" } },
    ],
  });
  const layout = device.createPipelineLayout({ bindGroupLayouts: [bgl] });
  const module = device.createShaderModule({
    code: `@group(0) @binding(0) var<storage, read> x: array<u32, 4>;
      @group(0) @binding(1) var<storage, read_write> y: array<u32, 8>;
      override slot: u32 = 0u;
      @compute @workgroup_size(1) fn main() { y[slot] = x[0]; }`,
  });
  const data = new Uint32Array((256 / 4) * 3);
  data[0] = 11;
  data[64] = 22;
  data[128] = 33;
  const src = device.createBufferWithData(data, GPUBufferUsage.STORAGE);
  const dst = device.createBuffer({ size: 32, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const group = device.createBindGroup({
    layout: bgl,
    entries: [
      { binding: 0, resource: { buffer: src, size: 16 } },
      { binding: 1, resource: { buffer: dst } },
    ],
  });
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  for (const [slot, how] of [
    [0, "array"],
    [1, "typed"],
  ] as const) {
    pass.setPipeline(device.createComputePipeline({ layout, compute: { module, constants: { slot } } }));
    if (how === "array") pass.setBindGroup(0, group, [256]);
    else pass.setBindGroup(0, group, new Uint32Array([0, 0, 512]), 2, 1);
    pass.dispatchWorkgroups(1);
  }
  pass.end();
  device.queue.submit([encoder.finish()]);
  const y = new Uint32Array(await device.queue.readBuffer(dst));
  assert.deepEqual(Array.from(y.slice(0, 2)), [22, 33]);
});
