// Texel copies' JS side, shared by both backends: GPUExtent3D, GPUOrigin3D and
// GPUTexelCopyBufferLayout parsed and checked (TypeError naming the member), and mip level sizes.
import { dict, sequence, typeError, u32, u64 } from "./check.ts";
import type { CopyBlock } from "./texture-formats.ts";

export type Extent = [width: number, height: number, depthOrArrayLayers: number];

/** A GPUExtent3D (sequence [w, h?, d?] or dictionary) as [width, height, depthOrArrayLayers]. */
export function extent3D(ctx: string, member: string, v: GPUExtent3D | undefined): Extent {
  if (v === undefined || v === null) typeError(ctx, member, "is required");
  if (typeof (v as Iterable<number>)[Symbol.iterator] === "function") {
    const a = sequence<number>(ctx, member, v as Iterable<number>);
    if (a.length < 1 || a.length > 3) typeError(ctx, member, `must have 1 to 3 elements, got ${a.length}`);
    return [u32(ctx, `${member}[0]`, a[0]), u32(ctx, `${member}[1]`, a[1], 1), u32(ctx, `${member}[2]`, a[2], 1)];
  }
  const d = dict(ctx, member, v as GPUExtent3DDict);
  return [u32(ctx, `${member}.width`, d.width), u32(ctx, `${member}.height`, d.height, 1), u32(ctx, `${member}.depthOrArrayLayers`, d.depthOrArrayLayers, 1)];
}

/** A GPUOrigin3D (sequence [x?, y?, z?] or dictionary), default [0, 0, 0]. */
export function origin3D(ctx: string, member: string, v: GPUOrigin3D | undefined): Extent {
  if (v === undefined) return [0, 0, 0];
  if (v !== null && typeof (v as Iterable<number>)[Symbol.iterator] === "function") {
    const a = sequence<number>(ctx, member, v as Iterable<number>);
    if (a.length > 3) typeError(ctx, member, `must have at most 3 elements, got ${a.length}`);
    return [u32(ctx, `${member}[0]`, a[0], 0), u32(ctx, `${member}[1]`, a[1], 0), u32(ctx, `${member}[2]`, a[2], 0)];
  }
  const d = dict(ctx, member, v as GPUOrigin3DDict);
  return [u32(ctx, `${member}.x`, d.x, 0), u32(ctx, `${member}.y`, d.y, 0), u32(ctx, `${member}.z`, d.z, 0)];
}

/** A checked GPUTexelCopyBufferLayout; undefined strides stay undefined. */
export interface BufferLayout {
  offset: number;
  bytesPerRow: number | undefined;
  rowsPerImage: number | undefined;
}

export function bufferLayout(ctx: string, member: string, v: GPUTexelCopyBufferLayout | undefined): BufferLayout {
  const d = dict(ctx, member, v);
  return {
    offset: u64(ctx, `${member}.offset`, d.offset, 0),
    bytesPerRow: d.bytesPerRow === undefined ? undefined : u32(ctx, `${member}.bytesPerRow`, d.bytesPerRow),
    rowsPerImage: d.rowsPerImage === undefined ? undefined : u32(ctx, `${member}.rowsPerImage`, d.rowsPerImage),
  };
}

/** The physical size of a mip level (whole texel blocks), as copies of a whole level need it. */
export function mipLevelSize(texture: Pick<GPUTexture, "width" | "height" | "depthOrArrayLayers" | "dimension">, mipLevel: number, block: CopyBlock): Extent {
  const at = (n: number) => Math.max(1, n >> mipLevel);
  const w = at(texture.width);
  const h = texture.dimension === "1d" ? 1 : at(texture.height);
  const d = texture.dimension === "3d" ? at(texture.depthOrArrayLayers) : texture.depthOrArrayLayers;
  return [Math.ceil(w / block.blockWidth) * block.blockWidth, Math.ceil(h / block.blockHeight) * block.blockHeight, d];
}
