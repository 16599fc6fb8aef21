// Render passes and bundles: attachments (load/store, holes, a GPUTexture as view, depthSlice),
// dynamic offsets in both forms, state after executeBundles, and argument checks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { GPUBufferUsage, GPURenderBundle, GPURenderPassEncoder, GPUShaderStage, GPUTextureUsage, type GPUDevice } from "../src/index.ts";
import { testDevice, validationErrorOf } from "./helpers/gpu.ts";
import { pixel, readImage, renderTarget } from "./helpers/pixels.ts";

// A full-target triangle whose color comes from a uniform (group 0, binding 0, dynamic offset).
const shader = /* wgsl */ `
@group(0) @binding(0) var<uniform> color: vec4f;
@vertex fn vs(@builtin(vertex_index) i: u32) -> @builtin(position) vec4f {
  var p = array(vec2f(-1, -1), vec2f(3, -1), vec2f(-1, 3));
  return vec4f(p[i], 0, 1);
}
@fragment fn fs() -> @location(0) vec4f { return color; }
@fragment fn fs2() -> @location(1) vec4f { return color; }
`;

function setup(device: GPUDevice, fragment: GPUFragmentState | null = null) {
  const module = device.createShaderModule({ code: shader });
  const layout = device.createBindGroupLayout({ entries: [{ binding: 0, visibility: GPUShaderStage.FRAGMENT, buffer: { hasDynamicOffset: true } }] });
  const pipeline = device.createRenderPipeline({
    layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
    vertex: { module },
    fragment: fragment ?? { module, entryPoint: "fs", targets: [{ format: "rgba8unorm" }] },
  });
  // Two colors 256 bytes apart: green at offset 0, red at offset 256.
  const colors = new Float32Array(128);
  colors.set([0, 1, 0, 1], 0);
  colors.set([1, 0, 0, 1], 64);
  const uniforms = device.createBufferWithData(colors, GPUBufferUsage.UNIFORM);
  const group = device.createBindGroup({ layout, entries: [{ binding: 0, resource: { buffer: uniforms, size: 16 } }] });
  return { module, pipeline, group, layout };
}

test("setBindGroup with dynamic offsets as a sequence and as a Uint32Array range", () => {
  const device = testDevice();
  const { pipeline, group } = setup(device);
  for (const form of ["sequence", "array"] as const) {
    const target = renderTarget(device, 4, 4);
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginRenderPass({ colorAttachments: [{ view: target, loadOp: "clear", storeOp: "store" }] });
    pass.setPipeline(pipeline);
    if (form === "sequence") pass.setBindGroup(0, group, [256]);
    else pass.setBindGroup(0, group, new Uint32Array([0, 0, 256, 0]), 2, 1);
    pass.draw(3);
    pass.end();
    device.queue.submit([encoder.finish()]);
    assert.deepEqual(pixel(readImage(device, target), 1, 1), [255, 0, 0, 255], `${form} form (a GPUTexture as the attachment view)`);
  }
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginRenderPass({ colorAttachments: [{ view: renderTarget(device, 4, 4).createView(), loadOp: "clear", storeOp: "store" }] });
  assert.throws(() => pass.setBindGroup(0, group, new Uint32Array(2), 1, 2), RangeError);
  assert.throws(() => pass.setBindGroup(0, group, [-1]), TypeError);
  pass.end();
});

test("loadOp load keeps what the previous pass stored; a hole among the color attachments", () => {
  const device = testDevice();
  const module = device.createShaderModule({ code: shader });
  const { group } = setup(device);
  const layout = device.createBindGroupLayout({ entries: [{ binding: 0, visibility: GPUShaderStage.FRAGMENT, buffer: { hasDynamicOffset: true } }] });
  const pipeline = device.createRenderPipeline({
    layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
    vertex: { module },
    fragment: { module, entryPoint: "fs2", targets: [null, { format: "rgba8unorm" }] },
  });
  const target = renderTarget(device, 4, 4);
  const e1 = device.createCommandEncoder();
  e1.beginRenderPass({ colorAttachments: [{ view: target.createView(), loadOp: "clear", storeOp: "store", clearValue: [0, 0, 1, 1] }] }).end();
  device.queue.submit([e1.finish()]);
  const e2 = device.createCommandEncoder();
  const pass = e2.beginRenderPass({ colorAttachments: [null, { view: target.createView(), loadOp: "load", storeOp: "store" }] });
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, group, [0]);
  pass.setScissorRect(0, 0, 2, 4);
  pass.draw(3);
  pass.end();
  device.queue.submit([e2.finish()]);
  const image = readImage(device, target);
  assert.deepEqual(pixel(image, 0, 0), [0, 255, 0, 255], "drawn inside the scissor rect");
  assert.deepEqual(pixel(image, 3, 0), [0, 0, 255, 255], "loaded outside it");
});

test("depthSlice renders into one slice of a 3D texture; the other slices stay zero", () => {
  const device = testDevice();
  const { pipeline, group } = setup(device);
  const volume = () =>
    device.createTexture({ size: [2, 2, 3], dimension: "3d", format: "rgba8unorm", usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC });
  const draw = (texture: ReturnType<typeof volume>, depthSlice: number, offset: number) => {
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginRenderPass({ colorAttachments: [{ view: texture.createView(), depthSlice, loadOp: "clear", storeOp: "store" }] });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group, [offset]);
    pass.draw(3);
    pass.end();
    device.queue.submit([encoder.finish()]);
  };
  // Leave green pixels in freed memory: wgpu-core 29 would show them in the slices not drawn
  // (see volume-init.ts); wgpu-ts clears such textures when it makes them.
  for (let i = 0; i < 3; i++) {
    const dirty = volume();
    for (let z = 0; z < 3; z++) draw(dirty, z, 0);
    device.queue.onSubmittedWorkDoneSync();
    dirty.destroy();
  }
  const texture = volume();
  draw(texture, 1, 256);
  const texels = new Uint8Array(device.queue.readTextureSync({ texture }, [2, 2, 3]));
  const red = Array(4).fill([255, 0, 0, 255]).flat();
  assert.deepEqual([...texels], [...Array(16).fill(0), ...red, ...Array(16).fill(0)]);
});

test("a depthSlice of 2^32 - 1 (webgpu.h's 'undefined') is a validation error, not a depthSlice left out", async () => {
  const device = testDevice();
  const flat = device.createTexture({ size: [2, 2], format: "rgba8unorm", usage: GPUTextureUsage.RENDER_ATTACHMENT });
  for (const [view, depthSlice] of [
    [flat.createView(), 0xffffffff],
    [flat.createView(), undefined],
  ] as const) {
    device.pushErrorScope("validation");
    const encoder = device.createCommandEncoder();
    encoder.beginRenderPass({ colorAttachments: [{ view, depthSlice, loadOp: "clear", storeOp: "store" }] }).end();
    encoder.finish();
    const error = await device.popErrorScope();
    if (depthSlice === undefined) assert.equal(error, null);
    else assert.match(String(error?.message), /depthSlice \(4294967295\) is past every view's depth/);
  }
});

test("executeBundles: bundles with bind groups and dynamic offsets, and the pass state cleared after them", async () => {
  const device = testDevice();
  const { pipeline, group } = setup(device);
  const record = (offset: number) => {
    const b = device.createRenderBundleEncoder({ colorFormats: ["rgba8unorm"], label: `offset ${offset}` });
    b.setPipeline(pipeline);
    b.setBindGroup(0, group, [offset]);
    b.pushDebugGroup("bundle");
    b.insertDebugMarker("draw");
    b.draw(3);
    b.popDebugGroup();
    return b.finish({ label: "bundle" });
  };
  const red = record(256);
  assert.ok(red instanceof GPURenderBundle);
  assert.equal(red.label, "bundle");
  const target = renderTarget(device, 4, 4);
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginRenderPass({ colorAttachments: [{ view: target.createView(), loadOp: "clear", storeOp: "store" }], maxDrawCount: 10 });
  assert.ok(pass instanceof GPURenderPassEncoder);
  pass.executeBundles([record(0), red]);
  pass.end();
  device.queue.submit([encoder.finish()]);
  assert.deepEqual(pixel(readImage(device, target), 2, 2), [255, 0, 0, 255], "the last bundle wins");
  // After executeBundles the pipeline is unset: a draw is an error. (wgpu-core 29 clears the state
  // only when the list is not empty.)
  assert.ok(
    await validationErrorOf(device, () => {
      const e = device.createCommandEncoder();
      const p = e.beginRenderPass({ colorAttachments: [{ view: target.createView(), loadOp: "clear", storeOp: "store" }] });
      p.setPipeline(pipeline);
      p.setBindGroup(0, group, [0]);
      p.executeBundles([red]);
      p.draw(3);
      p.end();
      e.finish();
    }),
  );
});

test("pass commands check their arguments: TypeErrors naming the member", () => {
  const device = testDevice();
  const encoder = device.createCommandEncoder();
  assert.throws(() => encoder.beginRenderPass(undefined as never), /descriptor is required/);
  assert.throws(
    () => encoder.beginRenderPass({ colorAttachments: [{ view: {} as never, loadOp: "clear", storeOp: "store" }] }),
    /colorAttachments\[0\].view must be a GPUTextureView/,
  );
  assert.throws(
    () => encoder.beginRenderPass({ colorAttachments: [{ view: renderTarget(device, 4, 4), loadOp: "keep" as never, storeOp: "store" }] }),
    /loadOp/,
  );
  assert.throws(
    () => encoder.beginRenderPass({ colorAttachments: [{ view: renderTarget(device, 4, 4), loadOp: "clear", storeOp: "store", clearValue: [1, 2, 3] }] }),
    /clearValue must have 4 components/,
  );
  const pass = encoder.beginRenderPass({ colorAttachments: [{ view: renderTarget(device, 4, 4), loadOp: "clear", storeOp: "store" }] });
  assert.throws(() => pass.setBlendConstant([0, 0, 0]), /color must have 4 components/);
  assert.throws(() => pass.setBlendConstant({ r: 0, g: 0, b: 0 } as never), /color.a is required/);
  assert.throws(() => pass.setViewport(0, 0, NaN, 1, 0, 1), /width must be a finite number/);
  assert.throws(() => pass.setScissorRect(0, 0, -1, 1), /width/);
  assert.throws(() => pass.setStencilReference(2 ** 32), /reference/);
  assert.throws(() => pass.setIndexBuffer(device.createBuffer({ size: 4, usage: GPUBufferUsage.INDEX }), "uint8" as never), /indexFormat/);
  assert.throws(() => pass.draw(-1), /vertexCount/);
  assert.throws(() => pass.drawIndexed(1, 1, 0, 2 ** 31), /baseVertex/);
  assert.throws(() => pass.executeBundles([{}] as never), /bundles\[0\] must be a GPURenderBundle/);
  assert.throws(() => pass.setPipeline(null as never), /pipeline must be a GPURenderPipeline/);
  pass.end();
});

test("a null vertex buffer layout is an unused slot: draws need no buffer there (in passes and bundles)", async () => {
  // Also: the attributes of later slots read their own buffers (wgpu-core 29 read slot 0's: see
  // padLocations in render-pipeline.ts).
  const device = testDevice();
  const module = device.createShaderModule({
    code: `@vertex fn vs(@location(0) p: vec2f) -> @builtin(position) vec4f { return vec4f(p, 0, 1); }
      @fragment fn fs() -> @location(0) vec4f { return vec4f(1, 1, 0, 1); }`,
  });
  const pipeline = device.createRenderPipeline({
    layout: "auto",
    vertex: { module, buffers: [null, { arrayStride: 8, attributes: [{ format: "float32x2", offset: 0, shaderLocation: 0 }] }] },
    fragment: { module, targets: [{ format: "rgba8unorm" }] },
  });
  const vertices = device.createBufferWithData(new Float32Array([-1, -1, 3, -1, -1, 3]), GPUBufferUsage.VERTEX);
  const bundleEncoder = device.createRenderBundleEncoder({ colorFormats: ["rgba8unorm"] });
  bundleEncoder.setPipeline(pipeline);
  bundleEncoder.setVertexBuffer(1, vertices);
  bundleEncoder.draw(3);
  const bundle = bundleEncoder.finish();
  for (const viaBundle of [false, true]) {
    const target = renderTarget(device, 4, 4);
    assert.equal(
      await validationErrorOf(device, () => {
        const encoder = device.createCommandEncoder();
        const pass = encoder.beginRenderPass({ colorAttachments: [{ view: target, loadOp: "clear", storeOp: "store" }] });
        if (viaBundle) pass.executeBundles([bundle]);
        else {
          pass.setPipeline(pipeline);
          pass.setVertexBuffer(1, vertices);
          pass.draw(3);
        }
        pass.end();
        device.queue.submit([encoder.finish()]);
      }),
      null,
    );
    assert.deepEqual(pixel(readImage(device, target), 1, 1), [255, 255, 0, 255], viaBundle ? "bundle" : "pass");
  }
  // An explicit layout without attributes before the used one: a buffer of zeros bound there must not be read.
  const padded = device.createRenderPipeline({
    layout: "auto",
    vertex: {
      module,
      buffers: [
        { arrayStride: 8, attributes: [] },
        { arrayStride: 8, attributes: [{ format: "float32x2", offset: 0, shaderLocation: 0 }] },
      ],
    },
    fragment: { module, targets: [{ format: "rgba8unorm" }] },
  });
  const target = renderTarget(device, 4, 4);
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginRenderPass({ colorAttachments: [{ view: target, loadOp: "clear", storeOp: "store" }] });
  pass.setPipeline(padded);
  pass.setVertexBuffer(0, device.createBuffer({ size: 64, usage: GPUBufferUsage.VERTEX }));
  pass.setVertexBuffer(1, vertices);
  pass.draw(3);
  pass.end();
  device.queue.submit([encoder.finish()]);
  assert.deepEqual(pixel(readImage(device, target), 1, 1), [255, 255, 0, 255], "slot 1's attributes read slot 1's buffer");
});

test("uint16 indices from offset 2 (wgpu-core 29 panicked zero-filling such a range of a never-written buffer)", () => {
  const device = testDevice();
  const module = device.createShaderModule({
    code: `@vertex fn vs(@location(0) p: vec2f) -> @builtin(position) vec4f { return vec4f(p, 0, 1); }
      @fragment fn fs() -> @location(0) vec4f { return vec4f(0, 1, 1, 1); }`,
  });
  const pipeline = device.createRenderPipeline({
    layout: "auto",
    vertex: { module, buffers: [{ arrayStride: 8, attributes: [{ format: "float32x2", offset: 0, shaderLocation: 0 }] }] },
    fragment: { module, targets: [{ format: "rgba8unorm" }] },
  });
  const vertices = device.createBufferWithData(new Float32Array([-1, -1, 3, -1, -1, 3]), GPUBufferUsage.VERTEX);
  const written = device.createBufferWithData(new Uint16Array([9, 0, 1, 2]), GPUBufferUsage.INDEX);
  const neverWritten = device.createBuffer({ size: 64, usage: GPUBufferUsage.INDEX });
  for (const [buffer, expected] of [
    [written, [0, 255, 255, 255]],
    [neverWritten, [0, 0, 0, 0]],
  ] as const) {
    const target = renderTarget(device, 4, 4);
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginRenderPass({ colorAttachments: [{ view: target, loadOp: "clear", storeOp: "store" }] });
    pass.setPipeline(pipeline);
    pass.setVertexBuffer(0, vertices);
    pass.setIndexBuffer(buffer, "uint16", 2);
    pass.drawIndexed(3);
    pass.end();
    device.queue.submit([encoder.finish()]);
    assert.deepEqual(pixel(readImage(device, target), 1, 1), expected);
  }
});

test("the blend constant starts at [0, 0, 0, 0] in each pass, in draws and in bundles (wgpu-core 29 wanted it set)", async () => {
  const device = testDevice();
  const constant = { srcFactor: "constant", dstFactor: "zero", operation: "add" } as const;
  const { pipeline, group } = setup(device, {
    module: device.createShaderModule({ code: shader }),
    entryPoint: "fs",
    targets: [{ format: "rgba8unorm", blend: { color: constant, alpha: constant } }],
  });
  const bundleEncoder = device.createRenderBundleEncoder({ colorFormats: ["rgba8unorm"] });
  bundleEncoder.setPipeline(pipeline);
  bundleEncoder.setBindGroup(0, group, [0]);
  bundleEncoder.draw(3);
  const bundle = bundleEncoder.finish();
  for (const [how, blendConstant, want] of [
    ["draw", undefined, [0, 0, 0, 0]],
    ["bundle", undefined, [0, 0, 0, 0]],
    ["draw", [1, 1, 1, 1], [0, 255, 0, 255]],
  ] as const) {
    const target = renderTarget(device, 4, 4);
    const error = await validationErrorOf(device, () => {
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginRenderPass({ colorAttachments: [{ view: target, loadOp: "clear", clearValue: [1, 1, 1, 1], storeOp: "store" }] });
      if (blendConstant) pass.setBlendConstant(blendConstant);
      if (how === "bundle") pass.executeBundles([bundle]);
      else {
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, group, [0]);
        pass.draw(3);
      }
      pass.end();
      device.queue.submit([encoder.finish()]);
    });
    assert.equal(error, null, `${how}, blend constant ${blendConstant ?? "never set"}`);
    assert.deepEqual(pixel(readImage(device, target), 1, 1), want, `${how}: green times the blend constant`);
  }
});

test("a bundle's stencil test uses the pass's stencil reference (wgpu-core 29 never sent it for a bundle)", () => {
  const device = testDevice();
  const face = { compare: "equal", passOp: "keep" } as const;
  const { module, group, layout } = setup(device);
  const pipeline = device.createRenderPipeline({
    layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
    vertex: { module },
    fragment: { module, entryPoint: "fs", targets: [{ format: "rgba8unorm" }] },
    depthStencil: { format: "stencil8", stencilFront: face, stencilBack: face },
  });
  const bundleEncoder = device.createRenderBundleEncoder({ colorFormats: ["rgba8unorm"], depthStencilFormat: "stencil8" });
  bundleEncoder.setPipeline(pipeline);
  bundleEncoder.setBindGroup(0, group, [0]);
  bundleEncoder.draw(3);
  const bundle = bundleEncoder.finish();
  // The stencil is cleared to 1: a reference of 1 passes the "equal" test, 0 and 2 fail it.
  for (const [reference, want] of [
    [1, [0, 255, 0, 255]],
    [0, [0, 0, 0, 0]],
    [2, [0, 0, 0, 0]],
  ] as const) {
    const target = renderTarget(device, 4, 4);
    const stencil = device.createTexture({ size: [4, 4], format: "stencil8", usage: GPUTextureUsage.RENDER_ATTACHMENT });
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginRenderPass({
      colorAttachments: [{ view: target, loadOp: "clear", storeOp: "store" }],
      depthStencilAttachment: { view: stencil.createView(), stencilLoadOp: "clear", stencilStoreOp: "store", stencilClearValue: 1 },
    });
    pass.setStencilReference(reference);
    pass.executeBundles([bundle]);
    pass.end();
    device.queue.submit([encoder.finish()]);
    assert.deepEqual(pixel(readImage(device, target), 1, 1), want, `stencil reference ${reference}`);
  }
});

test("maxDrawCount counts the pass's draws and its bundles' (wgpu-native does not check it)", async () => {
  const device = testDevice();
  const module = device.createShaderModule({
    code: `@vertex fn vs() -> @builtin(position) vec4f { return vec4f(0); }
      @fragment fn fs() -> @location(0) vec4f { return vec4f(0); }`,
  });
  const pipeline = device.createRenderPipeline({ layout: "auto", vertex: { module }, fragment: { module, targets: [{ format: "rgba8unorm" }] } });
  const indirect = device.createBufferWithData(new Uint32Array([3, 1, 0, 0]), GPUBufferUsage.INDIRECT);
  const bundleEncoder = device.createRenderBundleEncoder({ colorFormats: ["rgba8unorm"] });
  bundleEncoder.setPipeline(pipeline);
  bundleEncoder.draw(3);
  bundleEncoder.drawIndirect(indirect, 0);
  const bundle = bundleEncoder.finish(); // 2 draws
  const target = renderTarget(device, 1, 1);
  const run = (maxDrawCount: number) =>
    validationErrorOf(device, () => {
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginRenderPass({ colorAttachments: [{ view: target, loadOp: "clear", storeOp: "store" }], maxDrawCount });
      pass.setPipeline(pipeline);
      pass.draw(3);
      pass.executeBundles([bundle, bundle]);
      pass.end();
      encoder.finish();
    });
  assert.equal(await run(5), null, "5 draws within maxDrawCount 5");
  // Dawn's own message comes first there ("The drawCount (5) ... is greater than the maxDrawCount (4)").
  assert.match((await run(4))?.message ?? "", /(the pass has 5 draws, more than its|drawCount \(5\) .* is greater than the) maxDrawCount \(4\)/);
});
