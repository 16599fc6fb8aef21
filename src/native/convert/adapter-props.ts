// Reading adapter and device properties (features, limits, info) out of the engine, and
// writing the limits a device asks for.
import koffi from "koffi";
import { GPUAdapterInfo, GPUSupportedFeatures, GPUSupportedLimits, derivedLimits, limitDefaults, limitNames, type LimitName } from "../../api/adapter-info.ts";
import { GPUFeatureName } from "../ffi/generated/string-enums.ts";
import { WGPUAdapterType, WGPUBackendType, WGPU } from "../ffi/generated/webgpu.ts";
import { structType } from "../ffi/bind.ts";
import { readStringView, type StringViewValue } from "./strings.ts";
import { withScratch, type Scratch } from "./scratch.ts";
import { rt } from "../runtime.ts";

const kebab = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();

/** Feature names by C value: the spec's, then the loaded engine's own (wgpu.h, or Dawn's) in kebab-case. */
let featureNames: Map<number, string> | undefined;
let featureValues: Map<string, number> | undefined;

function featureNameTable(): Map<number, string> {
  featureNames ??= new Map<number, string>([
    ...Object.entries(GPUFeatureName).map(([name, v]) => [v, name] as [number, string]),
    ...Object.entries(rt().behaviour.engineFeatures).map(([name, v]) => [v, kebab(name)] as [number, string]),
  ]);
  return featureNames;
}

export function featureValue(name: string): number | undefined {
  featureValues ??= new Map([...featureNameTable()].map(([v, n]) => [n, v]));
  return featureValues.get(name);
}

/**
 * Reads a WGPUSupportedFeatures filled by `get(ptr)`, then frees its members; `drop` leaves
 * features out and `add` puts others in (the engine's ungrantable and implied features).
 */
export function readFeatures(
  get: (out: bigint) => void,
  { drop, add = [] }: { drop?: ReadonlySet<string>; add?: readonly string[] } = {},
): GPUSupportedFeatures {
  const { fns } = rt();
  return withScratch((s) => {
    const out = s.addr(s.alloc(16));
    get(out);
    const value = koffi.decode(out, "WGPUSupportedFeatures") as { featureCount: number; features: bigint | null };
    const names: string[] = [];
    if (value.features && value.featureCount > 0) {
      for (const v of koffi.decode(value.features, "uint32_t", value.featureCount) as number[]) {
        const name = featureNameTable().get(v);
        if (name && !drop?.has(name)) names.push(name);
      }
    }
    fns.wgpuSupportedFeaturesFreeMembers(value);
    return new GPUSupportedFeatures([...new Set([...names, ...add])].sort());
  });
}

function limitFields(): { name: string; offset: number; size: number }[] {
  return Object.values(structType("WGPULimits").members as Record<string, { name: string; offset: number; type: { size: number } }>)
    .filter((m) => m.name !== "nextInChain")
    .map((m) => ({ name: m.name, offset: m.offset, size: m.type.size }));
}

/** Reads a WGPULimits filled by `get(ptr)`. */
export function readLimits(get: (out: bigint) => void, reported: Readonly<Record<string, number>> = {}): GPUSupportedLimits {
  return withScratch((s) => {
    const off = s.alloc(structType("WGPULimits").size);
    get(s.addr(off));
    const values = {} as Record<LimitName, number>;
    for (const f of limitFields()) {
      if (!(limitNames as readonly string[]).includes(f.name)) continue;
      const name = f.name as LimitName;
      const v = f.size === 8 ? Number(s.dv.getBigUint64(off + f.offset, true)) : s.dv.getUint32(off + f.offset, true);
      // A limit the engine has a field for but does not keep reads as the spec's default.
      const { lackedLimits, limitCaps } = rt().behaviour;
      values[name] = reported[name] ?? (lackedLimits.has(name) ? limitDefaults[name] : Math.min(v, limitCaps[name] ?? v));
      // The spec's alignment limits are at least 32 (Dawn on lavapipe reports 16): a worse limit is always a valid report.
      if (name === "minUniformBufferOffsetAlignment" || name === "minStorageBufferOffsetAlignment") values[name] = Math.max(values[name], 32);
    }
    for (const [limit, from] of Object.entries(derivedLimits)) values[limit as LimitName] ??= values[from];
    return new GPUSupportedLimits(values);
  });
}

/** Writes a WGPULimits asking for `required`, every other limit left at "undefined". */
export function writeRequiredLimits(s: Scratch, required: Partial<Record<string, number>>): bigint {
  const off = s.alloc(structType("WGPULimits").size);
  for (const f of limitFields()) {
    const v = rt().behaviour.lackedLimits.has(f.name) ? undefined : required[f.name];
    if (f.size === 8) s.u64(off + f.offset, v ?? WGPU.LIMIT_U64_UNDEFINED);
    else s.u32(off + f.offset, v ?? WGPU.LIMIT_U32_UNDEFINED);
  }
  return s.addr(off);
}

/** The limits the C struct carries (the others are derived, and cannot be asked for separately). */
export function engineLimitNames(): string[] {
  return limitFields().map((f) => f.name);
}

const adapterTypeNames = new Map(Object.entries(WGPUAdapterType).map(([k, v]) => [v as number, k]));
const backendNames = new Map(Object.entries(WGPUBackendType).map(([k, v]) => [v as number, k]));

export interface NativeAdapterInfo {
  info: GPUAdapterInfo;
  /** The engine's device name as it gave it (info.device is normalized). */
  deviceName: string;
  adapterType: string;
  backendType: string;
  vendorID: number;
  deviceID: number;
}

/** The spec's "normalized identifier" (lowercase ASCII words joined by "-") for vendor, architecture, device. */
const normalized = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");

export function readAdapterInfo(adapter: bigint): NativeAdapterInfo {
  const { fns } = rt();
  return withScratch((s) => {
    const out = s.addr(s.alloc(structType("WGPUAdapterInfo").size));
    fns.wgpuAdapterGetInfo(adapter, out);
    const v = koffi.decode(out, "WGPUAdapterInfo") as Record<string, unknown>;
    const str = (k: string) => readStringView(v[k] as StringViewValue);
    const adapterType = adapterTypeNames.get(v.adapterType as number) ?? "Unknown";
    const info = new GPUAdapterInfo({
      vendor: normalized(str("vendor")),
      architecture: normalized(str("architecture")),
      device: normalized(str("device")),
      description: str("description"),
      subgroupMinSize: v.subgroupMinSize as number,
      subgroupMaxSize: v.subgroupMaxSize as number,
      isFallbackAdapter: adapterType === "CPU",
    });
    const result = {
      info,
      deviceName: str("device"),
      adapterType,
      backendType: backendNames.get(v.backendType as number) ?? "Undefined",
      vendorID: v.vendorID as number,
      deviceID: v.deviceID as number,
    };
    fns.wgpuAdapterInfoFreeMembers(v);
    return result;
  });
}
