// GPUSampler: https://www.w3.org/TR/webgpu/#gpusampler
import { dict, enumValue, finiteNumber, label as checkLabel } from "../api/check.ts";
import { GPUAddressMode, GPUCompareFunction, GPUFilterMode, GPUMipmapFilterMode } from "./ffi/generated/string-enums.ts";
import { layout } from "./ffi/generated/webgpu.ts";
import { withScratch } from "./convert/scratch.ts";
import { HANDLE, NativeObject } from "./object.ts";
import { rt } from "./runtime.ts";
import { addBindingResource } from "./binding.ts";
import type { GPUDevice } from "./device.ts";

export class GPUSampler extends NativeObject {
  constructor(handle: bigint | null, label: string) {
    super({ handle, kind: "Sampler", label });
  }
  declare readonly __brand: "GPUSampler";
}

/** A Web IDL `float`: finite, else a TypeError. */
const float = finiteNumber;

/** A Web IDL `[Clamp] unsigned short`: rounded to even and clamped to [0, 65535], NaN is 0. */
function clampU16(v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  // (A Symbol or a BigInt would be a TypeError in Web IDL; here it counts as NaN, hence 0.)
  const n = typeof v === "number" ? v : typeof v === "bigint" || typeof v === "symbol" ? NaN : Number(v);
  if (Number.isNaN(n)) return 0;
  const c = Math.min(65535, Math.max(0, n));
  const f = Math.floor(c);
  return c - f > 0.5 || (c - f === 0.5 && f % 2 === 1) ? f + 1 : f;
}

export function createSampler(device: GPUDevice, descriptor?: GPUSamplerDescriptor): GPUSampler {
  const ctx = "GPUDevice.createSampler";
  const d = dict(ctx, "descriptor", descriptor);
  const label = checkLabel(ctx, d.label);
  const modeU = enumValue(ctx, "addressModeU", d.addressModeU, GPUAddressMode, "clamp-to-edge");
  const modeV = enumValue(ctx, "addressModeV", d.addressModeV, GPUAddressMode, "clamp-to-edge");
  const modeW = enumValue(ctx, "addressModeW", d.addressModeW, GPUAddressMode, "clamp-to-edge");
  const mag = enumValue(ctx, "magFilter", d.magFilter, GPUFilterMode, "nearest");
  const min = enumValue(ctx, "minFilter", d.minFilter, GPUFilterMode, "nearest");
  const mip = enumValue(ctx, "mipmapFilter", d.mipmapFilter, GPUMipmapFilterMode, "nearest");
  const lodMin = float(ctx, "lodMinClamp", d.lodMinClamp, 0);
  const lodMax = float(ctx, "lodMaxClamp", d.lodMaxClamp, 32);
  const compare = d.compare === undefined ? 0 : enumValue(ctx, "compare", d.compare, GPUCompareFunction);
  const maxAnisotropy = clampU16(d.maxAnisotropy, 1);
  const handle = withScratch((s) => {
    const L = layout.WGPUSamplerDescriptor;
    const off = s.alloc(L.$size);
    s.stringView(off + L.label, label);
    s.u32(off + L.addressModeU, modeU);
    s.u32(off + L.addressModeV, modeV);
    s.u32(off + L.addressModeW, modeW);
    s.u32(off + L.magFilter, mag);
    s.u32(off + L.minFilter, min);
    s.u32(off + L.mipmapFilter, mip);
    s.f32(off + L.lodMinClamp, lodMin);
    s.f32(off + L.lodMaxClamp, lodMax);
    s.u32(off + L.compare, compare);
    s.dv.setUint16(off + L.maxAnisotropy, maxAnisotropy, true);
    return rt().fns.wgpuDeviceCreateSampler(device[HANDLE], s.addr(off));
  });
  return new GPUSampler(handle, label);
}

addBindingResource((s, entry, resource) => {
  if (!(resource instanceof GPUSampler)) return false;
  s.ptr(entry + layout.WGPUBindGroupEntry.sampler, resource[HANDLE]);
  return true;
});
