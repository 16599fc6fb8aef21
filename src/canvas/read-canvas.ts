// readCanvas: a canvas's current frame as RGBA8 pixels, the same call in Node.js and in a page.
// It copies the context's current texture to a buffer (queue.readTexture), which works on the
// offscreen and window canvases and on a page's <canvas>, whose texture has COPY_SRC for it.
import type { RgbaImage } from "../utils/image-compare.ts";
import { toRgba8 } from "./pixels.ts";

type Readable = GPUQueue & { readTexture(source: GPUTexelCopyTextureInfo, size: GPUExtent3DStrict): Promise<ArrayBuffer> };

/**
 * Extra: what was drawn into the canvas's current texture, as RGBA8 pixels (bgra8unorm swizzled,
 * rgba16float clamped; alpha 255 unless premultiplied). Call it in the task that drew, before the
 * frame is presented (a browser presents when the task ends; in Node.js, before context.present()).
 * `canvas`: a page's HTMLCanvasElement or OffscreenCanvas, or wgpu-ts's offscreen or window canvas.
 */
export function readCanvas(canvas: { getContext(contextId: "webgpu"): unknown }): Promise<RgbaImage> {
  const context = canvas?.getContext?.("webgpu") as GPUCanvasContext | null;
  if (!context) return Promise.reject(new TypeError("readCanvas: canvas must be a canvas with a WebGPU context"));
  const configuration = context.getConfiguration();
  if (!configuration) return Promise.reject(new DOMException("readCanvas: the canvas's context is not configured", "InvalidStateError"));
  const texture = context.getCurrentTexture();
  const { width, height, format } = texture;
  // The copy is encoded now, in this task, while the texture is the canvas's current one.
  const texels = (configuration.device.queue as Readable).readTexture({ texture }, [width, height, 1]);
  return texels.then((t) => ({ width, height, data: toRgba8(format, t, configuration.alphaMode !== "premultiplied") }));
}
