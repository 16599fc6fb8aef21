// A canvas frame's texels as RGBA8 pixels: shared by the offscreen canvas and readCanvas (a page's canvas too).

/** A half float's value (IEEE 754 binary16). */
function half(h: number): number {
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  const v = e === 0 ? m * 2 ** -24 : e === 31 ? (m ? NaN : Infinity) : (1 + m / 1024) * 2 ** (e - 15);
  return h & 0x8000 ? -v : v;
}

/** Texels of a canvas format -> RGBA8 (bgra8unorm swizzled, rgba16float clamped to [0, 1]); alpha 255 when opaque. */
export function toRgba8(format: GPUTextureFormat, texels: ArrayBuffer, opaque: boolean): Uint8Array {
  let out: Uint8Array;
  if (format === "rgba16float") {
    const h = new Uint16Array(texels);
    out = new Uint8Array(h.length);
    for (let i = 0; i < h.length; i++) {
      const v = half(h[i]);
      out[i] = v > 0 ? Math.round(Math.min(1, v) * 255) : 0;
    }
  } else {
    out = new Uint8Array(texels.slice(0));
    if (format === "bgra8unorm") {
      for (let i = 0; i < out.length; i += 4) {
        const b = out[i];
        out[i] = out[i + 2];
        out[i + 2] = b;
      }
    }
  }
  if (opaque) for (let i = 3; i < out.length; i += 4) out[i] = 255;
  return out;
}
