// Texel copies (https://www.w3.org/TR/webgpu/#image-copies): queue.writeTexture, the encoder's
// buffer<->texture and texture->texture copies, and the readTexture extra's native half.
import { dict } from "../api/check.ts";
import { textureFormatInfo } from "../api/texture-formats.ts";
import { stageTextureRead as stageSharedTextureRead } from "../api/readback.ts";
import { GPUValidationError } from "../api/errors.ts";
import { layout } from "./ffi/generated/webgpu.ts";
import { bufferSourceBytes } from "../api/buffer-source.ts";
import { withScratch, type Scratch } from "./convert/scratch.ts";
import { mipLevelSize } from "../api/texel-copy.ts";
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
 * a validation error, returned as its message; a 0 the copy does not use is the same as none. An
 * empty copy with a 0 stride over several rows or images is valid in the spec and needs 0 bytes: the
 * engine gets the same empty copy one row and one image tall (`engineExtent`, changed in place; it
 * needs the same bytes), and the checks of the rows and images it no longer sees are made here.
 */
function zeroStrides(ctx: string, member: string, l: BufferLayout, engineExtent: Extent, texture: GPUTexture, copy: TextureCopy): string | null {
  if (!rt().behaviour.zeroStrideAborts) return null;
  const [width, height, depth] = engineExtent;
  const block = textureFormatInfo(texture.format) ?? { blockWidth: 1, blockHeight: 1, bytesPerBlock: 1 };
  const rows = Math.ceil(height / block.blockHeight);
  let oneRow = false;
  let oneImage = false;
  if (l.bytesPerRow === 0) {
    if (width > 0) return `${ctx}: ${member}.bytesPerRow (0) is less than a row of the copy`;
    oneRow = rows > 1;
    oneImage = depth > 1;
    l.bytesPerRow = undefined;
  }
  if (l.rowsPerImage === 0) {
    if (rows > 0) return `${ctx}: ${member}.rowsPerImage (0) is less than the rows of the copy (${rows})`;
    oneImage ||= depth > 1;
    l.rowsPerImage = undefined;
  }
  if (oneImage && l.rowsPerImage !== undefined && l.rowsPerImage < rows) {
    return `${ctx}: ${member}.rowsPerImage (${l.rowsPerImage}) is less than the rows of the copy (${rows})`;
  }
  if (!(oneRow || oneImage) || copy.mipLevel >= texture.mipLevelCount) return null;
  const [, levelHeight, levelDepth] = mipLevelSize(texture, copy.mipLevel, block);
  if (oneRow && height % block.blockHeight !== 0) {
    return `${ctx}: copySize.height (${height}) is not a multiple of ${texture.format}'s block height (${block.blockHeight})`;
  }
  if (copy.origin[1] + height > levelHeight) {
    return `${ctx}: origin.y (${copy.origin[1]}) + copySize.height (${height}) is past the mip level's height (${levelHeight})`;
  }
  if (copy.origin[2] + depth > levelDepth) {
    return `${ctx}: origin.z (${copy.origin[2]}) + copySize.depthOrArrayLayers (${depth}) is past the mip level's ${levelDepth} layers`;
  }
  if (oneRow) engineExtent[1] = block.blockHeight;
  if (oneImage) engineExtent[2] = 1;
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
  const problem = zeroStrides(ctx, "dataLayout", l, extent, dst.texture, dst.copy);
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

function textureSide(ctx: string, member: string, info: GPUTexelCopyTextureInfo): CopySide & { resource: GPUTexture; copy: TextureCopy } {
  const t = textureOf(ctx, member, info);
  return { resource: t.texture, copy: t.copy, write: (s) => writeTextureCopy(s, t.handle, t.copy) };
}

/** The buffer side of a copy of `extent` (the engine's, see zeroStrides) with the texture side `other`. */
function bufferSide(ctx: string, member: string, info: GPUTexelCopyBufferInfo, extent: Extent, other: { resource: GPUTexture; copy: TextureCopy }): CopySide {
  const b = bufferInfo(ctx, member, info);
  return {
    resource: b.buffer,
    problem: zeroStrides(ctx, member, b.layout, extent, other.resource, other.copy),
    write: (s) => writeBufferInfo(s, b.handle, b.layout),
  };
}

type CopyFunction = (encoder: bigint, source: bigint, destination: bigint, copySize: bigint) => void;

function encodeCopy(encoder: Encoder, src: CopySide, dst: CopySide, extent: Extent, fn: CopyFunction): void {
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
  const extent = extent3D(ctx, "copySize", copySize);
  encodeCopy(encoder, bufferSide(ctx, "source", source, extent, dst), dst, extent, rt().fns.wgpuCommandEncoderCopyBufferToTexture);
}

/** https://www.w3.org/TR/webgpu/#dom-gpucommandencoder-copytexturetobuffer */
export function copyTextureToBuffer(encoder: Encoder, source: GPUTexelCopyTextureInfo, destination: GPUTexelCopyBufferInfo, copySize: GPUExtent3DStrict): void {
  const ctx = "GPUCommandEncoder.copyTextureToBuffer";
  const src = textureSide(ctx, "source", source);
  const extent = extent3D(ctx, "copySize", copySize);
  encodeCopy(encoder, src, bufferSide(ctx, "destination", destination, extent, src), extent, rt().fns.wgpuCommandEncoderCopyTextureToBuffer);
}

/** https://www.w3.org/TR/webgpu/#dom-gpucommandencoder-copytexturetotexture */
export function copyTextureToTexture(
  encoder: Encoder,
  source: GPUTexelCopyTextureInfo,
  destination: GPUTexelCopyTextureInfo,
  copySize: GPUExtent3DStrict,
): void {
  const ctx = "GPUCommandEncoder.copyTextureToTexture";
  const src = textureSide(ctx, "source", source);
  const dst = textureSide(ctx, "destination", destination);
  encodeCopy(encoder, src, dst, extent3D(ctx, "copySize", copySize), rt().fns.wgpuCommandEncoderCopyTextureToTexture);
}

/** readTexture's first half (api/readback.ts), with the source resolved to a native texture. */
export function stageTextureRead(
  device: GPUDevice,
  source: GPUTexelCopyTextureInfo,
  layoutArg?: GPUTexelCopyBufferLayout | GPUExtent3DStrict | null,
  sizeArg?: GPUExtent3DStrict,
): TextureRead {
  const { texture, copy } = textureOf("GPUQueue.readTexture", "source", source);
  return stageSharedTextureRead(device, source, { texture, ...copy }, layoutArg, sizeArg) as TextureRead;
}

export interface TextureRead {
  staging: GPUBuffer;
  /** Copies the mapped staging bytes into the layout the caller asked for. */
  unpack(mapped: ArrayBuffer): ArrayBuffer;
}
