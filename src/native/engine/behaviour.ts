// What differs between engines at run time, decided here and nowhere else.
import { WGPUInstanceFeatureName, WGPUNativeFeature, WGPUWGSLLanguageFeatureName, layout } from "../ffi/generated/webgpu.ts";
import type { WgpuFunctions } from "../ffi/bind.ts";
import { withScratch, type Scratch } from "../convert/scratch.ts";
import type { LibraryHandle } from "koffi";
import { installWgpuNativeLogging, wgpuNativeApiExtras, wgpuNativeExtras, type EngineExtras } from "../extras/wgpu-native.ts";
import { writeInstanceDescriptor } from "./instance-options.ts";
import { dawnApiExtras, dawnFeatures, dawnWaitForDevice, dawnWgslLanguageFeatureNames, writeToggles } from "../extras/dawn.ts";
import type { DawnToggles, EngineName } from "./load.ts";
import { routeNativeStderr } from "./native-stderr.ts";

/** The descriptors an engine may extend with structs of its own (`nextInChain`). */
export type ChainRoot = "requestAdapter" | "requestDevice";

export interface EngineBehaviour {
  /**
   * Blocks until the device has finished its submitted work and fired the callbacks that were
   * waiting on it, or until `timeoutMs` passed (default: no bound); true when it finished. Used by
   * the `...Sync` twins, the exit hook and destroy, with the watchdog's bound (watchdog.ts).
   */
  waitForDevice(device: bigint, timeoutMs?: number): boolean;
  /** Every adapter of the instance, where the engine can list them (else the default adapter stands for the list). */
  enumerateAdapters?(): bigint[];
  /**
   * webgpu.h functions the engine exports but aborts in (wgpu-native's src/unimplemented.rs,
   * found by calling each in a child process): the backend works around each one.
   */
  unimplemented: ReadonlySet<string>;
  /** Kinds of object whose release aborts the engine: their references are kept until exit. */
  neverRelease: ReadonlySet<string>;
  /**
   * Kinds whose memory the engine frees only when it next ticks (wgpuInstanceProcessEvents):
   * a loop that releases many and never waits for anything is made to tick now and then.
   */
  freedAtTick: ReadonlySet<string>;
  /** The engine's own extension structs for a descriptor, as its `nextInChain` (0n: none). */
  chain(s: Scratch, root: ChainRoot): bigint;
  /** The engine's own WGPUFeatureName values (beyond the spec's), by C name; reported in kebab-case. */
  engineFeatures: Readonly<Record<string, number>>;
  /** WGPUWGSLLanguageFeatureName values by C name, as the engine's header has them. */
  wgslLanguageFeatureNames: Readonly<Record<string, number>>;
  /** The engine's side of `wgpu-ts/native` (made on first use). */
  apiExtras(): EngineExtras;
  /** Spec vertex formats the engine aborts on (creating a pipeline with one is a validation error instead). */
  unsupportedVertexFormats: ReadonlySet<string>;
  /** A texel copy's bytesPerRow or rowsPerImage of 0 aborts the engine (else it validates them as the spec). */
  zeroStrideAborts: boolean;
}

export interface EngineStart {
  instance: bigint;
  behaviour: EngineBehaviour;
}

/** Settings the engine reads when it needs them (the object stays the same, its members may change). */
export interface EngineSettings {
  dawnToggles?: DawnToggles;
}

function createInstance(fns: WgpuFunctions, write: (s: Scratch) => bigint | null): bigint {
  const instance = withScratch((s) => fns.wgpuCreateInstance(write(s)));
  if (!instance) throw new Error("wgpu-ts: wgpuCreateInstance failed");
  return instance;
}

function wgpuNative(fns: WgpuFunctions): EngineStart {
  // wgpu-native has no instance features (requesting one aborts); its own backends and flags
  // (WGPUInstanceExtras, setInstanceExtras / WGPU_BACKEND_TYPE) go in the descriptor.
  const instance = createInstance(fns, writeInstanceDescriptor);
  const extras = wgpuNativeExtras(fns, instance);
  // The engine's log goes to wgpu-ts's logger (WGPU_LOG_LEVEL) from the start.
  installWgpuNativeLogging(fns);
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
      freedAtTick: new Set(),
      chain: () => 0n,
      engineFeatures: WGPUNativeFeature,
      wgslLanguageFeatureNames: WGPUWGSLLanguageFeatureName,
      // wgpu-native 29.0.1.1 panics converting it ("invalid vertex format for vertex attribute: 41").
      unsupportedVertexFormats: new Set(["unorm8x4-bgra"]),
      zeroStrideAborts: true,
      apiExtras: () => wgpuNativeApiExtras(fns),
    },
  };
}

function dawn(fns: WgpuFunctions, lib: LibraryHandle, settings: EngineSettings): EngineStart {
  // TimedWaitAny: the Sync twins wait with a timeout in wgpuInstanceWaitAny.
  const instance = createInstance(fns, (s) => {
    const L = layout.WGPUInstanceDescriptor;
    const off = s.alloc(L.$size);
    s.ptr(off + L.nextInChain, writeToggles(s, settings.dawnToggles));
    const features = Uint32Array.of(WGPUInstanceFeatureName.TimedWaitAny);
    s.u64(off + L.requiredFeatureCount, features.length);
    s.ptr(off + L.requiredFeatures, s.bytes(features));
    return s.addr(off);
  });
  // The first adapter request discovers the adapters, where Dawn prints its warnings to stderr.
  const requestAdapter = fns.wgpuInstanceRequestAdapter;
  fns.wgpuInstanceRequestAdapter = (...args) => {
    fns.wgpuInstanceRequestAdapter = requestAdapter;
    return routeNativeStderr("dawn", () => requestAdapter(...args));
  };
  return {
    instance,
    behaviour: {
      waitForDevice: (device, timeoutMs) => dawnWaitForDevice(fns, instance, device, timeoutMs),
      // No enumerateAdapters: webgpu.h has none, and Dawn's C++ EnumerateAdapters is not in its C API.
      // Dawn implements every webgpu.h function, labels and query-set release included.
      unimplemented: new Set(),
      neverRelease: new Set(),
      // A released bind group's descriptor set (one memory mapping each on lavapipe) goes back at
      // the next tick: 100k released without one held 63k mappings and crashed at the kernel's limit.
      freedAtTick: new Set(["BindGroup"]),
      // The same toggles reach the instance, the adapter and the device, each taking its stage's
      // (read at each request: toggles set after load reach later adapters and devices).
      chain: (s) => writeToggles(s, settings.dawnToggles),
      engineFeatures: dawnFeatures,
      wgslLanguageFeatureNames: { ...WGPUWGSLLanguageFeatureName, ...dawnWgslLanguageFeatureNames },
      unsupportedVertexFormats: new Set(),
      zeroStrideAborts: false,
      apiExtras: () => dawnApiExtras(lib),
    },
  };
}

/** Creates the instance for the loaded engine and returns how that engine is driven. */
export function startEngine(name: EngineName, fns: WgpuFunctions, lib: LibraryHandle, settings: EngineSettings = {}): EngineStart {
  if (name === "wgpu-native") return wgpuNative(fns);
  if (name === "dawn") return dawn(fns, lib, settings);
  throw new Error(`wgpu-ts: engine "${name as string}" is not supported`);
}
