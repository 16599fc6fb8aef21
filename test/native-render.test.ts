// wgpu-ts/native on render passes and render bundles: multi-draw (counted by a storage counter
// the fragment shader increments), immediates read by the shaders, pipeline statistics of a known
// draw, and timestamps inside a render pass.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  GPUBufferUsage,
  GPUShaderStage,
  GPUTextureUsage,
  type GPUBindGroup,
  type GPUBuffer,
  type GPUDevice,
  type GPURenderPassEncoder,
  type GPURenderPipeline,
  type GPUTexture,
} from "../src/index.ts";
import * as native from "../src/extras.ts";
import { freshAdapter, nativeDeviceFrom, testDevice } from "./helpers/gpu.ts";
import { engineSkip } from "./helpers/engine.ts";
import { useEngine } from "../src/index.ts";

// Dawn's multi-draw-indirect feature needs the allow_unsafe_apis toggle (wgpu-native ignores Dawn toggles).
useEngine({ dawnToggles: { enable: ["allow_unsafe_apis"] } });

const features = [
  "immediates",
  "pipeline-statistics-query",
  "multi-draw-indirect-count",
  "multi-draw-indirect",
  "timestamp-query",
  "timestamp-query-inside-passes",
];
let renderDevice: GPUDevice | undefined;

function nativeDevice(): GPUDevice {
  renderDevice ??= nativeDeviceFrom(freshAdapter(), "native render", features, 64);
  return renderDevice;
}

/**
 * Every draw covers the whole 1x1 target with one triangle, so it runs the fragment shader once,
 * which adds 1 to a storage counter: the counter is the number of draws executed.
 */
const countingShader = `
  @group(0) @binding(0) var<storage, read_write> counter: atomic<u32>;
  @vertex fn vs(@builtin(vertex_index) i: u32) -> @builtin(position) vec4f {
    let p = array(vec2f(-1, -1), vec2f(3, -1), vec2f(-1, 3));
    return vec4f(p[i % 3u], 0, 1);
  }
  @fragment fn fs() -> @location(0) vec4f {
    atomicAdd(&counter, 1u);
    return vec4f(1);
  }`;

interface Counting {
  device: GPUDevice;
  pipeline: GPURenderPipeline;
  counter: GPUBuffer;
  bindGroup: GPUBindGroup;
  target: GPUTexture;
}

function countingSetup(device: GPUDevice): Counting {
  const module = device.createShaderModule({ code: countingShader });
  const pipeline = device.createRenderPipeline({
    layout: "auto",
    vertex: { module, entryPoint: "vs" },
    fragment: { module, entryPoint: "fs", targets: [{ format: "rgba8unorm" }] },
    primitive: { topology: "triangle-list" },
  });
  const counter = device.createBuffer({ size: 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
  const bindGroup = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: counter } }] });
  const target = device.createTexture({ size: [1, 1], format: "rgba8unorm", usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC });
  return { device, pipeline, counter, bindGroup, target };
}

/** Records `draw` in a render pass over the 1x1 target with the counting pipeline; returns the counter. */
async function countDraws(c: Counting, draw: (pass: GPURenderPassEncoder) => void): Promise<number> {
  const encoder = c.device.createCommandEncoder();
  encoder.clearBuffer(c.counter);
  const pass = encoder.beginRenderPass({ colorAttachments: [{ view: c.target.createView(), loadOp: "clear", storeOp: "store" }] });
  pass.setPipeline(c.pipeline);
  pass.setBindGroup(0, c.bindGroup);
  draw(pass);
  pass.end();
  c.device.queue.submit([encoder.finish()]);
  return new Uint32Array(await c.device.queue.readBuffer(c.counter))[0];
}

test("multiDrawIndirect and multiDrawIndexedIndirect run as many draws as asked, from the offset", async () => {
  const c = countingSetup(nativeDevice()); // wgpu-native needs no feature for these, Dawn its multi-draw-indirect
  const { device } = c;
  // Five draws of 3 vertices, one instance each; the third draws 2 instances.
  const args = new Uint32Array([3, 1, 0, 0, 3, 1, 0, 0, 3, 2, 0, 0, 3, 1, 0, 0, 3, 1, 0, 0]);
  const indirect = device.createBufferWithData(args, GPUBufferUsage.INDIRECT);
  assert.equal(await countDraws(c, (pass) => native.multiDrawIndirect(pass, indirect, 0, 5)), 6);
  assert.equal(await countDraws(c, (pass) => native.multiDrawIndirect(pass, indirect, 16, 2)), 3);
  assert.equal(await countDraws(c, (pass) => native.multiDrawIndirect(pass, indirect, 0, 0)), 0);
  // Indexed: 20 bytes per draw (indexCount, instanceCount, firstIndex, baseVertex, firstInstance).
  const indices = device.createBufferWithData(new Uint32Array([0, 1, 2, 0]), GPUBufferUsage.INDEX);
  const indexedArgs = device.createBufferWithData(new Uint32Array([3, 1, 0, 0, 0, 3, 3, 0, 0, 0, 3, 1, 0, 0, 0]), GPUBufferUsage.INDIRECT);
  const indexedDraws = await countDraws(c, (pass) => {
    pass.setIndexBuffer(indices, "uint32");
    native.multiDrawIndexedIndirect(pass, indexedArgs, 0, 3);
  });
  assert.equal(indexedDraws, 5);
});

test("the count variants draw the number the count buffer holds, at most maxCount", async () => {
  const c = countingSetup(nativeDevice());
  const { device } = c;
  const indirect = device.createBufferWithData(new Uint32Array(Array.from({ length: 4 }, () => [3, 1, 0, 0]).flat()), GPUBufferUsage.INDIRECT);
  const counts = device.createBufferWithData(new Uint32Array([2, 9]), GPUBufferUsage.INDIRECT);
  assert.equal(await countDraws(c, (pass) => native.multiDrawIndirectCount(pass, indirect, 0, counts, 0, 4)), 2);
  assert.equal(await countDraws(c, (pass) => native.multiDrawIndirectCount(pass, indirect, 0, counts, 4, 3)), 3, "capped at maxCount");
  assert.equal(await countDraws(c, (pass) => native.multiDrawIndirectCount(pass, indirect, 0, counts, 0, 0)), 0, "maxCount 0");
  const indices = device.createBufferWithData(new Uint32Array([0, 1, 2, 0]), GPUBufferUsage.INDEX);
  const indexedArgs = device.createBufferWithData(new Uint32Array(Array.from({ length: 3 }, () => [3, 1, 0, 0, 0]).flat()), GPUBufferUsage.INDIRECT);
  const n = await countDraws(c, (pass) => {
    pass.setIndexBuffer(indices, "uint32");
    native.multiDrawIndexedIndirectCount(pass, indexedArgs, 0, counts, 0, 3);
  });
  assert.equal(n, 2);
});

test("multi-draw: a missing feature, a compute pass or a bad offset are clear errors", () => {
  const device = testDevice();
  const c = countingSetup(device);
  const buffer = device.createBuffer({ size: 64, usage: GPUBufferUsage.INDIRECT });
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginRenderPass({ colorAttachments: [{ view: c.target.createView(), loadOp: "clear", storeOp: "store" }] });
  assert.throws(() => native.multiDrawIndirectCount(pass, buffer, 0, buffer, 0, 1), /feature "multi-draw-indirect(-count)?"/);
  assert.throws(() => native.multiDrawIndirect(pass, buffer, 2, 1), /offset \(2\) must be a multiple of 4/);
  pass.end();
  const compute = device.createCommandEncoder().beginComputePass();
  assert.throws(() => native.multiDrawIndirect(compute as unknown as GPURenderPassEncoder, buffer, 0, 1), /must be a GPURenderPassEncoder/);
  compute.end();
});

/** A pipeline whose fragment colour is the immediates' vec4f (written by the vertex stage's half too). */
function immediatesPipeline(device: GPUDevice) {
  const module = device.createShaderModule({
    code: `
      struct Immediates { scale: f32, pad: f32, color: vec2f }
      var<immediate> im: Immediates;
      @vertex fn vs(@builtin(vertex_index) i: u32) -> @builtin(position) vec4f {
        let p = array(vec2f(-1, -1), vec2f(3, -1), vec2f(-1, 3));
        return vec4f(p[i] * im.scale, 0, 1);
      }
      @fragment fn fs() -> @location(0) vec4f { return vec4f(im.color, 0.25, 1); }`,
  });
  const layout = native.createPipelineLayout(device, {
    bindGroupLayouts: [],
    pushConstantLayouts: [
      { visibility: GPUShaderStage.VERTEX, start: 0, end: 8 },
      { visibility: GPUShaderStage.FRAGMENT, start: 8, end: 16 },
    ],
  });
  return device.createRenderPipeline({
    layout,
    vertex: { module, entryPoint: "vs" },
    fragment: { module, entryPoint: "fs", targets: [{ format: "rgba8unorm" }] },
  });
}

async function pixel(device: GPUDevice, texture: GPUTexture): Promise<number[]> {
  return [...new Uint8Array(await device.queue.readTexture({ texture }, { bytesPerRow: 256 }, [1, 1])).slice(0, 4)];
}

/** Each channel within 1 of the expected value (GPUs round 0.5 * 255 either way). */
function assertPixel(actual: number[], expected: number[]): void {
  assert.ok(
    actual.every((v, i) => Math.abs(v - expected[i]) <= 1),
    `pixel ${actual} is not ${expected}`,
  );
}

test("immediates set in a render pass and in a render bundle are what the shaders read", async () => {
  const device = nativeDevice();
  const pipeline = immediatesPipeline(device);
  const target = device.createTexture({ size: [1, 1], format: "rgba8unorm", usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC });
  const render = (record: (pass: GPURenderPassEncoder) => void) => {
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginRenderPass({ colorAttachments: [{ view: target.createView(), loadOp: "clear", clearValue: [0, 0, 0, 0], storeOp: "store" }] });
    record(pass);
    pass.end();
    device.queue.submit([encoder.finish()]);
  };
  render((pass) => {
    pass.setPipeline(pipeline);
    native.setPushConstants(pass, GPUShaderStage.VERTEX, 0, 8, new Float32Array([1, 0]));
    native.setPushConstants(pass, GPUShaderStage.FRAGMENT, 8, 8, new Float32Array([1, 0.5]));
    pass.draw(3);
  });
  assertPixel(await pixel(device, target), [255, 128, 64, 255]);

  const bundleEncoder = device.createRenderBundleEncoder({ colorFormats: ["rgba8unorm"] });
  bundleEncoder.setPipeline(pipeline);
  native.setImmediates(bundleEncoder, 0, new Float32Array([1, 0, 0.2, 0.6]));
  bundleEncoder.draw(3);
  const bundle = bundleEncoder.finish();
  render((pass) => pass.executeBundles([bundle]));
  assertPixel(await pixel(device, target), [51, 153, 64, 255]);

  // A scale of 0 collapses the triangle: nothing is drawn, so the vertex stage read it too.
  render((pass) => {
    pass.setPipeline(pipeline);
    native.setImmediates(pass, 0, new Float32Array([0, 0, 1, 1]));
    pass.draw(3);
  });
  assert.deepEqual(await pixel(device, target), [0, 0, 0, 0]);
});

test(
  "render pipeline statistics count the vertices, primitives and fragments of a known draw",
  engineSkip("dawn", "Dawn has no pipeline-statistics queries"),
  async () => {
    const device = nativeDevice();
    const module = device.createShaderModule({
      code: `
      @vertex fn vs(@builtin(vertex_index) i: u32) -> @builtin(position) vec4f {
        let p = array(vec2f(-1, -1), vec2f(1, -1), vec2f(-1, 1), vec2f(1, -1), vec2f(1, 1), vec2f(-1, 1));
        return vec4f(p[i], 0, 1);
      }
      @fragment fn fs() -> @location(0) vec4f { return vec4f(1); }`,
    });
    const pipeline = device.createRenderPipeline({ layout: "auto", vertex: { module }, fragment: { module, targets: [{ format: "rgba8unorm" }] } });
    const target = device.createTexture({ size: [4, 4], format: "rgba8unorm", usage: GPUTextureUsage.RENDER_ATTACHMENT });
    const names = ["VertexShaderInvocations", "clipper-invocations", "clipper_primitives_out", "fragmentShaderInvocations"];
    const querySet = native.createStatisticsQuerySet(device, 2, names);
    const timestamps = device.createQuerySet({ type: "timestamp", count: 2 });
    const resolved = device.createBuffer({ size: 256 + 16, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginRenderPass({ colorAttachments: [{ view: target.createView(), loadOp: "clear", storeOp: "store" }] });
    pass.setPipeline(pipeline);
    native.writeTimestamp(pass, timestamps, 0);
    native.beginPipelineStatisticsQuery(pass, querySet, 0);
    pass.draw(6); // a quad of two triangles covering the 4x4 target: 16 fragments
    native.endPipelineStatisticsQuery(pass);
    native.beginPipelineStatisticsQuery(pass, querySet, 1);
    pass.draw(3, 2); // the quad's first triangle, twice
    native.endPipelineStatisticsQuery(pass);
    native.writeTimestamp(pass, timestamps, 1);
    pass.end();
    encoder.resolveQuerySet(querySet, 0, 2, resolved, 0);
    encoder.resolveQuerySet(timestamps, 0, 2, resolved, 256);
    device.queue.submit([encoder.finish()]);
    const bytes = await device.queue.readBuffer(resolved);
    const [quad, triangles] = native.readPipelineStatistics(querySet, bytes.slice(0, 64));
    assert.equal(quad["vertex-shader-invocations"], 6n);
    assert.equal(quad["clipper-invocations"], 2n);
    assert.equal(quad["fragment-shader-invocations"], 16n);
    // What the clipper reports as output differs: lavapipe says 0 for the quad and 2 for the triangles.
    assert.ok(
      quad["clipper-primitives-out"] <= 2n && triangles["clipper-primitives-out"] <= 2n,
      JSON.stringify(native.readPipelineStatistics(querySet, bytes.slice(0, 64)), (_, v) => (typeof v === "bigint" ? Number(v) : v)),
    );
    // Two instances of 3 vertices: lavapipe runs the vertex shader 6 times, NVIDIA's driver 3 (it
    // reuses the results across instances of a shader that ignores instance_index).
    const v = triangles["vertex-shader-invocations"];
    assert.ok(v === 6n || v === 3n, `vertex invocations of the instanced draw: ${v}`);
    assert.equal(triangles["clipper-invocations"], 2n);
    // 6 pixel centres lie strictly inside the triangle and 4 on its diagonal (whose owner the tie rule
    // decides); a GPU may also count helper invocations of partly covered 2x2 quads (up to 12).
    const f = triangles["fragment-shader-invocations"];
    assert.ok(f >= 12n && f <= 24n, `fragments of the two triangles: ${f}`);
    const [t0, t1] = new BigUint64Array(bytes, 256, 2);
    assert.ok(t1 >= t0, `timestamps ${t0}, ${t1}`);
  },
);
