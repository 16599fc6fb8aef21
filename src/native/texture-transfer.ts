// Texel copies (https://www.w3.org/TR/webgpu/#image-copies): queue.writeTexture, the encoder's
// buffer<->texture and texture->texture copies, and the readTexture extra's staging and unpacking.
import { dict } from "../api/check.ts";
import { GPUBufferUsage } from "../api/constants.ts";
import { copyBlock, textureFormatInfo, type CopyBlock } from "../api/texture-formats.ts";
import { GPUValidationError } from "../api/errors.ts";
import { layout } from "./ffi/generated/webgpu.ts";
import { bufferSourceBytes } from "./convert/buffer-source.ts";
import { withScratch, type Scratch } from "./convert/scratch.ts";
import {
  bufferLayout,
  extent3D,
  textureCopy,
  writeBufferLayout,
  writeExtent,
  writeTextureCopy,
  type BufferLayout,
  type Extent,
  type TextureCopy,
} from "./convert/texture.ts";
import { HANDLE, ROUTE_ERROR, TRACK_USE, handleOf } from "./object.ts";
import { INVALIDATE } from "./pass-encoder.ts";
import { rt } from "./runtime.ts";
import { GPUBuffer } from "./buffer.ts";
import { GPUTexture } from "./texture.ts";
import type { SubmitChecked } from "./binding.ts";
import type { GPUDevice } from "./device.ts";

/** The encoder as the copies see it: its handle, its submit tracking, its JS-found errors. */
interface Encoder {
  readonly [HANDLE]: bigint;
  [TRACK_USE](resource: SubmitChecked): void;
  [INVALIDATE](message: string): void;
}

/**
 * wgpu-native aborts on a bytesPerRow or rowsPerImage of 0 ("invalid bytesPerRow"), so it gets the
 * spec's checks of a 0 here (Dawn makes them itself): a 0 below a row's bytes or the copy's rows is
 * a validation error, returned as its message; a 0 the copy does not use is the same as none. (An
 * empty copy with a 0 stride over several rows or images is valid in the spec, an error here.)
 */
function zeroStrides(ctx: string, member: string, l: BufferLayout, [width, height, depth]: Extent, format: string): string | null {
  if (!rt().behaviour.zeroStrideAborts) return null;
  const rows = Math.ceil(height / (textureFormatInfo(format)?.blockHeight ?? 1));
  if (l.bytesPerRow === 0) {
    if (width > 0) return `${ctx}: ${member}.bytesPerRow (0) is less than a row of the copy`;
    if (rows > 1 || depth > 1) return `${ctx}: ${member}.bytesPerRow (0) over several rows of an empty copy (wgpu-native aborts on it)`;
    l.bytesPerRow = undefined;
  }
  if (l.rowsPerImage === 0) {
    if (rows > 0) return `${ctx}: ${member}.rowsPerImage (0) is less than the rows of the copy (${rows})`;
    if (depth > 1) return `${ctx}: ${member}.rowsPerImage (0) over several images of an empty copy (wgpu-native aborts on it)`;
    l.rowsPerImage = undefined;
  }
  return null;
}

function textureOf(ctx: string, member: string, info: GPUTexelCopyTextureInfo): { texture: GPUTexture; handle: bigint; copy: TextureCopy } {
  const d = dict(ctx, member, info, true);
  const handle = handleOf(ctx, `${member}.texture`, d.texture, GPUTexture);
  return { texture: d.texture as GPUTexture, handle, copy: textureCopy(ctx, member, d) };
}

function bufferInfo(ctx: string, member: string, info: GPUTexelCopyBufferInfo): { buffer: GPUBuffer; handle: bigint; layout: BufferLayout } {
  const d = dict(ctx, member, info, true);
  const handle = handleOf(ctx, `${member}.buffer`, d.buffer, GPUBuffer);
  return { buffer: d.buffer as GPUBuffer, handle, layout: bufferLayout(ctx, member, d) };
}

function writeBufferInfo(s: Scratch, handle: bigint, l: BufferLayout): bigint {
  const L = layout.WGPUTexelCopyBufferInfo;
  const off = s.alloc(L.$size);
  writeBufferLayout(s, off + L.layout, l);
  s.ptr(off + L.buffer, handle);
  return s.addr(off);
}

/** https://www.w3.org/TR/webgpu/#dom-gpuqueue-writetexture */
export function writeTexture(
  device: GPUDevice,
  queue: bigint,
  destination: GPUTexelCopyTextureInfo,
  data: AllowSharedBufferSource,
  dataLayout: GPUTexelCopyBufferLayout,
  size: GPUExtent3DStrict,
): void {
  const ctx = "GPUQueue.writeTexture";
  const dst = textureOf(ctx, "destination", destination);
  const bytes = bufferSourceBytes(ctx, "data", data);
  const l = bufferLayout(ctx, "dataLayout", dict(ctx, "dataLayout", dataLayout, true));
  const extent = extent3D(ctx, "size", size);
  const problem = zeroStrides(ctx, "dataLayout", l, extent, dst.texture.format);
  if (problem) return device[ROUTE_ERROR](new GPUValidationError(problem));
  withScratch((s) => {
    const lay = s.alloc(layout.WGPUTexelCopyBufferLayout.$size);
    writeBufferLayout(s, lay, l);
    rt().fns.wgpuQueueWriteTexture(queue, writeTextureCopy(s, dst.handle, dst.copy), bytes, bytes.byteLength, s.addr(lay), writeExtent(s, extent));
  });
}

/** One side of an encoder copy: what the submit checks, and how it is written as a C struct. */
interface CopySide {
  resource: SubmitChecked;
  /** A validation error found in JS (the engine would abort), or null. */
  problem?: string | null;
  write(s: Scratch): bigint;
}

function textureSide(ctx: string, member: string, info: GPUTexelCopyTextureInfo): CopySide & { resource: GPUTexture } {
  const t = textureOf(ctx, member, info);
  return { resource: t.texture, write: (s) => writeTextureCopy(s, t.handle, t.copy) };
}

/** The buffer side of a copy with the texture `other`, whose format sets the rows. */
function bufferSide(ctx: string, member: string, info: GPUTexelCopyBufferInfo, copySize: GPUExtent3DStrict, other: GPUTexture): CopySide {
  const b = bufferInfo(ctx, member, info);
  return {
    resource: b.buffer,
    problem: zeroStrides(ctx, member, b.layout, extent3D(ctx, "copySize", copySize), other.format),
    write: (s) => writeBufferInfo(s, b.handle, b.layout),
  };
}

type CopyFunction = (encoder: bigint, source: bigint, destination: bigint, copySize: bigint) => void;

function encodeCopy(encoder: Encoder, ctx: string, src: CopySide, dst: CopySide, copySize: GPUExtent3DStrict, fn: CopyFunction): void {
  const extent = extent3D(ctx, "copySize", copySize);
  encoder[TRACK_USE](src.resource);
  encoder[TRACK_USE](dst.resource);
  const problem = src.problem ?? dst.problem;
  if (problem) return encoder[INVALIDATE](problem);
  withScratch((s) => fn(encoder[HANDLE], src.write(s), dst.write(s), writeExtent(s, extent)));
}

/** https://www.w3.org/TR/webgpu/#dom-gpucommandencoder-copybuffertotexture */
export function copyBufferToTexture(encoder: Encoder, source: GPUTexelCopyBufferInfo, destination: GPUTexelCopyTextureInfo, copySize: GPUExtent3DStrict): void {
  const ctx = "GPUCommandEncoder.copyBufferToTexture";
  const dst = textureSide(ctx, "destination", destination);
  encodeCopy(encoder, ctx, bufferSide(ctx, "source", source, copySize, dst.resource), dst, copySize, rt().fns.wgpuCommandEncoderCopyBufferToTexture);
}

/** https://www.w3.org/TR/webgpu/#dom-gpucommandencoder-copytexturetobuffer */
export function copyTextureToBuffer(encoder: Encoder, source: GPUTexelCopyTextureInfo, destination: GPUTexelCopyBufferInfo, copySize: GPUExtent3DStrict): void {
  const ctx = "GPUCommandEncoder.copyTextureToBuffer";
  const src = textureSide(ctx, "source", source);
  encodeCopy(encoder, ctx, src, bufferSide(ctx, "destination", destination, copySize, src.resource), copySize, rt().fns.wgpuCommandEncoderCopyTextureToBuffer);
}

/** https://www.w3.org/TR/webgpu/#dom-gpucommandencoder-copytexturetotexture */
export function copyTextureToTexture(
  encoder: Encoder,
  source: GPUTexelCopyTextureInfo,
  destination: GPUTexelCopyTextureInfo,
  copySize: GPUExtent3DStrict,
): void {
  const ctx = "GPUCommandEncoder.copyTextureToTexture";
  encodeCopy(
    encoder,
    ctx,
    textureSide(ctx, "source", source),
    textureSide(ctx, "destination", destination),
    copySize,
    rt().fns.wgpuCommandEncoderCopyTextureToTexture,
  );
}

/** The physical size of a mip level (whole texel blocks), as copies of a whole level need it. */
export function mipLevelSize(texture: GPUTexture, mipLevel: number, block: CopyBlock): Extent {
  const at = (n: number) => Math.max(1, n >> mipLevel);
  const w = at(texture.width);
  const h = texture.dimension === "1d" ? 1 : at(texture.height);
  const d = texture.dimension === "3d" ? at(texture.depthOrArrayLayers) : texture.depthOrArrayLayers;
  return [Math.ceil(w / block.blockWidth) * block.blockWidth, Math.ceil(h / block.blockHeight) * block.blockHeight, d];
}

export interface TextureRead {
  staging: GPUBuffer;
  /** Copies the mapped staging bytes into the layout the caller asked for. */
  unpack(mapped: ArrayBuffer): ArrayBuffer;
}

function isExtent(v: unknown): v is GPUExtent3DStrict {
  return v !== null && typeof v === "object" && (Symbol.iterator in v || "width" in v);
}

/**
 * readTexture's first half: copies the texels into a staging buffer with rows padded to 256
 * bytes, and says how to unpack them into `dataLayout` (default: tightly packed).
 * Also takes (source, size): the layout is optional, the size defaults to the rest of the mip level.
 */
export function stageTextureRead(
  device: GPUDevice,
  source: GPUTexelCopyTextureInfo,
  layoutArg?: GPUTexelCopyBufferLayout | GPUExtent3DStrict | null,
  sizeArg?: GPUExtent3DStrict,
): TextureRead {
  const ctx = "GPUQueue.readTexture";
  if (sizeArg === undefined && isExtent(layoutArg)) [layoutArg, sizeArg] = [undefined, layoutArg];
  const src = textureOf(ctx, "source", source);
  const { texture, copy } = src;
  const l = bufferLayout(ctx, "dataLayout", (layoutArg ?? undefined) as GPUTexelCopyBufferLayout | undefined);
  const block = copyBlock(texture.format, copy.aspect, "src");
  if (typeof block === "string") throw new TypeError(`${ctx}: ${block}`);
  if (copy.mipLevel >= texture.mipLevelCount)
    throw new RangeError(`${ctx}: source.mipLevel (${copy.mipLevel}) is past the texture's last (${texture.mipLevelCount - 1})`);
  const full = mipLevelSize(texture, copy.mipLevel, block);
  const [w, h, d] = sizeArg === undefined ? (full.map((n, i) => Math.max(0, n - copy.origin[i])) as Extent) : extent3D(ctx, "size", sizeArg);
  const { blockWidth, blockHeight, bytesPerBlock } = block;
  if (w % blockWidth || h % blockHeight)
    throw new RangeError(`${ctx}: size (${w}x${h}) must be a multiple of the ${blockWidth}x${blockHeight} texel block of "${texture.format}"`);
  const rowBytes = (w / blockWidth) * bytesPerBlock;
  const rows = h / blockHeight;
  const bytesPerRow = l.bytesPerRow ?? rowBytes;
  const rowsPerImage = l.rowsPerImage ?? rows;
  if (bytesPerRow < rowBytes) throw new RangeError(`${ctx}: dataLayout.bytesPerRow (${bytesPerRow}) is less than a row of the copy (${rowBytes} bytes)`);
  if (rowsPerImage < rows) throw new RangeError(`${ctx}: dataLayout.rowsPerImage (${rowsPerImage}) is less than the copy's rows (${rows})`);
  const padded = Math.ceil(rowBytes / 256) * 256 || 256;
  const stagingSize = rowBytes && rows && d ? padded * rows * d : 4; // an empty read copies nothing
  if (stagingSize > device.limits.maxBufferSize)
    throw new RangeError(`${ctx}: the region needs ${stagingSize} bytes of staging, over the device's maxBufferSize (${device.limits.maxBufferSize})`);
  const staging = device.createBuffer({ size: stagingSize, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, label: "wgpu-ts readTexture staging" });
  const encoder = device.createCommandEncoder({ label: "wgpu-ts readTexture" });
  if (rowBytes && rows && d) encoder.copyTextureToBuffer(source, { buffer: staging, bytesPerRow: padded, rowsPerImage: rows }, [w, h, d]);
  device.queue.submit([encoder.finish()]);
  return {
    staging,
    unpack(mapped: ArrayBuffer): ArrayBuffer {
      const out = new Uint8Array(d === 0 || rows === 0 ? l.offset : l.offset + bytesPerRow * rowsPerImage * (d - 1) + bytesPerRow * (rows - 1) + rowBytes);
      const from = new Uint8Array(mapped);
      for (let z = 0; z < d; z++) {
        for (let y = 0; y < rows; y++) {
          const at = (z * rows + y) * padded;
          out.set(from.subarray(at, at + rowBytes), l.offset + z * bytesPerRow * rowsPerImage + y * bytesPerRow);
        }
      }
      return out.buffer;
    },
  };
}
