// Reference images in a page, decoded by the browser itself.
import type { RgbaImage } from "wgpu-ts";

/** An image file as RGBA8 pixels, exactly as stored (no color conversion, no premultiplication). */
export async function loadImage(url: string): Promise<RgbaImage> {
  const blob = await (await fetch(url)).blob();
  const bitmap = await createImageBitmap(blob, { colorSpaceConversion: "none", premultiplyAlpha: "none" });
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext("2d", { colorSpace: "srgb" })!;
  context.drawImage(bitmap, 0, 0);
  const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
  return { width: bitmap.width, height: bitmap.height, data: new Uint8Array(data.buffer) };
}
