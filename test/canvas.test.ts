// The offscreen canvas and its GPUCanvasContext: configure, frames, present, readPixels, PNG.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GPUCanvasContext, GPUOffscreenCanvas, GPUTexture, GPUTextureUsage, createCanvas, readPng } from "../src/index.ts";
import { testDevice, validationErrorOf } from "./helpers/gpu.ts";

const { RENDER_ATTACHMENT, COPY_DST } = GPUTextureUsage;

/** RGBA8 pixels that differ per pixel, alpha varied too. */
function rgba(w: number, h: number): Uint8Array {
  const p = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) p.set([(i * 37) & 255, (i * 11) & 255, (i * 5 + 100) & 255, 128 + (i & 127)], i * 4);
  return p;
}

/** A float's nearest half (for values that halves hold exactly: n/255 rounds back). */
function toHalf(v: number): number {
  const f = new Float32Array([v]);
  const x = new Uint32Array(f.buffer)[0];
  const e = ((x >> 23) & 0xff) - 127 + 15;
  if (v === 0) return 0;
  if (e <= 0) return Math.round(v / 2 ** -24); // subnormal
  return (e << 10) | Math.round((x & 0x7fffff) / 2 ** 13);
}

test("getContext('webgpu') gives one GPUCanvasContext; other kinds give null", () => {
  const canvas = createCanvas(4, 3);
  assert.ok(canvas instanceof GPUOffscreenCanvas);
  const ctx = canvas.getContext("webgpu");
  assert.ok(ctx instanceof GPUCanvasContext);
  assert.equal(canvas.getContext("webgpu"), ctx);
  assert.equal(ctx.canvas, canvas);
  assert.equal(canvas.getContext("2d"), null);
  assert.deepEqual([new GPUOffscreenCanvas().width, new GPUOffscreenCanvas().height], [300, 150]);
  assert.throws(() => createCanvas(-1, 2), RangeError);
});

test("configure / getConfiguration / unconfigure; getCurrentTexture before configure is an InvalidStateError", () => {
  const device = testDevice();
  const ctx = createCanvas(8, 8).getContext("webgpu");
  assert.equal(ctx.getConfiguration(), null);
  assert.throws(
    () => ctx.getCurrentTexture(),
    (e: unknown) => e instanceof DOMException && e.name === "InvalidStateError",
  );
  ctx.configure({ device, format: "rgba8unorm" });
  const c = ctx.getConfiguration()!;
  assert.equal(c.device, device);
  assert.equal(c.format, "rgba8unorm");
  assert.equal(c.usage, RENDER_ATTACHMENT);
  assert.equal(c.alphaMode, "opaque");
  assert.equal(c.colorSpace, "srgb");
  assert.deepEqual(c.viewFormats, []);
  assert.deepEqual(c.toneMapping, { mode: "standard" });
  const t = ctx.getCurrentTexture();
  assert.ok(t instanceof GPUTexture);
  assert.deepEqual(t.size, [8, 8, 1]);
  assert.equal(ctx.getCurrentTexture(), t, "the same texture until present");
  ctx.unconfigure();
  assert.equal(ctx.getConfiguration(), null);
  assert.throws(() => ctx.getCurrentTexture(), DOMException);
  assert.throws(() => ctx.configure({ device, format: "r8unorm" }), TypeError);
  assert.throws(() => ctx.configure({ device, format: "rgba8unorm", alphaMode: "straight" as GPUCanvasAlphaMode }), TypeError);
  assert.throws(() => ctx.configure({ device: {} as GPUDevice, format: "rgba8unorm" }), TypeError);
});

test("a bad usage in configure is a validation error of the device", async () => {
  const device = testDevice();
  const ctx = createCanvas(4, 4).getContext("webgpu");
  const e = await validationErrorOf(device, () => ctx.configure({ device, format: "rgba8unorm", usage: RENDER_ATTACHMENT, viewFormats: ["r8unorm"] }));
  assert.ok(e, "incompatible viewFormats");
});

for (const format of ["rgba8unorm", "bgra8unorm", "rgba16float"] as const) {
  test(`present + readPixels + savePng: ${format} frames come back as RGBA8`, () => {
    const device = testDevice();
    const [w, h] = [5, 3];
    const canvas = createCanvas(w, h);
    const ctx = canvas.getContext("webgpu");
    ctx.configure({ device, format, usage: RENDER_ATTACHMENT | COPY_DST, alphaMode: "premultiplied" });
    assert.deepEqual(canvas.readPixels(), new Uint8Array(w * h * 4), "transparent black before the first frame");
    const want = rgba(w, h);
    let texels: ArrayBufferView;
    if (format === "rgba16float") texels = new Uint16Array(Array.from(want, (v) => toHalf(v / 255)));
    else if (format === "bgra8unorm") texels = Uint8Array.from(want, (_, i) => want[i - (i % 4) + [2, 1, 0, 3][i % 4]]);
    else texels = want;
    const t = ctx.getCurrentTexture();
    device.queue.writeTexture({ texture: t }, texels, { bytesPerRow: w * (format === "rgba16float" ? 8 : 4) }, [w, h]);
    ctx.present();
    assert.deepEqual(canvas.readPixels(), want);
    assert.notEqual(ctx.getCurrentTexture(), t, "a new texture after present");
    ctx.present(); // nothing drawn into the new texture... it is presented as it is (zeroes)
    assert.deepEqual(canvas.readPixels(), new Uint8Array(w * h * 4));
    ctx.present(); // no current texture: the frame stays
    const dir = mkdtempSync(join(tmpdir(), "wgpu-ts-canvas-"));
    const tex2 = ctx.getCurrentTexture();
    device.queue.writeTexture({ texture: tex2 }, texels, { bytesPerRow: w * (format === "rgba16float" ? 8 : 4) }, [w, h]);
    ctx.present();
    canvas.savePng(join(dir, "frame.png"));
    const png = readPng(join(dir, "frame.png"));
    assert.deepEqual([png.width, png.height], [w, h]);
    assert.deepEqual(png.data, want);
  });
}

test("opaque alpha mode reads back alpha 255; resizing clears and makes the next texture the new size", () => {
  const device = testDevice();
  const canvas = createCanvas(2, 2);
  const ctx = canvas.getContext("webgpu");
  ctx.configure({ device, format: "rgba8unorm", usage: RENDER_ATTACHMENT | COPY_DST });
  device.queue.writeTexture({ texture: ctx.getCurrentTexture() }, new Uint8Array(16).fill(7), { bytesPerRow: 8 }, [2, 2]);
  ctx.present();
  assert.deepEqual(Array.from(canvas.readPixels().subarray(0, 4)), [7, 7, 7, 255]);
  canvas.width = 6;
  assert.deepEqual(canvas.readPixels(), new Uint8Array(6 * 2 * 4));
  assert.deepEqual(ctx.getCurrentTexture().size, [6, 2, 1]);
  canvas.height = 5;
  assert.deepEqual(ctx.getCurrentTexture().size, [6, 5, 1]);
  assert.equal(canvas.getImage().data.byteLength, 6 * 5 * 4);
  assert.equal(canvas.toPng()[1], 0x50); // "P" of the PNG signature
});

test("a render pass clears the canvas texture; the bgra8unorm frame reads back as RGBA", () => {
  const device = testDevice();
  const canvas = createCanvas(3, 2);
  const ctx = canvas.getContext("webgpu");
  ctx.configure({ device, format: "bgra8unorm" });
  const enc = device.createCommandEncoder();
  const pass = enc.beginRenderPass({
    colorAttachments: [{ view: ctx.getCurrentTexture().createView(), loadOp: "clear", storeOp: "store", clearValue: { r: 1, g: 0.5, b: 0, a: 1 } }],
  });
  pass.end();
  device.queue.submit([enc.finish()]);
  ctx.present();
  const px = canvas.readPixels();
  for (let i = 0; i < px.length; i += 4) assert.deepEqual(Array.from(px.subarray(i, i + 4)), [255, 128, 0, 255]);
});

test("commands recorded on a frame's texture and submitted after present are a validation error, not an abort", async () => {
  const device = testDevice();
  const ctx = createCanvas(2, 2).getContext("webgpu");
  ctx.configure({ device, format: "rgba8unorm" });
  const enc = device.createCommandEncoder();
  enc.beginRenderPass({ colorAttachments: [{ view: ctx.getCurrentTexture().createView(), loadOp: "clear", storeOp: "store" }] }).end();
  const cb = enc.finish();
  ctx.present(); // destroys the frame's texture
  const e = await validationErrorOf(device, () => device.queue.submit([cb]));
  assert.match(String(e?.message), /destroyed/);
});
