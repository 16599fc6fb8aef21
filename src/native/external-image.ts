// GPUQueue.copyExternalImageToTexture (https://www.w3.org/TR/webgpu/#dom-gpuqueue-copyexternalimagetotexture)
// for what Node.js has instead of DOM images: ImageData-like objects ({ width, height, data } with
// RGBA8 pixels, non-premultiplied sRGB, as ImageData holds them) and offscreen canvases (anything
// with getImage(), such as ours). The pixels are converted to the texture's format on the CPU and
// written with writeTexture.
import { bool, describe, dict, enumValue, typeError } from "../api/check.ts";
import { GPUValidationError } from "../api/errors.ts";
import { GPUTextureUsage } from "../api/constants.ts";
import { extent3D, origin3D } from "./convert/texture.ts";
import { ROUTE_ERROR } from "./object.ts";
import { GPUTexture } from "./texture.ts";
import { writeTexture } from "./texture-transfer.ts";
import type { GPUDevice } from "./device.ts";

interface Rgba8 {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

/** How one texel of each destination format the spec allows is written from RGBA in 0..1. */
const encoders: Record<string, { bytes: number; write(dv: DataView, at: number, c: number[]): void }> = {
  r8unorm: { bytes: 1, write: (dv, at, c) => dv.setUint8(at, unorm(c[0], 255)) },
  rg8unorm: { bytes: 2, write: (dv, at, c) => [0, 1].forEach((i) => dv.setUint8(at + i, unorm(c[i], 255))) },
  rgba8unorm: { bytes: 4, write: (dv, at, c) => [0, 1, 2, 3].forEach((i) => dv.setUint8(at + i, unorm(c[i], 255))) },
  // The source is sRGB-encoded already: an -srgb texture stores those bytes as they are.
  "rgba8unorm-srgb": { bytes: 4, write: (dv, at, c) => [0, 1, 2, 3].forEach((i) => dv.setUint8(at + i, unorm(c[i], 255))) },
  bgra8unorm: { bytes: 4, write: (dv, at, c) => [2, 1, 0, 3].forEach((s, i) => dv.setUint8(at + i, unorm(c[s], 255))) },
  "bgra8unorm-srgb": { bytes: 4, write: (dv, at, c) => [2, 1, 0, 3].forEach((s, i) => dv.setUint8(at + i, unorm(c[s], 255))) },
  rgb10a2unorm: {
    bytes: 4,
    write: (dv, at, c) => dv.setUint32(at, (unorm(c[0], 1023) | (unorm(c[1], 1023) << 10) | (unorm(c[2], 1023) << 20) | (unorm(c[3], 3) << 30)) >>> 0, true),
  },
  r16float: { bytes: 2, write: (dv, at, c) => dv.setUint16(at, half(c[0]), true) },
  rg16float: { bytes: 4, write: (dv, at, c) => [0, 1].forEach((i) => dv.setUint16(at + 2 * i, half(c[i]), true)) },
  rgba16float: { bytes: 8, write: (dv, at, c) => [0, 1, 2, 3].forEach((i) => dv.setUint16(at + 2 * i, half(c[i]), true)) },
  r32float: { bytes: 4, write: (dv, at, c) => dv.setFloat32(at, c[0], true) },
  rg32float: { bytes: 8, write: (dv, at, c) => [0, 1].forEach((i) => dv.setFloat32(at + 4 * i, c[i], true)) },
  rgba32float: { bytes: 16, write: (dv, at, c) => [0, 1, 2, 3].forEach((i) => dv.setFloat32(at + 4 * i, c[i], true)) },
};

const unorm = (v: number, max: number) => Math.round(Math.min(1, Math.max(0, v)) * max);

/** IEEE half of a value in [0, 1] (normal or subnormal, rounded to nearest). */
function half(v: number): number {
  if (v <= 0) return 0;
  const e = Math.floor(Math.log2(v));
  if (e < -14) return Math.round(v / 2 ** -24); // subnormal
  const m = Math.round((v / 2 ** e - 1) * 1024);
  return m === 1024 ? (e + 16) << 10 : ((e + 15) << 10) | m;
}

/** The source's pixels: an ImageData-like object, or a canvas with getImage(). */
function sourcePixels(ctx: string, source: unknown): Rgba8 {
  const s = source as { getImage?: () => Rgba8 } & Partial<Rgba8>;
  const image = s !== null && typeof s === "object" && typeof s.getImage === "function" ? s.getImage() : s;
  if (
    image === null ||
    typeof image !== "object" ||
    !(image.data instanceof Uint8Array || image.data instanceof Uint8ClampedArray) ||
    image.data.length !== (image.width ?? 0) * (image.height ?? 0) * 4
  ) {
    typeError(
      ctx,
      "source.source",
      `must be an ImageData-like { width, height, data } of RGBA8 pixels or an offscreen canvas (Node.js has no DOM images), got ${describe(source)}`,
    );
  }
  return image as Rgba8;
}

export function copyExternalImageToTexture(
  device: GPUDevice,
  queue: bigint,
  source: GPUCopyExternalImageSourceInfo,
  destination: GPUCopyExternalImageDestInfo,
  copySize: GPUExtent3DStrict,
): void {
  const ctx = "GPUQueue.copyExternalImageToTexture";
  const src = dict(ctx, "source", source, true);
  const dst = dict(ctx, "destination", destination, true);
  const image = sourcePixels(ctx, src.source);
  const [ox, oy] = origin3D(ctx, "source.origin", src.origin as GPUOrigin3D | undefined);
  const [w, h, depth] = extent3D(ctx, "copySize", copySize);
  const flipY = bool(src.flipY);
  const premultiply = bool(dst.premultipliedAlpha);
  enumValue(ctx, "destination.colorSpace", dst.colorSpace, { srgb: 0 }, "srgb");
  if (!(dst.texture instanceof GPUTexture)) typeError(ctx, "destination.texture", `must be a GPUTexture, got ${describe(dst.texture)}`);
  if (ox + w > image.width || oy + h > image.height) {
    throw new DOMException(`${ctx}: source.origin + copySize (${ox + w}x${oy + h}) is outside the source (${image.width}x${image.height})`, "OperationError");
  }
  const texture = dst.texture;
  const encoder = encoders[texture.format];
  const problem =
    depth !== 1
      ? `copySize.depthOrArrayLayers (${depth}) must be 1`
      : !encoder
        ? `the destination format "${texture.format}" cannot be a copyExternalImageToTexture destination`
        : (texture.usage & (GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_DST)) !== (GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_DST)
          ? "the destination texture needs RENDER_ATTACHMENT and COPY_DST usage"
          : texture.sampleCount !== 1
            ? "the destination texture must have one sample"
            : null;
  if (problem) return void device[ROUTE_ERROR](new GPUValidationError(`${ctx}: ${problem}`));
  if (w === 0 || h === 0) return;
  const out = new Uint8Array(w * h * encoder.bytes);
  const dv = new DataView(out.buffer);
  const c = [0, 0, 0, 0];
  for (let y = 0; y < h; y++) {
    const row = oy + (flipY ? h - 1 - y : y);
    for (let x = 0; x < w; x++) {
      const at = (row * image.width + ox + x) * 4;
      const a = image.data[at + 3] / 255;
      for (let i = 0; i < 3; i++) c[i] = (image.data[at + i] / 255) * (premultiply ? a : 1);
      c[3] = a;
      encoder.write(dv, (y * w + x) * encoder.bytes, c);
    }
  }
  writeTexture(device, queue, { texture, mipLevel: dst.mipLevel, origin: dst.origin, aspect: dst.aspect }, out, { bytesPerRow: w * encoder.bytes }, [w, h, 1]);
}
