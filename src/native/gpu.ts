// GPU: the root object of the native backend (navigator.gpu).
import koffi from "koffi";
import { WGSLLanguageFeatures } from "../api/adapter-info.ts";
import { bool, dict, enumValue } from "../api/check.ts";
import { GPUPowerPreference } from "./ffi/generated/string-enums.ts";
import { WGPUFeatureLevel, WGPURequestAdapterStatus, layout } from "./ffi/generated/webgpu.ts";
import { withScratch, type Scratch } from "./convert/scratch.ts";
import { readStringView, type StringViewValue } from "./convert/strings.ts";
import { GPUAdapter } from "./adapter.ts";
import { asPromise, pump, Operation } from "./pump.ts";
import { rt } from "./runtime.ts";

const featureLevels = { core: WGPUFeatureLevel.Core, compatibility: WGPUFeatureLevel.Compatibility };

/** The options' writer, or null for a featureLevel that is not a feature level (the spec's DOMString: no adapter). */
function writeAdapterOptions(ctx: string, options: GPURequestAdapterOptions | undefined) {
  const o = dict(ctx, "options", options);
  const level = o.featureLevel === undefined ? "core" : String(o.featureLevel);
  if (!Object.hasOwn(featureLevels, level)) return null;
  const featureLevel = featureLevels[level as keyof typeof featureLevels];
  // WGPU_POWER_PREFERENCE (wgpu-py's variable) stands in for a powerPreference left out.
  const preferred = o.powerPreference ?? (process.env.WGPU_POWER_PREFERENCE?.trim() || undefined);
  const member = o.powerPreference === undefined ? "powerPreference (from WGPU_POWER_PREFERENCE)" : "powerPreference";
  const powerPreference = preferred === undefined ? 0 : enumValue(ctx, member, preferred, GPUPowerPreference);
  const forceFallback = bool(o.forceFallbackAdapter);
  return (s: Scratch) => {
    const L = layout.WGPURequestAdapterOptions;
    const off = s.alloc(L.$size);
    s.ptr(off + L.nextInChain, rt().behaviour.chain(s, "requestAdapter"));
    s.u32(off + L.featureLevel, featureLevel);
    s.u32(off + L.powerPreference, powerPreference);
    s.u32(off + L.forceFallbackAdapter, forceFallback ? 1 : 0);
    return s.addr(off);
  };
}

/** A WGSL feature's C name as the spec spells it: snake_case, with "4x8" kept apart ("tier1" is one word). */
const wgslName = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([a-z]{2})(\dx\d)/g, "$1_$2")
    .toLowerCase();

export class GPU {
  #wgsl?: WGSLLanguageFeatures;

  /** https://www.w3.org/TR/webgpu/#dom-gpu-requestadapter */
  requestAdapter(options?: GPURequestAdapterOptions): Promise<GPUAdapter | null> {
    return asPromise(() => this.#startRequestAdapter(options));
  }

  /** Extra: `requestAdapter` that answers in place. */
  requestAdapterSync(options?: GPURequestAdapterOptions): GPUAdapter | null {
    return this.#startRequestAdapter(options).wait();
  }

  #startRequestAdapter(options: GPURequestAdapterOptions | undefined): Operation<GPUAdapter | null> {
    const write = writeAdapterOptions("GPU.requestAdapter", options);
    const byName = process.env.WGPU_ADAPTER_NAME;
    if (write === null || byName) {
      const op = new Operation<GPUAdapter | null>(0, () => (write === null ? null : this.#adapterNamed(byName as string)), null);
      op.finish([]);
      return op;
    }
    return this.#requestEngineAdapter(write);
  }

  /** The engine's answer to requestAdapter (WGPU_ADAPTER_NAME aside). */
  #requestEngineAdapter(write: (s: Scratch) => bigint): Operation<GPUAdapter | null> {
    const { fns, instance } = rt();
    const { op, callbackInfo } = pump.begin("WGPURequestAdapterCallback", (status: number, adapter: bigint | null, message: StringViewValue) => {
      if (status === WGPURequestAdapterStatus.Success && adapter) return new GPUAdapter(adapter);
      if (status === WGPURequestAdapterStatus.Unavailable) return null;
      throw new Error(`GPU.requestAdapter: ${readStringView(message) || "the engine could not provide an adapter"}`);
    });
    withScratch((s) => fns.wgpuInstanceRequestAdapter(instance, write(s), callbackInfo));
    return op;
  }

  /** Extra: every adapter the engine can see (wgpu-py's `enumerate_adapters`). */
  enumerateAdapters(): Promise<GPUAdapter[]> {
    try {
      return Promise.resolve(this.enumerateAdaptersSync());
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** WGPU_ADAPTER_NAME (as in wgpu-py) picks the first adapter whose summary contains it. */
  #adapterNamed(name: string): GPUAdapter {
    const adapters = this.enumerateAdaptersSync();
    const found = adapters.find((a) => a.summary.includes(name));
    if (!found) {
      throw new Error(
        `GPU.requestAdapter: no adapter's summary contains WGPU_ADAPTER_NAME (${JSON.stringify(name)}); the adapters are: ${adapters.map((a) => JSON.stringify(a.summary)).join(", ") || "none"}`,
      );
    }
    return found;
  }

  enumerateAdaptersSync(): GPUAdapter[] {
    const { enumerateAdapters } = rt().behaviour;
    if (enumerateAdapters) return enumerateAdapters().map((h) => new GPUAdapter(h));
    // An engine that cannot list its adapters: its default adapter stands for the list.
    const adapter = this.#requestEngineAdapter(writeAdapterOptions("GPU.enumerateAdapters", undefined) as (s: Scratch) => bigint).wait();
    return adapter ? [adapter] : [];
  }

  /** https://www.w3.org/TR/webgpu/#dom-gpu-getpreferredcanvasformat */
  getPreferredCanvasFormat(): GPUTextureFormat {
    return "bgra8unorm";
  }

  /** https://www.w3.org/TR/webgpu/#dom-gpu-wgsllanguagefeatures */
  get wgslLanguageFeatures(): WGSLLanguageFeatures {
    if (this.#wgsl) return this.#wgsl;
    const { fns, instance, behaviour } = rt();
    // wgpu-native cannot tell which WGSL language features it has: the ones naga accepts.
    if (behaviour.wgslLanguageFeatures) return (this.#wgsl = new WGSLLanguageFeatures(behaviour.wgslLanguageFeatures));
    const names = withScratch((s) => {
      const out = s.addr(s.alloc(16));
      fns.wgpuInstanceGetWGSLLanguageFeatures(instance, out);
      const v = koffi.decode(out, "WGPUSupportedWGSLLanguageFeatures") as { featureCount: number; features: bigint | null };
      // koffi decodes an array as a typed array: make it a plain one before mapping to strings.
      const values = v.features && v.featureCount ? Array.from(koffi.decode(v.features, "uint32_t", v.featureCount) as Uint32Array) : [];
      fns.wgpuSupportedWGSLLanguageFeaturesFreeMembers(v);
      const names = new Map(Object.entries(behaviour.wgslLanguageFeatureNames).map(([name, value]) => [value, wgslName(name)]));
      return values.map((x) => names.get(x)).filter((x): x is string => x !== undefined);
    });
    return (this.#wgsl = new WGSLLanguageFeatures(names));
  }

  declare readonly __brand: "GPU";
}
