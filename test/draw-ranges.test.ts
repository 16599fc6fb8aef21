// The spec's vertex and index range checks at draw time (https://www.w3.org/TR/webgpu/#dom-gpurendercommandsmixin-draw):
// direct draws are validated against the bound buffers' sizes; indirect draws are not (their
// counts live on the GPU, and robust buffer access covers them), in a pass and in a bundle alike,
// for a buffer too small and for one bound to no data (size 0, which wgpu-ts keeps in JS).
import { test } from "node:test";
import assert from "node:assert/strict";
import { GPUBufferUsage as BU, GPUTextureUsage as TU, type GPUDevice } from "../src/index.ts";
import { testDevice, validationErrorOf } from "./helpers/gpu.ts";

type Commands = GPURenderPassEncoder | GPURenderBundleEncoder;

function setup(device: GPUDevice) {
  const module = device.createShaderModule({
    code: `@vertex fn vs(@location(0) p: vec2f) -> @builtin(position) vec4f { return vec4f(p, 0, 1); }
      @fragment fn fs() -> @location(0) vec4f { return vec4f(1); }`,
  });
  const pipeline = device.createRenderPipeline({
    layout: "auto",
    vertex: { module, buffers: [{ arrayStride: 8, attributes: [{ format: "float32x2", offset: 0, shaderLocation: 0 }] }] },
    fragment: { module, targets: [{ format: "rgba8unorm" }] },
  });
  // 16 bytes of vertices: two of them at stride 8, not the three the draws below ask for.
  const vertices = device.createBuffer({ size: 16, usage: BU.VERTEX });
  const indices = device.createBuffer({ size: 16, usage: BU.INDEX });
  const indirect = device.createBufferWithData(new Uint32Array([3, 1, 0, 0, 0]), BU.INDIRECT);
  return { pipeline, vertices, indices, indirect };
}

/** Records `fn` in a render pass, or in a bundle that a pass executes, and submits it; the validation error it raised, if any. */
async function errorOf(device: GPUDevice, inBundle: boolean, fn: (c: Commands) => void): Promise<string | null> {
  const color = device.createTexture({ size: [4, 4], format: "rgba8unorm", usage: TU.RENDER_ATTACHMENT });
  const e = await validationErrorOf(device, () => {
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginRenderPass({ colorAttachments: [{ view: color.createView(), loadOp: "clear", storeOp: "store" }] });
    if (inBundle) {
      const b = device.createRenderBundleEncoder({ colorFormats: ["rgba8unorm"] });
      fn(b);
      pass.executeBundles([b.finish()]);
    } else fn(pass);
    pass.end();
    device.queue.submit([encoder.finish()]);
  });
  return e?.message ?? null;
}

for (const inBundle of [false, true]) {
  const where = inBundle ? "a render bundle" : "a render pass";

  test(`${where}: a direct draw past the end of its vertex buffer is a validation error, an indirect one is not`, async () => {
    const device = testDevice();
    const { pipeline, vertices, indices, indirect } = setup(device);
    const bind = (c: Commands, size?: number) => (c.setPipeline(pipeline), c.setVertexBuffer(0, vertices, 0, size), c.setIndexBuffer(indices, "uint16"));
    assert.notEqual(await errorOf(device, inBundle, (c) => (bind(c), c.draw(3))), null, "draw(3) over 2 vertices");
    assert.equal(await errorOf(device, inBundle, (c) => (bind(c), c.draw(2))), null, "draw(2) over 2 vertices");
    assert.equal(await errorOf(device, inBundle, (c) => (bind(c), c.drawIndirect(indirect, 0))), null, "drawIndirect");
    assert.equal(await errorOf(device, inBundle, (c) => (bind(c), c.drawIndexedIndirect(indirect, 0))), null, "drawIndexedIndirect");
    // Bound to no data (size 0): the same, the checks made in wgpu-ts rather than in the engine.
    assert.match((await errorOf(device, inBundle, (c) => (bind(c, 0), c.draw(3)))) ?? "", /vertex buffer bound to no data/);
    assert.equal(await errorOf(device, inBundle, (c) => (bind(c, 0), c.drawIndirect(indirect, 0))), null, "drawIndirect, empty vertex buffer");
    assert.equal(await errorOf(device, inBundle, (c) => (bind(c, 0), c.drawIndexedIndirect(indirect, 0))), null, "drawIndexedIndirect, empty vertex buffer");
  });

  test(`${where}: drawIndexed past the end of its index buffer is a validation error, drawIndexedIndirect is not`, async () => {
    const device = testDevice();
    const { pipeline, vertices, indices, indirect } = setup(device);
    const bind = (c: Commands, size?: number) => (c.setPipeline(pipeline), c.setVertexBuffer(0, vertices), c.setIndexBuffer(indices, "uint16", 0, size));
    assert.notEqual(await errorOf(device, inBundle, (c) => (bind(c), c.drawIndexed(9))), null, "drawIndexed(9) over 8 indices");
    assert.equal(await errorOf(device, inBundle, (c) => (bind(c), c.drawIndexed(8))), null, "drawIndexed(8) over 8 indices");
    assert.match((await errorOf(device, inBundle, (c) => (bind(c, 0), c.drawIndexed(3)))) ?? "", /index buffer bound to no data/);
    assert.equal(await errorOf(device, inBundle, (c) => (bind(c, 0), c.drawIndexedIndirect(indirect, 0))), null, "drawIndexedIndirect, empty index buffer");
  });
}
