// What differs between engines at run time, decided here and nowhere else.
import { WGPUInstanceFeatureName, WGPUNativeFeature, WGPUWGSLLanguageFeatureName, layout } from "../ffi/generated/webgpu.ts";
import type { WgpuFunctions } from "../ffi/bind.ts";
import { withScratch, type Scratch } from "../convert/scratch.ts";
import { wgpuNativeExtras } from "../extras/wgpu-native.ts";
import { dawnFeatures, dawnWaitForDevice, dawnWgslLanguageFeatureNames, writeToggles } from "../extras/dawn.ts";
import type { DawnToggles, EngineName } from "./load.ts";

/** The descriptors an engine may extend with structs of its own (`nextInChain`). */
export type ChainRoot = "requestAdapter" | "requestDevice";

export interface EngineBehaviour {
  /**
   * Blocks until the device has finished its submitted work and fired the callbacks that were
   * waiting on it; used by the `...Sync` twins.
   */
  waitForDevice(device: bigint): void;
  /** Every adapter of the instance, where the engine can list them (else the default adapter stands for the list). */
  enumerateAdapters?(): bigint[];
  /**
   * webgpu.h functions the engine exports but aborts in (wgpu-native's src/unimplemented.rs,
   * found by calling each in a child process): the backend works around each one.
   */
  unimplemented: ReadonlySet<string>;
  /** Kinds of object whose release aborts the engine: their references are kept until exit. */
  neverRelease: ReadonlySet<string>;
  /** The engine's own extension structs for a descriptor, as its `nextInChain` (0n: none). */
  chain(s: Scratch, root: ChainRoot): bigint;
  /** The engine's own WGPUFeatureName values (beyond the spec's), by C name; reported in kebab-case. */
  engineFeatures: Readonly<Record<string, number>>;
  /** WGPUWGSLLanguageFeatureName values by C name, as the engine's header has them. */
  wgslLanguageFeatureNames: Readonly<Record<string, number>>;
}

export interface EngineStart {
  instance: bigint;
  behaviour: EngineBehaviour;
}

/** Settings the engine reads when it needs them (the object stays the same, its members may change). */
export interface EngineSettings {
  dawnToggles?: DawnToggles;
}

function createInstance(fns: WgpuFunctions, fill: (s: Scratch, off: number) => void): bigint {
  const instance = withScratch((s) => {
    const off = s.alloc(layout.WGPUInstanceDescriptor.$size);
    fill(s, off);
    return fns.wgpuCreateInstance(s.addr(off));
  });
  if (!instance) throw new Error("wgpu-ts: wgpuCreateInstance failed");
  return instance;
}

function wgpuNative(fns: WgpuFunctions): EngineStart {
  // wgpu-native has no instance features (requesting one aborts): a plain descriptor.
  const instance = createInstance(fns, () => {});
  const extras = wgpuNativeExtras(fns, instance);
  return {
    instance,
    behaviour: {
      // wgpuInstanceWaitAny panics on wgpu-native; wgpuDevicePoll(wait) is its blocking wait.
      waitForDevice: extras.waitForDevice,
      enumerateAdapters: extras.enumerateAdapters,
      unimplemented: new Set([
        "SetLabel", // every wgpu*SetLabel
        "wgpuBufferGetMapState",
        "wgpuInstanceGetWGSLLanguageFeatures",
        "wgpuInstanceHasWGSLLanguageFeature",
        "wgpuShaderModuleGetCompilationInfo",
        "wgpuDeviceCreateComputePipelineAsync",
        "wgpuDeviceCreateRenderPipelineAsync",
      ]),
      // wgpu-core 29.0.3 panics in query_set_drop on every wgpuQuerySetRelease ("Cannot remove a
      // vacant resource" / "id epoch mismatch"), valid or not, destroyed or not.
      neverRelease: new Set(["QuerySet"]),
      chain: () => 0n,
      engineFeatures: WGPUNativeFeature,
      wgslLanguageFeatureNames: WGPUWGSLLanguageFeatureName,
    },
  };
}

function dawn(fns: WgpuFunctions, settings: EngineSettings): EngineStart {
  // TimedWaitAny: the Sync twins wait with a timeout in wgpuInstanceWaitAny.
  const instance = createInstance(fns, (s, off) => {
    const L = layout.WGPUInstanceDescriptor;
    s.ptr(off + L.nextInChain, writeToggles(s, settings.dawnToggles));
    s.u64(off + L.requiredFeatureCount, 1);
    s.ptr(off + L.requiredFeatures, s.bytes(Uint32Array.of(WGPUInstanceFeatureName.TimedWaitAny)));
  });
  return {
    instance,
    behaviour: {
      waitForDevice: (device) => dawnWaitForDevice(fns, instance, device),
      // No enumerateAdapters: webgpu.h has none, and Dawn's C++ EnumerateAdapters is not in its C API.
      // Dawn implements every webgpu.h function, labels and query-set release included.
      unimplemented: new Set(),
      neverRelease: new Set(),
      // The same toggles reach the instance, the adapter and the device, each taking its stage's
      // (read at each request: toggles set after load reach later adapters and devices).
      chain: (s) => writeToggles(s, settings.dawnToggles),
      engineFeatures: dawnFeatures,
      wgslLanguageFeatureNames: { ...WGPUWGSLLanguageFeatureName, ...dawnWgslLanguageFeatureNames },
    },
  };
}

/** Creates the instance for the loaded engine and returns how that engine is driven. */
export function startEngine(name: EngineName, fns: WgpuFunctions, settings: EngineSettings = {}): EngineStart {
  if (name === "wgpu-native") return wgpuNative(fns);
  if (name === "dawn") return dawn(fns, settings);
  throw new Error(`wgpu-ts: engine "${name as string}" is not supported`);
}
