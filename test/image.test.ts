// PNG helpers: encode/decode round trip and the tolerant comparison used by pixel tests.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compareImages, decodePng, encodePng, readPng, writePng, type RgbaImage } from "../src/index.ts";

function gradient(width: number, height: number): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([i % 256, (i * 7) % 256, (i * 13) % 256, 255 - (i % 256)], i * 4);
  return { width, height, data };
}

test("encodePng/decodePng and writePng/readPng give back the same RGBA pixels", () => {
  const img = gradient(7, 5);
  const back = decodePng(encodePng(img));
  assert.equal(back.width, 7);
  assert.equal(back.height, 5);
  assert.deepEqual(Array.from(back.data), Array.from(img.data));
  const path = join(mkdtempSync(join(tmpdir(), "wgpu-ts-img-")), "sub", "a.png");
  writePng(path, img);
  assert.deepEqual(Array.from(readPng(path).data), Array.from(img.data));
});

test("compareImages counts pixels past the tolerance and marks them in the diff image", () => {
  const a = gradient(4, 4);
  const b = { ...a, data: a.data.slice() };
  b.data[0] += 2; // within tolerance 2
  b.data[4 * 5 + 1] = (b.data[4 * 5 + 1] + 50) % 256;
  const r = compareImages(b, a, 2);
  assert.equal(r.mismatchedPixels, 1);
  assert.equal(r.maxDelta, 50);
  assert.deepEqual(Array.from(r.diff.data.subarray(20, 24)), [255, 0, 0, 255]);
  assert.equal(compareImages(a, a, 0).mismatchedPixels, 0);
  assert.throws(() => compareImages(a, gradient(3, 4)), RangeError);
  assert.throws(() => encodePng({ width: 2, height: 2, data: new Uint8Array(3) }), RangeError);
});
