// Pixel tests: render into a texture, read it back as RGBA8, compare with a reference PNG in
// test/reference/. On a mismatch the actual image and the diff go to test/output/ (gitignored).
// UPDATE_REFERENCES=1 writes the references instead (look at them before committing them).
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { GPUTextureUsage, type GPUDevice, type GPUTexture } from "../../src/index.ts";
import { compareImages, readPng, writePng, type RgbaImage } from "../../src/utils/image.ts";

const referenceDir = fileURLToPath(new URL("../reference/", import.meta.url));
const outputDir = fileURLToPath(new URL("../output/", import.meta.url));

/** An rgba8unorm texture to render into and read back. */
export function renderTarget(device: GPUDevice, width: number, height: number, sampleCount = 1): GPUTexture {
  const usage = GPUTextureUsage.RENDER_ATTACHMENT | (sampleCount === 1 ? GPUTextureUsage.COPY_SRC : 0);
  return device.createTexture({ size: [width, height], format: "rgba8unorm", usage, sampleCount, label: "render target" });
}

/** The texture's pixels as an RGBA8 image (rgba8unorm textures only). */
export function readImage(device: GPUDevice, texture: GPUTexture): RgbaImage {
  const data = new Uint8Array(device.queue.readTextureSync({ texture }, [texture.width, texture.height]));
  return { width: texture.width, height: texture.height, data };
}

/** Compares with test/reference/<name>.png (tolerance per channel, and a few pixels of edge noise allowed). */
export function expectImage(name: string, actual: RgbaImage, { tolerance = 3, maxMismatched = 0 } = {}): void {
  const ref = `${referenceDir}${name}.png`;
  if (process.env.UPDATE_REFERENCES === "1" || !existsSync(ref)) {
    if (process.env.UPDATE_REFERENCES !== "1") assert.fail(`no reference image ${ref}: run with UPDATE_REFERENCES=1, look at it, commit it`);
    writePng(ref, actual);
    return;
  }
  const { mismatchedPixels, maxDelta, diff } = compareImages(actual, readPng(ref), tolerance);
  if (mismatchedPixels > maxMismatched) {
    writePng(`${outputDir}${name}.actual.png`, actual);
    writePng(`${outputDir}${name}.diff.png`, diff);
    assert.fail(`${name}: ${mismatchedPixels} pixels differ from the reference (largest channel difference ${maxDelta}); see test/output/${name}.diff.png`);
  }
}

/** The RGBA8 value of one pixel. */
export function pixel(image: RgbaImage, x: number, y: number): number[] {
  const i = (y * image.width + x) * 4;
  return [...image.data.subarray(i, i + 4)];
}
