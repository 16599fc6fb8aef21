// The recorded command stream (src/native/replay/) must give exactly what direct calls give:
// every test here runs the same commands on both paths and compares the results.
import { test } from "node:test";
import assert from "node:assert/strict";
import { GPUBufferUsage, GPUTextureUsage, type GPUDevice } from "../src/index.ts";
import { replayAvailable, setReplayEnabled } from "../src/native/replay/recorder.ts";
import { testDevice, validationErrorOf } from "./helpers/gpu.ts";

const { STORAGE, COPY_SRC, COPY_DST, UNIFORM, INDIRECT } = GPUBufferUsage;

/** Runs `fn` with recording on, then off; returns both results. */
async function bothPaths<T>(fn: (device: GPUDevice) => Promise<T>): Promise<{ replay: T; direct: T }> {
  const device = testDevice();
  try {
    setReplayEnabled(true);
    const replay = await fn(device);
    setReplayEnabled(false);
    const direct = await fn(device);
    return { replay, direct };
  } finally {
    setReplayEnabled(true);
  }
}

// Each dispatch adds the bound group's uniform (at its dynamic offset) times the workgroup count
// to one counter per bind group slot, so that order, offsets and counts all show in the result.
const SHADER = /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> acc: array<atomic<u32>, 8>;
@group(1) @binding(0) var<uniform> add: vec4u;
@compute @workgroup_size(1) fn main(@builtin(num_workgroups) n: vec3u, @builtin(workgroup_id) id: vec3u) {
  if (all(id == vec3u(0))) { atomicAdd(&acc[add.y], add.x * n.x * n.y * n.z); }
}
@compute @workgroup_size(1) fn twice(@builtin(num_workgroups) n: vec3u, @builtin(workgroup_id) id: vec3u) {
  if (all(id == vec3u(0))) { atomicAdd(&acc[add.y], 2u * add.x); }
}`;

async function runSequence(device: GPUDevice, commands: number, eachCommand?: () => void): Promise<number[]> {
  const module = device.createShaderModule({ code: SHADER });
  const accLayout = device.createBindGroupLayout({ entries: [{ binding: 0, visibility: 4, buffer: { type: "storage" } }] });
  const addLayout = device.createBindGroupLayout({ entries: [{ binding: 0, visibility: 4, buffer: { type: "uniform", hasDynamicOffset: true } }] });
  const layout = device.createPipelineLayout({ bindGroupLayouts: [accLayout, addLayout] });
  const main = device.createComputePipeline({ layout, compute: { module, entryPoint: "main" } });
  const twice = device.createComputePipeline({ layout, compute: { module, entryPoint: "twice" } });
  const acc = device.createBuffer({ size: 32, usage: STORAGE | COPY_SRC });
  const accGroup = device.createBindGroup({ layout: accLayout, entries: [{ binding: 0, resource: { buffer: acc } }] });
  // Four uniforms 256 bytes apart: (value, slot) = (1,0) (3,1) (5,2) (7,3); two groups over them.
  const uniforms = device.createBuffer({ size: 1024 + 256, usage: UNIFORM | COPY_DST });
  const u = new Uint32Array(320);
  for (let k = 0; k < 5; k++) u.set([2 * k + 1, k % 4, 0, 0], 64 * k);
  device.queue.writeBuffer(uniforms, 0, u);
  const groups = [0, 256].map((offset) =>
    device.createBindGroup({ layout: addLayout, entries: [{ binding: 0, resource: { buffer: uniforms, offset, size: 16 } }] }),
  );
  const indirect = device.createBuffer({ size: 16, usage: INDIRECT | COPY_DST });
  device.queue.writeBuffer(indirect, 0, new Uint32Array([2, 3, 1, 0]));

  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setBindGroup(0, accGroup);
  const offsetsArray = new Uint32Array([0, 512, 768]);
  for (let i = 0; i < commands; i++) {
    if (i % 97 === 0) pass.setPipeline(i % 2 ? twice : main);
    if (i % 3 === 0) pass.setBindGroup(1, groups[i % 2], [256 * (i % 3)]);
    else pass.setBindGroup(1, groups[i % 2], offsetsArray, i % 3, 1);
    if (i % 1000 === 0) pass.insertDebugMarker(`at ${i}`);
    if (i % 5 === 0) pass.dispatchWorkgroupsIndirect(indirect, 0);
    else pass.dispatchWorkgroups(1 + (i % 2), 1 + (i % 3));
    eachCommand?.();
  }
  pass.end();
  const readback = device.createBuffer({ size: 32, usage: GPUBufferUsage.MAP_READ | COPY_DST });
  encoder.copyBufferToBuffer(acc, 0, readback, 0, 32);
  device.queue.submit([encoder.finish()]);
  await readback.mapAsync(1);
  const out = [...new Uint32Array(readback.getMappedRange())];
  readback.unmap();
  return out;
}

test("the replay helper is built here (npm test builds it), on unless WGPU_TS_REPLAY=0, and loads when switched on", () => {
  assert.equal(replayAvailable(), process.env.WGPU_TS_REPLAY !== "0");
  setReplayEnabled(true);
  assert.equal(replayAvailable(), true);
});

test("a compute pass gives the same results recorded and direct (pipelines, dynamic offsets, indirect, markers)", async () => {
  const { replay, direct } = await bothPaths((d) => runSequence(d, 300));
  assert.ok(
    direct.some((v) => v !== 0),
    "the sequence did something",
  );
  assert.deepEqual(replay, direct);
});

test("a long pass that fills the stream several times gives the same results", async () => {
  const { replay, direct } = await bothPaths((d) => runSequence(d, 15_000));
  assert.deepEqual(replay, direct);
});

test("bad arguments throw at the call on both paths; engine validation is deferred to finish", async () => {
  await bothPaths(async (device) => {
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    assert.throws(() => pass.setBindGroup(0, {} as never), TypeError);
    assert.throws(() => pass.setPipeline(null as never), TypeError);
    assert.throws(() => pass.dispatchWorkgroups(-1), TypeError);
    assert.throws(() => pass.dispatchWorkgroups(1, 2 ** 32), TypeError);
    // No pipeline set: the engine reports it, as a validation error at finish (not at the call).
    pass.dispatchWorkgroups(1);
    pass.end();
    const error = await validationErrorOf(device, () => encoder.finish());
    assert.ok(error, "dispatch without a pipeline is a validation error");
    return null;
  });
});

test("disposing an object a recorded stream names defers its native release until the replay", async () => {
  const { replay, direct } = await bothPaths(async (device) => {
    const module = device.createShaderModule({ code: SHADER });
    const pipeline = device.createComputePipeline({ layout: "auto", compute: { module, entryPoint: "main" } });
    const acc = device.createBuffer({ size: 32, usage: STORAGE | COPY_SRC });
    const add = device.createBuffer({ size: 16, usage: UNIFORM | COPY_DST });
    device.queue.writeBuffer(add, 0, new Uint32Array([5, 1, 0, 0]));
    const g0 = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: acc } }] });
    const g1 = device.createBindGroup({ layout: pipeline.getBindGroupLayout(1), entries: [{ binding: 0, resource: { buffer: add } }] });
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, g0);
    pass.setBindGroup(1, g1);
    pass.dispatchWorkgroups(2);
    pipeline[Symbol.dispose]();
    assert.throws(() => pass.setPipeline(pipeline), TypeError);
    pass.end();
    const errors = await validationErrorOf(device, () => device.queue.submit([encoder.finish()]));
    assert.equal(errors, null);
    const out = new Uint32Array(await device.queue.readBuffer(acc));
    return [...out];
  });
  assert.deepEqual(replay, direct);
  assert.equal(replay[1], 10);
});

test("finishing an encoder with a pass left open is a validation error on both paths", async () => {
  await bothPaths(async (device) => {
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.dispatchWorkgroups(1);
    const error = await validationErrorOf(device, () => encoder.finish());
    assert.ok(error);
    return null;
  });
});

test("a pass still called after its encoder finished never writes into another pass's stream", async () => {
  const expected = await runSequence(testDevice(), 300);
  const { replay, direct } = await bothPaths(async (device) => {
    const stale = device.createCommandEncoder();
    const left = stale.beginComputePass();
    left.dispatchWorkgroups(1);
    assert.ok(await validationErrorOf(device, () => stale.finish()));
    // The next pass takes the stream block the abandoned one gave back; the abandoned pass goes on.
    const out = await runSequence(device, 300, () => left.setBindGroup(7, null));
    left.end();
    return out;
  });
  assert.deepEqual(replay, expected);
  assert.deepEqual(direct, expected);
});

// A render pass using every recorded render command: pipelines, bind groups with dynamic offsets,
// vertex and index buffers, draw / drawIndexed / both indirect draws, viewport, scissor, stencil
// reference, blend constant (direct, after a replay), occlusion queries; compared pixel for pixel.
const RENDER = /* wgsl */ `
struct Out { @builtin(position) pos: vec4f, @location(0) color: vec4f };
@group(0) @binding(0) var<uniform> tint: vec4f;
@vertex fn vs(@location(0) p: vec2f, @builtin(instance_index) i: u32) -> Out {
  return Out(vec4f(p + vec2f(f32(i) * 0.05, 0.0), 0.0, 1.0), tint);
}
@fragment fn fs(i: Out) -> @location(0) vec4f { return i.color; }`;

async function renderScene(device: GPUDevice, draws: number): Promise<Uint8Array> {
  const module = device.createShaderModule({ code: RENDER });
  const bgl = device.createBindGroupLayout({ entries: [{ binding: 0, visibility: 1, buffer: { type: "uniform", hasDynamicOffset: true } }] });
  const pipeline = (blend: boolean) =>
    device.createRenderPipeline({
      layout: device.createPipelineLayout({ bindGroupLayouts: [bgl] }),
      vertex: { module, entryPoint: "vs", buffers: [{ arrayStride: 8, attributes: [{ shaderLocation: 0, offset: 0, format: "float32x2" }] }] },
      fragment: {
        module,
        entryPoint: "fs",
        targets: [
          {
            format: "rgba8unorm",
            blend: blend ? { color: { srcFactor: "constant", dstFactor: "one" }, alpha: { srcFactor: "one", dstFactor: "zero" } } : undefined,
          },
        ],
      },
    });
  const [plain, blended] = [pipeline(false), pipeline(true)];
  const uniforms = device.createBuffer({ size: 256 * 4, usage: UNIFORM | COPY_DST });
  device.queue.writeBuffer(
    uniforms,
    0,
    new Float32Array(256).map((_, i) => (i % 64 < 4 ? [0.9, 0.2, 0.4, 1, 0.1, 0.8, 0.3, 1][(i % 4) + 4 * ((i >> 6) & 1)] : 0)),
  );
  const group = device.createBindGroup({ layout: bgl, entries: [{ binding: 0, resource: { buffer: uniforms, size: 16 } }] });
  const vertices = device.createBuffer({ size: 64, usage: GPUBufferUsage.VERTEX | COPY_DST });
  device.queue.writeBuffer(vertices, 0, new Float32Array([-0.9, -0.9, -0.7, -0.9, -0.9, -0.6, -0.6, -0.5, 0, 0, 0, 0, 0, 0, 0, 0]));
  const indices = device.createBuffer({ size: 16, usage: GPUBufferUsage.INDEX | COPY_DST });
  device.queue.writeBuffer(indices, 0, new Uint16Array([0, 1, 2, 1, 3, 2, 0, 0]));
  const indirect = device.createBuffer({ size: 48, usage: INDIRECT | COPY_DST });
  device.queue.writeBuffer(indirect, 0, new Uint32Array([3, 2, 0, 3, 6, 1, 0, 0, 5, 0, 0, 0]));
  const target = device.createTexture({ size: [64, 64], format: "rgba8unorm", usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC });
  const queries = device.createQuerySet({ type: "occlusion", count: 2 });
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginRenderPass({
    colorAttachments: [{ view: target.createView(), loadOp: "clear", storeOp: "store", clearValue: [0, 0, 0, 1] }],
    occlusionQuerySet: queries,
  });
  pass.setVertexBuffer(0, vertices, 0, 32);
  pass.setIndexBuffer(indices, "uint16");
  pass.beginOcclusionQuery(0);
  for (let i = 0; i < draws; i++) {
    if (i % 50 === 0) pass.setPipeline(i % 100 ? blended : plain);
    if (i % 50 === 10) pass.setBlendConstant([0.1, 0.1 * (i % 3), 0, 1]);
    if (i % 7 === 0) pass.setViewport((i % 5) * 4, (i % 3) * 4, 48, 48, 0, 1);
    if (i % 11 === 0) pass.setScissorRect(i % 8, i % 6, 48, 48);
    if (i % 13 === 0) pass.setStencilReference(i % 4);
    pass.setBindGroup(0, group, [256 * (i % 2)]);
    if (i % 4 === 0) pass.draw(3, 1 + (i % 3), 0, i % 5);
    else if (i % 4 === 1) pass.drawIndexed(6, 1 + (i % 2), 0, 0, i % 7);
    else if (i % 4 === 2) pass.drawIndirect(indirect, 0);
    else pass.drawIndexedIndirect(indirect, 16);
    if (i === draws >> 1) {
      pass.endOcclusionQuery();
      pass.beginOcclusionQuery(1);
    }
  }
  pass.endOcclusionQuery();
  pass.end();
  device.queue.submit([encoder.finish()]);
  return new Uint8Array(await device.queue.readTexture({ texture: target }, [64, 64, 1]));
}

async function renderWithoutErrors(device: GPUDevice, draws: number): Promise<Uint8Array> {
  device.pushErrorScope("validation");
  const pixels = await renderScene(device, draws);
  const error = await device.popErrorScope();
  assert.equal(error?.message, undefined);
  return pixels;
}

test("a render pass gives the same pixels recorded and direct (every recorded render command)", async () => {
  const { replay, direct } = await bothPaths((d) => renderWithoutErrors(d, 400));
  assert.ok(
    direct.some((v, i) => i % 4 !== 3 && v !== 0),
    "the scene drew something",
  );
  assert.deepEqual(replay, direct);
});

test("a render pass that fills the stream several times gives the same pixels", async () => {
  const { replay, direct } = await bothPaths((d) => renderWithoutErrors(d, 12_000));
  assert.deepEqual(replay, direct);
});

test("a disposed pass throws at every call on both paths, and nothing is replayed into its released handle", async () => {
  await bothPaths(async (device) => {
    const target = device.createTexture({ size: [4, 4], format: "rgba8unorm", usage: GPUTextureUsage.RENDER_ATTACHMENT });
    const queries = device.createQuerySet({ type: "occlusion", count: 1 });
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginRenderPass({ colorAttachments: [{ view: target.createView(), loadOp: "clear", storeOp: "store" }], occlusionQuerySet: queries });
    pass.setScissorRect(0, 0, 2, 2); // recorded, not yet replayed
    pass[Symbol.dispose]();
    const calls: Array<() => unknown> = [
      () => pass.setViewport(0, 0, 1, 1, 0, 1),
      () => pass.setScissorRect(0, 0, 1, 1),
      () => pass.setStencilReference(1),
      () => pass.beginOcclusionQuery(0),
      () => pass.endOcclusionQuery(),
      () => pass.draw(3),
    ];
    for (const call of calls) assert.throws(call, /was disposed/);
    // Releasing anything replays the open streams: the disposed pass's stream must not be among them.
    device.createBuffer({ size: 4, usage: COPY_DST })[Symbol.dispose]();
    assert.ok(await validationErrorOf(device, () => encoder.finish()), "the pass was never ended");
    return null;
  });
});
