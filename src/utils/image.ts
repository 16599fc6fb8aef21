// RGBA8 images as PNG files (pngjs, node:fs), for the offscreen canvas (savePng) and for pixel
// tests (reference PNGs). The comparison is in image-compare.ts, which a browser can load too.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { createRequire } from "node:module";
import type { PNG as PNGClass } from "pngjs";
import { checkImage, type RgbaImage } from "./image-compare.ts";

export { compareImages, type ImageDiff, type RgbaImage } from "./image-compare.ts";

// pngjs takes ~20 ms to load: only code that makes or reads a PNG pays for it.
let loaded: typeof PNGClass | undefined;
const PNG = (): typeof PNGClass => (loaded ??= (createRequire(import.meta.url)("pngjs") as { PNG: typeof PNGClass }).PNG);

/** Encodes RGBA8 pixels as a PNG file's bytes. */
export function encodePng(image: RgbaImage): Uint8Array {
  checkImage("encodePng", image);
  const out = new (PNG())({ width: image.width, height: image.height, colorType: 6, inputColorType: 6, bitDepth: 8 });
  out.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return new Uint8Array(PNG().sync.write(out, { colorType: 6 }));
}

/** Decodes a PNG file's bytes (any color type and bit depth pngjs reads) to RGBA8 pixels. */
export function decodePng(bytes: Uint8Array): RgbaImage {
  const png = PNG().sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
}

/** Writes RGBA8 pixels to a PNG file, making its folder if needed. */
export function writePng(path: string, image: RgbaImage): void {
  const bytes = encodePng(image);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
}

/** Reads a PNG file as RGBA8 pixels. */
export function readPng(path: string): RgbaImage {
  return decodePng(readFileSync(path));
}
