// Pixel tests: scenes rendered on the engine (lavapipe here) and compared with the reference PNGs
// in test/reference/ (small tolerance; the diff image goes to test/output/ on failure).
import { test } from "node:test";
import assert from "node:assert/strict";
import { GPUTextureUsage, installGlobals, type GPUDevice as Device } from "../src/index.ts";
import { testDevice } from "./helpers/gpu.ts";
import { expectImage, pixel, readImage, renderTarget } from "./helpers/pixels.ts";
import { drawTriangle } from "../examples/triangle.ts";
import { drawCube } from "../examples/cube.ts";
import { drawParticles } from "../examples/particles.ts";

installGlobals(); // the example scenes use the standard global flag constants

/** Position (float32x2) and color (float32x4) per vertex. */
const coloredShader = /* wgsl */ `
struct Out { @builtin(position) position: vec4f, @location(0) color: vec4f }
@vertex fn vs(@location(0) position: vec2f, @location(1) color: vec4f, @builtin(instance_index) instance: u32) -> Out {
  return Out(vec4f(position + vec2f(f32(instance) * 0.9, 0), 0, 1), color);
}
@fragment fn fs(in: Out) -> @location(0) vec4f { return in.color; }
// Colors by position: a gradient for the stencil scene.
@fragment fn gradient(in: Out) -> @location(0) vec4f { return vec4f(in.position.x / 64, in.position.y / 64, 0.8, 1); }
`;

const coloredLayout: GPUVertexBufferLayout = {
  arrayStride: 24,
  attributes: [
    { format: "float32x2", offset: 0, shaderLocation: 0 },
    { format: "float32x4", offset: 8, shaderLocation: 1 },
  ],
};

/** Axis-aligned quads as two triangles each: [x0, y0, x1, y1, r, g, b, a]. */
function quads(...list: number[][]): Float32Array<ArrayBuffer> {
  const out: number[] = [];
  for (const [x0, y0, x1, y1, r, g, b, a] of list) {
    for (const [x, y] of [
      [x0, y0],
      [x1, y0],
      [x0, y1],
      [x0, y1],
      [x1, y0],
      [x1, y1],
    ])
      out.push(x, y, r, g, b, a);
  }
  return new Float32Array(out);
}

function vertexBuffer(device: Device, data: Float32Array<ArrayBuffer>) {
  return device.createBufferWithData(data, GPUBufferUsage.VERTEX);
}

test("triangle (example): per-vertex colors interpolated", () => {
  const device = testDevice();
  const target = renderTarget(device, 64, 64);
  drawTriangle(device, target.createView(), "rgba8unorm");
  const image = readImage(device, target);
  assert.deepEqual(pixel(image, 0, 0), [13, 13, 51, 255], "the clear color outside");
  expectImage("triangle", image);
});

test("textured cube (example): depth buffer, 4x MSAA resolved", () => {
  const device = testDevice();
  const target = renderTarget(device, 96, 96);
  drawCube(device, target.createView(), "rgba8unorm", 96, 96, 0.6);
  const image = readImage(device, target);
  // MSAA: edge pixels are mixes of the cube and the background.
  const mixed = image.data.filter((_, i) => i % 4 === 0).filter((r) => r > 40 && r < 200).length;
  assert.ok(mixed > 20, `resolved edges have intermediate values (${mixed} pixels)`);
  expectImage("cube", image);
});

test("instanced particles (example): instance-step vertex buffer, additive blending", () => {
  const device = testDevice();
  const target = renderTarget(device, 96, 96);
  drawParticles(device, target.createView(), "rgba8unorm");
  expectImage("particles", readImage(device, target));
});

test("blending: alpha blending of overlapping quads, and a constant blend factor (dictionary and sequence forms)", () => {
  const device = testDevice();
  const target = renderTarget(device, 64, 64);
  const module = device.createShaderModule({ code: coloredShader });
  const pipeline = (blend: GPUBlendState) =>
    device.createRenderPipeline({
      layout: "auto",
      vertex: { module, buffers: [coloredLayout] },
      fragment: { module, entryPoint: "fs", targets: [{ format: "rgba8unorm", blend }] },
    });
  const alpha = pipeline({
    color: { srcFactor: "src-alpha", dstFactor: "one-minus-src-alpha" },
    alpha: { srcFactor: "one", dstFactor: "one-minus-src-alpha" },
  });
  const constant = pipeline({ color: { srcFactor: "constant", dstFactor: "zero" }, alpha: { srcFactor: "one", dstFactor: "zero" } });
  const overlapping = vertexBuffer(
    device,
    quads([-0.9, -0.9, 0.3, 0.3, 1, 0, 0, 0.5], [-0.5, -0.5, 0.7, 0.7, 0, 1, 0, 0.5], [-0.1, -0.9, 0.9, 0.1, 0, 0, 1, 0.5]),
  );
  const corner = vertexBuffer(device, quads([-1, 0.75, -0.75, 1, 1, 1, 1, 1], [0.75, 0.75, 1, 1, 1, 1, 1, 1]));
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginRenderPass({
    colorAttachments: [{ view: target.createView(), loadOp: "clear", storeOp: "store", clearValue: { r: 1, g: 1, b: 1, a: 1 } }],
  });
  pass.setPipeline(alpha);
  pass.setVertexBuffer(0, overlapping);
  pass.draw(18);
  pass.setPipeline(constant);
  pass.setVertexBuffer(0, corner);
  pass.setBlendConstant({ r: 0.2, g: 0.4, b: 0.8, a: 1 });
  pass.draw(6, 1, 0);
  pass.setBlendConstant([0.8, 0.4, 0.2, 1]);
  pass.draw(6, 1, 6);
  pass.end();
  device.queue.submit([encoder.finish()]);
  const image = readImage(device, target);
  assert.deepEqual(pixel(image, 2, 2), [51, 102, 204, 255], "top left corner: white times the dictionary constant");
  assert.deepEqual(pixel(image, 61, 2), [204, 102, 51, 255], "top right corner: white times the sequence constant");
  // Red at half alpha over white, then green at half alpha over that.
  const [r, g, b] = pixel(image, 26, 26);
  assert.ok(Math.abs(r - 128) <= 2 && Math.abs(g - 191) <= 2 && Math.abs(b - 64) <= 2, `blended overlap ${[r, g, b]}`);
  expectImage("blend", image);
});

test("stencil: a diamond written to the stencil buffer masks the later draws", () => {
  const device = testDevice();
  const target = renderTarget(device, 64, 64);
  const stencil = device.createTexture({ size: [64, 64], format: "depth24plus-stencil8", usage: GPUTextureUsage.RENDER_ATTACHMENT });
  const module = device.createShaderModule({ code: coloredShader });
  const make = (face: GPUStencilFaceState, entryPoint: string, writeMask = 0xf) =>
    device.createRenderPipeline({
      layout: "auto",
      vertex: { module, buffers: [coloredLayout] },
      fragment: { module, entryPoint, targets: [{ format: "rgba8unorm", writeMask }] },
      depthStencil: { format: "depth24plus-stencil8", depthWriteEnabled: false, depthCompare: "always", stencilFront: face, stencilBack: face },
    });
  const writeMask = make({ compare: "always", passOp: "replace" }, "fs", 0);
  const inside = make({ compare: "equal" }, "gradient");
  const outside = make({ compare: "not-equal" }, "fs");
  const diamond: number[] = [];
  for (const [x, y] of [
    [0, 0.8],
    [-0.8, 0],
    [0.8, 0],
    [0.8, 0],
    [-0.8, 0],
    [0, -0.8],
  ])
    diamond.push(x, y, 1, 1, 1, 1);
  const diamondBuffer = vertexBuffer(device, new Float32Array(diamond));
  const screen = vertexBuffer(device, quads([-1, -1, 1, 1, 0.25, 0.25, 0.25, 1]));
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginRenderPass({
    colorAttachments: [{ view: target.createView(), loadOp: "clear", storeOp: "store", clearValue: [1, 0, 0, 1] }],
    depthStencilAttachment: {
      view: stencil.createView(),
      depthLoadOp: "clear",
      depthStoreOp: "discard",
      depthClearValue: 1,
      stencilLoadOp: "clear",
      stencilStoreOp: "discard",
      stencilClearValue: 0,
    },
  });
  pass.setStencilReference(1);
  pass.setPipeline(writeMask);
  pass.setVertexBuffer(0, diamondBuffer);
  pass.draw(6);
  pass.setPipeline(inside);
  pass.setVertexBuffer(0, screen);
  pass.draw(6);
  pass.setPipeline(outside);
  pass.draw(6);
  pass.end();
  device.queue.submit([encoder.finish()]);
  const image = readImage(device, target);
  assert.deepEqual(pixel(image, 1, 1), [64, 64, 64, 255], "outside the mask");
  assert.deepEqual(pixel(image, 32, 32).slice(2), [204, 255], "inside the mask: the gradient");
  expectImage("stencil", image);
});

/** The indexed-indirect scene, drawn directly or through a render bundle. */
function indexedIndirectScene(device: Device, viaBundle: boolean) {
  const target = renderTarget(device, 64, 64);
  const module = device.createShaderModule({ code: coloredShader });
  const pipeline = device.createRenderPipeline({
    layout: "auto",
    vertex: { module, buffers: [coloredLayout] },
    fragment: { module, entryPoint: "fs", targets: [{ format: "rgba8unorm" }] },
  });
  // Four unused vertices first (baseVertex skips them), then a quad's corners.
  const v: number[] = [];
  for (let i = 0; i < 4; i++) v.push(0, 0, 1, 0, 0, 1);
  for (const [x, y, r, g] of [
    [-0.9, -0.5, 1, 0.5],
    [-0.1, -0.5, 1, 1],
    [-0.9, 0.5, 0, 0.5],
    [-0.1, 0.5, 0, 1],
  ])
    v.push(x, y, r, g, 0.5, 1);
  const vertices = vertexBuffer(device, new Float32Array(v));
  // Three unused indices first (firstIndex skips them).
  const indices = device.createBufferWithData(new Uint16Array([3, 3, 3, 0, 1, 2, 2, 1, 3, 0]), GPUBufferUsage.INDEX);
  // drawIndexedIndirect arguments: indexCount, instanceCount, firstIndex, baseVertex, firstInstance.
  const args = device.createBufferWithData(new Uint32Array([0, 6, 2, 3, 4, 0]), GPUBufferUsage.INDIRECT);
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginRenderPass({ colorAttachments: [{ view: target.createView(), loadOp: "clear", storeOp: "store", clearValue: [0, 0, 0, 1] }] });
  const record = (e: GPURenderPassEncoder | ReturnType<Device["createRenderBundleEncoder"]>) => {
    e.setPipeline(pipeline);
    e.setVertexBuffer(0, vertices);
    e.setIndexBuffer(indices, "uint16");
    e.drawIndexedIndirect(args, 4);
  };
  if (viaBundle) {
    const bundleEncoder = device.createRenderBundleEncoder({ colorFormats: ["rgba8unorm"], label: "scene" });
    record(bundleEncoder);
    pass.executeBundles([bundleEncoder.finish()]);
  } else {
    record(pass);
  }
  pass.end();
  device.queue.submit([encoder.finish()]);
  return readImage(device, target);
}

test("indexed-indirect draw: firstIndex, baseVertex and instanceCount come from the indirect buffer", () => {
  const device = testDevice();
  const image = indexedIndirectScene(device, false);
  assert.notDeepEqual(pixel(image, 10, 32), [0, 0, 0, 255], "first instance drawn");
  assert.notDeepEqual(pixel(image, 40, 32), [0, 0, 0, 255], "second instance drawn (shifted right)");
  assert.deepEqual(pixel(image, 32, 4), [0, 0, 0, 255], "nothing above the quads");
  expectImage("indexed-indirect", image);
});

test("a render bundle draws the same picture as the pass does", () => {
  const device = testDevice();
  expectImage("indexed-indirect", indexedIndirectScene(device, true));
});
