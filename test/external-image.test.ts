// queue.copyExternalImageToTexture from what Node.js has: ImageData-like objects and offscreen canvases.
import { test } from "node:test";
import assert from "node:assert/strict";
import { GPUTextureUsage, GPUValidationError, createCanvas } from "../src/index.ts";
import { testDevice, validationErrorOf } from "./helpers/gpu.ts";

// 2x2 pixels, RGBA8 non-premultiplied: red, green (half transparent) / blue, white.
const image = {
  width: 2,
  height: 2,
  colorSpace: "srgb",
  data: new Uint8ClampedArray([255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 255, 255, 255, 255, 255]),
} as ImageData;
const usage = GPUTextureUsage.COPY_DST | GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC;

function copyTo(format: GPUTextureFormat, options: { flipY?: boolean; premultipliedAlpha?: boolean; origin?: GPUOrigin2D; size?: number[] } = {}) {
  const device = testDevice();
  const texture = device.createTexture({ size: [2, 2], format, usage });
  device.queue.copyExternalImageToTexture(
    { source: image, flipY: options.flipY, origin: options.origin },
    { texture, premultipliedAlpha: options.premultipliedAlpha },
    options.size ?? [2, 2],
  );
  return device.queue.readTextureSync({ texture }, [2, 2]);
}

test("ImageData-like sources: rgba8unorm, bgra8unorm, flipY, premultiplied alpha, an origin", () => {
  assert.deepEqual([...new Uint8Array(copyTo("rgba8unorm"))], [...image.data]);
  assert.deepEqual([...new Uint8Array(copyTo("bgra8unorm")).subarray(0, 8)], [0, 0, 255, 255, 0, 255, 0, 128], "swizzled");
  assert.deepEqual([...new Uint8Array(copyTo("rgba8unorm", { flipY: true })).subarray(0, 4)], [0, 0, 255, 255], "the bottom row first");
  assert.deepEqual([...new Uint8Array(copyTo("rgba8unorm", { premultipliedAlpha: true })).subarray(4, 8)], [0, 128, 0, 128], "color times alpha");
  assert.deepEqual([...new Uint8Array(copyTo("rgba8unorm", { origin: [1, 1], size: [1, 1] })).subarray(0, 4)], [255, 255, 255, 255], "from the source origin");
});

test("float and packed destination formats", () => {
  assert.deepEqual(
    [...new Float32Array(copyTo("rgba32float")).subarray(4, 8)].map((v) => Math.round(v * 255)),
    [0, 255, 0, 128],
  );
  assert.deepEqual([...new Uint16Array(copyTo("rgba16float")).subarray(0, 4)], [0x3c00, 0, 0, 0x3c00], "1.0 and 0.0 as halves");
  assert.deepEqual([...new Float32Array(copyTo("r32float"))], [1, 0, 0, 1]);
  assert.equal(new Uint32Array(copyTo("rgb10a2unorm"))[3], 0xffffffff, "white");
});

test("an offscreen canvas as the source", () => {
  const device = testDevice();
  const canvas = createCanvas(2, 2);
  const context = canvas.getContext("webgpu");
  context.configure({ device, format: "rgba8unorm" });
  const encoder = device.createCommandEncoder();
  encoder
    .beginRenderPass({ colorAttachments: [{ view: context.getCurrentTexture().createView(), loadOp: "clear", storeOp: "store", clearValue: [0, 0, 1, 1] }] })
    .end();
  device.queue.submit([encoder.finish()]);
  context.present();
  const texture = device.createTexture({ size: [2, 2], format: "rgba8unorm", usage });
  device.queue.copyExternalImageToTexture({ source: canvas as unknown as OffscreenCanvas }, { texture }, [2, 2]);
  assert.deepEqual([...new Uint8Array(device.queue.readTextureSync({ texture }, [2, 2])).subarray(0, 4)], [0, 0, 255, 255]);
});

test("errors: outside the source is an OperationError, a bad destination a validation error, a bad source a TypeError", async () => {
  const device = testDevice();
  const texture = device.createTexture({ size: [2, 2], format: "rgba8unorm", usage });
  assert.throws(() => device.queue.copyExternalImageToTexture({ source: image, origin: [1, 0] }, { texture }, [2, 2]), { name: "OperationError" });
  assert.throws(() => device.queue.copyExternalImageToTexture({ source: {} as ImageData }, { texture }, [1, 1]), TypeError);
  const noRender = device.createTexture({ size: [2, 2], format: "rgba8unorm", usage: GPUTextureUsage.COPY_DST });
  assert.match(
    (await validationErrorOf(device, () => device.queue.copyExternalImageToTexture({ source: image }, { texture: noRender }, [2, 2])))?.message ?? "",
    /RENDER_ATTACHMENT/,
  );
  const uint = device.createTexture({ size: [2, 2], format: "rgba8uint", usage });
  assert.ok(
    (await validationErrorOf(device, () => device.queue.copyExternalImageToTexture({ source: image }, { texture: uint }, [2, 2]))) instanceof
      GPUValidationError,
  );
  assert.ok(
    (await validationErrorOf(device, () => device.queue.copyExternalImageToTexture({ source: image }, { texture }, [2, 2, 2]))) instanceof GPUValidationError,
  );
});
