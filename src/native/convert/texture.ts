// JS -> C for texture descriptors and texel copies: GPUExtent3D, GPUOrigin3D, GPUTexelCopy*.
import { dict, enumValue, typeError, u32 } from "../../api/check.ts";
import { textureFormatInfo } from "../../api/texture-formats.ts";
import { GPUTextureAspect, GPUTextureFormat } from "../ffi/generated/string-enums.ts";
import { WGPU, layout } from "../ffi/generated/webgpu.ts";
import type { Scratch } from "./scratch.ts";
import { origin3D, type BufferLayout, type Extent } from "../../api/texel-copy.ts";

// The JS-only parsing of extents, origins and buffer layouts is shared with the browser backend.
export { bufferLayout, extent3D, origin3D, type BufferLayout, type Extent } from "../../api/texel-copy.ts";

/** Engine features that enable the 16-bit norm formats of texture-formats-tier1: wgpu-native's, Dawn's. */
const norm16Features = ["texture-format16bit-norm", "unorm16-texture-formats", "snorm16-texture-formats"];

/**
 * A GPUTextureFormat's engine value. A format whose feature the device was not created with is a
 * TypeError, wherever a format is given (the spec's "validate texture format required features").
 */
export function textureFormat(ctx: string, member: string, v: unknown, device: { readonly features: { has(name: string): boolean } }): number {
  const value = enumValue(ctx, member, v, GPUTextureFormat);
  const feature = textureFormatInfo(v as string)?.feature;
  const has = (f: string) => device.features.has(f) || (/^(r|rg|rgba)16[us]norm$/.test(v as string) && norm16Features.some((e) => device.features.has(e)));
  if (feature && !has(feature)) typeError(ctx, member, `(${JSON.stringify(v)}) needs the "${feature}" feature, which the device was not created with`);
  return value;
}

/** Writes a WGPUExtent3D (or WGPUOrigin3D: same shape) at `off`. */
export function writeTriple(s: Scratch, off: number, [a, b, c]: Extent): void {
  s.u32(off, a);
  s.u32(off + 4, b);
  s.u32(off + 8, c);
}

/** A checked GPUTexelCopyTextureInfo; `texture` is resolved by the caller (it needs the class). */
export interface TextureCopy {
  mipLevel: number;
  origin: Extent;
  aspect: GPUTextureAspect;
}

export function textureCopy(ctx: string, member: string, v: GPUTexelCopyTextureInfo): TextureCopy {
  const d = dict(ctx, member, v, true);
  const aspect = d.aspect ?? "all";
  enumValue(ctx, `${member}.aspect`, aspect, GPUTextureAspect);
  return { mipLevel: u32(ctx, `${member}.mipLevel`, d.mipLevel, 0), origin: origin3D(ctx, `${member}.origin`, d.origin), aspect };
}

export function writeTextureCopy(s: Scratch, handle: bigint, c: TextureCopy): bigint {
  const L = layout.WGPUTexelCopyTextureInfo;
  const off = s.alloc(L.$size);
  s.ptr(off + L.texture, handle);
  s.u32(off + L.mipLevel, c.mipLevel);
  writeTriple(s, off + L.origin, c.origin);
  s.u32(off + L.aspect, GPUTextureAspect[c.aspect]);
  return s.addr(off);
}

/** Writes a WGPUTexelCopyBufferLayout at `off`. */
export function writeBufferLayout(s: Scratch, off: number, l: BufferLayout): void {
  const L = layout.WGPUTexelCopyBufferLayout;
  s.u64(off + L.offset, l.offset);
  s.u32(off + L.bytesPerRow, l.bytesPerRow ?? WGPU.COPY_STRIDE_UNDEFINED);
  s.u32(off + L.rowsPerImage, l.rowsPerImage ?? WGPU.COPY_STRIDE_UNDEFINED);
}

export function writeExtent(s: Scratch, e: Extent): bigint {
  const off = s.alloc(layout.WGPUExtent3D.$size, 4);
  writeTriple(s, off, e);
  return s.addr(off);
}
