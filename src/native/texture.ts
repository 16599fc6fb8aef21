// GPUTexture and GPUTextureView: https://www.w3.org/TR/webgpu/#textures
import { dict, enumValue, integer, label as checkLabel, sequence, str, typeError, u32 } from "../api/check.ts";
import { GPUValidationError } from "../api/errors.ts";
import { GPUTextureUsage } from "../api/constants.ts";
import { GPUTextureAspect, GPUTextureDimension, GPUTextureFormat, GPUTextureViewDimension } from "./ffi/generated/string-enums.ts";
import { WGPU, WGPUComponentSwizzle, WGPUSType, layout } from "./ffi/generated/webgpu.ts";
import { withScratch, type Scratch } from "./convert/scratch.ts";
import { extent3D, textureFormat, writeTriple, type Extent } from "./convert/texture.ts";
import { captureEngineErrors } from "./device-events.ts";
import { HANDLE, NativeObject, SHRINK_PRESSURE, ROUTE_ERROR, SUBMIT_PROBLEM } from "./object.ts";
import { addBindingResource } from "./binding.ts";
import { rt } from "./runtime.ts";
import { initVolume } from "./volume-init.ts";
import { textureFormatInfo } from "../api/texture-formats.ts";
import type { GPUDevice } from "./device.ts";

/** A texture as a bind group resource stands for its default view (GPUBindingResource). */
const DEFAULT_VIEW = Symbol("wgpu-ts.defaultView");

/** Usage bits of the spec; others abort wgpu-native, and so does TRANSIENT_ATTACHMENT (probed on 29.0.1.1). */
const ALL_TEXTURE_USAGES = Object.values(GPUTextureUsage).reduce((a, b) => a | b, 0);
const { TRANSIENT_ATTACHMENT } = GPUTextureUsage;

function usageProblem(usage: number): string | null {
  if (usage & TRANSIENT_ATTACHMENT) return "usage TRANSIENT_ATTACHMENT (0x20) is not supported by wgpu-native";
  if (usage & ~ALL_TEXTURE_USAGES) return `usage (0x${usage.toString(16)}) has bits that are not GPUTextureUsage flags`;
  return null;
}

export interface TextureInit {
  size: Extent;
  mipLevelCount: number;
  sampleCount: number;
  dimension: GPUTextureDimension;
  format: GPUTextureFormat;
  usage: number;
  textureBindingViewDimension: GPUTextureViewDimension | undefined;
  /** A surface's texture: the surface owns its memory, so destroy() only ends its use. */
  fromSurface?: boolean;
}

/** The memory a texture holds, roughly (every mip level, layer and sample), for report()'s live bytes. */
function estimatedBytes(init: TextureInit): number {
  const f = textureFormatInfo(init.format);
  if (!f) return 0;
  const texel = f.bytesPerBlock || f.depthBytes + f.stencilBytes || 4;
  const [w, h, d] = init.size;
  let total = 0;
  // Capped: an invalid texture may claim 2^32 - 1 levels.
  const levels = Math.min(init.mipLevelCount, maxMipLevelCount(init.dimension, init.size));
  for (let level = 0; level < levels; level++) {
    const lw = Math.max(1, w >> level);
    const lh = Math.max(1, h >> level);
    const layers = init.dimension === "3d" ? Math.max(1, d >> level) : d;
    total += Math.ceil(lw / f.blockWidth) * Math.ceil(lh / f.blockHeight) * layers * texel;
  }
  return total * init.sampleCount;
}

export class GPUTexture extends NativeObject {
  readonly width: number;
  readonly height: number;
  readonly depthOrArrayLayers: number;
  readonly mipLevelCount: number;
  readonly sampleCount: number;
  readonly dimension: GPUTextureDimension;
  readonly format: GPUTextureFormat;
  readonly usage: number;
  readonly textureBindingViewDimension: GPUTextureViewDimension | undefined;
  readonly #device: GPUDevice;
  readonly #fromSurface: boolean;
  #destroyed = false;
  /** The view a bind group entry gets when it names the texture itself (GPUBindingResource), made once. */
  #defaultView: GPUTextureView | undefined;

  constructor(device: GPUDevice, handle: bigint | null, label: string, init: TextureInit) {
    super({ handle, kind: "Texture", label, bytes: estimatedBytes(init), tickQueue: device.queue[HANDLE] });
    this.#device = device;
    [this.width, this.height, this.depthOrArrayLayers] = init.size;
    this.mipLevelCount = init.mipLevelCount;
    this.sampleCount = init.sampleCount;
    this.dimension = init.dimension;
    this.format = init.format;
    this.usage = init.usage;
    this.textureBindingViewDimension = init.textureBindingViewDimension;
    this.#fromSurface = init.fromSurface === true;
  }

  /** Extra: [width, height, depthOrArrayLayers] (wgpu-py's `size`). */
  get size(): [number, number, number] {
    return [this.width, this.height, this.depthOrArrayLayers];
  }

  /** https://www.w3.org/TR/webgpu/#dom-gputexture-createview */
  createView(descriptor?: GPUTextureViewDescriptor): GPUTextureView {
    return createView(this, this.#device, descriptor);
  }

  /** @internal The default view, for a bind group entry whose resource is the texture. */
  get [DEFAULT_VIEW](): GPUTextureView {
    return (this.#defaultView ??= createView(this, this.#device));
  }

  /** https://www.w3.org/TR/webgpu/#dom-gputexture-destroy */
  destroy(): undefined {
    if (this.#destroyed) return;
    this.#destroyed = true;
    if (!this.#fromSurface) rt().fns.wgpuTextureDestroy(this[HANDLE]);
    this[SHRINK_PRESSURE]();
    return undefined;
  }

  /** @internal Why a command buffer using this texture cannot be submitted, or null. */
  [SUBMIT_PROBLEM](): string | null {
    return this.#destroyed ? `${this.label ? `GPUTexture "${this.label}"` : "a GPUTexture"} it uses is destroyed` : null;
  }

  override [Symbol.dispose](): void {
    this.destroy();
    super[Symbol.dispose]();
  }

  declare readonly __brand: "GPUTexture";
}

export class GPUTextureView extends NativeObject {
  readonly #texture: GPUTexture;

  constructor(handle: bigint | null, label: string, texture: GPUTexture) {
    super({ handle, kind: "TextureView", label });
    this.#texture = texture;
  }

  /** Extra: the texture this view looks into (wgpu-py's `texture`). */
  get texture(): GPUTexture {
    return this.#texture;
  }

  /** Extra: the size of the texture this view looks into (wgpu-py's `size`). */
  get size(): [number, number, number] {
    return this.#texture.size;
  }

  /** @internal A view of a destroyed texture cannot be used in a submit. */
  [SUBMIT_PROBLEM](): string | null {
    return this.#texture[SUBMIT_PROBLEM]();
  }

  declare readonly __brand: "GPUTextureView";
}

function formatOf(ctx: string, member: string, v: unknown, device: GPUDevice): GPUTextureFormat {
  textureFormat(ctx, member, v, device);
  return v as GPUTextureFormat;
}

function writeTextureDescriptor(s: Scratch, label: string, t: TextureInit, viewFormats: GPUTextureFormat[]): bigint {
  const L = layout.WGPUTextureDescriptor;
  const off = s.alloc(L.$size);
  s.stringView(off + L.label, label);
  s.u64(off + L.usage, t.usage);
  s.u32(off + L.dimension, GPUTextureDimension[t.dimension]);
  writeTriple(s, off + L.size, t.size);
  s.u32(off + L.format, GPUTextureFormat[t.format]);
  s.u32(off + L.mipLevelCount, t.mipLevelCount);
  s.u32(off + L.sampleCount, t.sampleCount);
  const list = s.alloc(4 * viewFormats.length, 4);
  viewFormats.forEach((f, i) => s.u32(list + 4 * i, GPUTextureFormat[f]));
  s.u64(off + L.viewFormatCount, viewFormats.length);
  s.ptr(off + L.viewFormats, viewFormats.length ? s.addr(list) : null);
  return s.addr(off);
}

/** The spec's maximum mipLevel count (https://www.w3.org/TR/webgpu/#abstract-opdef-maximum-miplevel-count). */
export function maxMipLevelCount(dimension: GPUTextureDimension, [w, h, d]: Extent): number {
  const m = dimension === "1d" ? 1 : dimension === "2d" ? Math.max(w, h) : Math.max(w, h, d);
  return Math.floor(Math.log2(Math.max(1, m))) + 1;
}

/**
 * Inputs that abort wgpu-native, or that would cost work per mip level although the texture is
 * invalid (a huge mipLevelCount: the 3D clear of volume-init.ts, the byte estimate), checked
 * before the engine sees them; the message, or null.
 */
function fatalTextureInput(t: TextureInit): string | null {
  const usage = usageProblem(t.usage);
  if (usage) return usage;
  if (t.mipLevelCount === 0) return "mipLevelCount must be at least 1";
  if (t.sampleCount === 0) return "sampleCount must be 1 or 4";
  const maxMips = maxMipLevelCount(t.dimension, t.size);
  if (t.mipLevelCount > maxMips)
    return `mipLevelCount (${t.mipLevelCount}) exceeds the maximum (${maxMips}) for a ${t.dimension} texture of size [${t.size.join(", ")}]`;
  return null;
}

export function createTexture(device: GPUDevice, descriptor: GPUTextureDescriptor): GPUTexture {
  const ctx = "GPUDevice.createTexture";
  const d = dict(ctx, "descriptor", descriptor, true);
  const label = checkLabel(ctx, d.label);
  const init: TextureInit = {
    size: extent3D(ctx, "size", d.size),
    mipLevelCount: u32(ctx, "mipLevelCount", d.mipLevelCount, 1),
    sampleCount: u32(ctx, "sampleCount", d.sampleCount, 1),
    dimension: (d.dimension ?? "2d") as GPUTextureDimension,
    format: formatOf(ctx, "format", d.format, device),
    usage: integer(ctx, "usage", d.usage, 0xffffffff),
    textureBindingViewDimension: d.textureBindingViewDimension,
  };
  enumValue(ctx, "dimension", init.dimension, GPUTextureDimension);
  if (init.textureBindingViewDimension !== undefined) enumValue(ctx, "textureBindingViewDimension", init.textureBindingViewDimension, GPUTextureViewDimension);
  const viewFormats = sequence(ctx, "viewFormats", d.viewFormats, []).map((f, i) => formatOf(ctx, `viewFormats[${i}]`, f, device));
  const fatal = fatalTextureInput(init);
  if (fatal) {
    // (The invalid texture still reflects the descriptor, as the spec says: mipLevelCount included.)
    // Make an invalid texture the engine accepts (a zero size), and report our own error.
    const { result } = captureEngineErrors(device[HANDLE], () =>
      withScratch((s) =>
        rt().fns.wgpuDeviceCreateTexture(
          device[HANDLE],
          writeTextureDescriptor(s, label, { ...init, size: [0, 0, 0], mipLevelCount: 1, sampleCount: 1, usage: GPUTextureUsage.COPY_DST }, []),
        ),
      ),
    );
    device[ROUTE_ERROR](new GPUValidationError(`${ctx}: ${fatal}`));
    return new GPUTexture(device, result, label, init);
  }
  const handle = withScratch((s) => rt().fns.wgpuDeviceCreateTexture(device[HANDLE], writeTextureDescriptor(s, label, init, viewFormats)));
  const texture = new GPUTexture(device, handle, label, init);
  initVolume(device, texture); // 3D textures only: see volume-init.ts
  return texture;
}

const SWIZZLE: Record<string, number> = {
  r: WGPUComponentSwizzle.R,
  g: WGPUComponentSwizzle.G,
  b: WGPUComponentSwizzle.B,
  a: WGPUComponentSwizzle.A,
  "0": WGPUComponentSwizzle.Zero,
  "1": WGPUComponentSwizzle.One,
};

interface ViewInit {
  format: number;
  dimension: number;
  usage: number;
  aspect: number;
  baseMipLevel: number;
  mipLevelCount: number;
  baseArrayLayer: number;
  arrayLayerCount: number;
  swizzle: string;
}

function writeViewDescriptor(s: Scratch, label: string, v: ViewInit): bigint {
  const L = layout.WGPUTextureViewDescriptor;
  const off = s.alloc(L.$size);
  s.stringView(off + L.label, label);
  s.u32(off + L.format, v.format);
  s.u32(off + L.dimension, v.dimension);
  s.u32(off + L.baseMipLevel, v.baseMipLevel);
  s.u32(off + L.mipLevelCount, v.mipLevelCount);
  s.u32(off + L.baseArrayLayer, v.baseArrayLayer);
  s.u32(off + L.arrayLayerCount, v.arrayLayerCount);
  s.u32(off + L.aspect, v.aspect);
  s.u64(off + L.usage, v.usage);
  if (v.swizzle !== "rgba") {
    const C = layout.WGPUTextureComponentSwizzleDescriptor;
    const chain = s.alloc(C.$size);
    s.u32(chain + C.chain + 8, WGPUSType.TextureComponentSwizzleDescriptor);
    [...v.swizzle].forEach((c, i) => s.u32(chain + C.swizzle + 4 * i, SWIZZLE[c]));
    s.ptr(off, s.addr(chain));
  }
  return s.addr(off);
}

export function createView(texture: GPUTexture, device: GPUDevice, descriptor?: GPUTextureViewDescriptor): GPUTextureView {
  const ctx = "GPUTexture.createView";
  const d = dict(ctx, "descriptor", descriptor);
  const label = checkLabel(ctx, d.label);
  const swizzle = str(ctx, "swizzle", (d as { swizzle?: string }).swizzle, "rgba");
  if (!/^[rgba01]{4}$/.test(swizzle)) typeError(ctx, "swizzle", `(${JSON.stringify(swizzle)}) must be 4 of the characters r, g, b, a, 0, 1`);
  const v: ViewInit = {
    format: d.format === undefined ? 0 : GPUTextureFormat[formatOf(ctx, "format", d.format, device)],
    dimension: d.dimension === undefined ? 0 : enumValue(ctx, "dimension", d.dimension, GPUTextureViewDimension),
    usage: integer(ctx, "usage", d.usage ?? 0, 0xffffffff),
    aspect: enumValue(ctx, "aspect", d.aspect, GPUTextureAspect, "all"),
    baseMipLevel: u32(ctx, "baseMipLevel", d.baseMipLevel, 0),
    mipLevelCount: u32(ctx, "mipLevelCount", d.mipLevelCount, WGPU.MIP_LEVEL_COUNT_UNDEFINED),
    baseArrayLayer: u32(ctx, "baseArrayLayer", d.baseArrayLayer, 0),
    arrayLayerCount: u32(ctx, "arrayLayerCount", d.arrayLayerCount, WGPU.ARRAY_LAYER_COUNT_UNDEFINED),
    swizzle,
  };
  const fatal =
    usageProblem(v.usage) ??
    // wgpu-native leaves the view's usage unchecked; the spec has it a subset of the texture's.
    ((v.usage & ~texture.usage) !== 0 ? `usage (0x${v.usage.toString(16)}) has bits the texture's usage (0x${texture.usage.toString(16)}) lacks` : null) ??
    (v.mipLevelCount === 0 ? "mipLevelCount must be at least 1" : null) ??
    (v.arrayLayerCount === 0 ? "arrayLayerCount must be at least 1" : null) ??
    (swizzle !== "rgba" && !device.features.has("texture-component-swizzle") ? `swizzle ("${swizzle}") needs the "texture-component-swizzle" feature` : null);
  if (fatal) {
    // An invalid view the engine accepts: its base mip level is past the texture's last.
    const invalid = {
      ...v,
      usage: 0,
      baseMipLevel: texture.mipLevelCount,
      mipLevelCount: WGPU.MIP_LEVEL_COUNT_UNDEFINED,
      arrayLayerCount: WGPU.ARRAY_LAYER_COUNT_UNDEFINED,
      swizzle: "rgba",
    };
    const { result } = captureEngineErrors(device[HANDLE], () =>
      withScratch((s) => rt().fns.wgpuTextureCreateView(texture[HANDLE], writeViewDescriptor(s, label, invalid))),
    );
    device[ROUTE_ERROR](new GPUValidationError(`${ctx}: ${fatal}`));
    return new GPUTextureView(result, label, texture);
  }
  const handle = withScratch((s) => rt().fns.wgpuTextureCreateView(texture[HANDLE], writeViewDescriptor(s, label, v)));
  return new GPUTextureView(handle, label, texture);
}

// A texture view is a bind group resource (texture and storage texture bindings).
addBindingResource((s, entry, resource) => {
  const view = resource instanceof GPUTexture ? resource[DEFAULT_VIEW] : resource;
  if (!(view instanceof GPUTextureView)) return false;
  s.ptr(entry + layout.WGPUBindGroupEntry.textureView, view[HANDLE]);
  return true;
});
