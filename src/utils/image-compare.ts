// RGBA8 images in memory and a tolerant comparison with a diff image: what pixel tests need in
// Node.js and in a browser alike (no PNG, no file system here).

/** Tightly packed RGBA8 pixels, row by row from the top (as ImageData holds them). */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export function checkImage(ctx: string, image: RgbaImage): void {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0)
    throw new RangeError(`${ctx}: width and height must be non-negative integers (${width}x${height})`);
  if (!((data as unknown) instanceof Uint8Array) && !((data as unknown) instanceof Uint8ClampedArray))
    throw new TypeError(`${ctx}: data must be a Uint8Array of RGBA8 pixels`);
  if (data.byteLength !== width * height * 4)
    throw new RangeError(`${ctx}: data has ${data.byteLength} bytes, a ${width}x${height} RGBA8 image has ${width * height * 4}`);
}

export interface ImageDiff {
  /** Pixels where some channel differs by more than the tolerance. */
  mismatchedPixels: number;
  /** The largest difference of any channel, 0..255. */
  maxDelta: number;
  /** The actual image greyed out, with mismatched pixels in red: write it next to a failing test. */
  diff: RgbaImage;
}

/**
 * Compares two RGBA8 images channel by channel; `tolerance` is the largest per-channel
 * difference still counted as equal (software rasterizers differ in the last bits).
 */
export function compareImages(actual: RgbaImage, expected: RgbaImage, tolerance = 2): ImageDiff {
  checkImage("compareImages (actual)", actual);
  checkImage("compareImages (expected)", expected);
  if (actual.width !== expected.width || actual.height !== expected.height) {
    throw new RangeError(`compareImages: sizes differ (actual ${actual.width}x${actual.height}, expected ${expected.width}x${expected.height})`);
  }
  const a = actual.data;
  const e = expected.data;
  const out = new Uint8Array(a.length);
  let mismatchedPixels = 0;
  let maxDelta = 0;
  for (let i = 0; i < a.length; i += 4) {
    let d = 0;
    for (let c = 0; c < 4; c++) d = Math.max(d, Math.abs(a[i + c] - e[i + c]));
    maxDelta = Math.max(maxDelta, d);
    if (d > tolerance) {
      mismatchedPixels++;
      out.set([255, 0, 0, 255], i);
    } else {
      const grey = Math.round((a[i] + a[i + 1] + a[i + 2]) / 12) + 64;
      out.set([grey, grey, grey, 255], i);
    }
  }
  return { mismatchedPixels, maxDelta, diff: { width: actual.width, height: actual.height, data: out } };
}
