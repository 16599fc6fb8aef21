// What differs between engines at run time, decided here and nowhere else.
import type { WgpuFunctions } from "../ffi/bind.ts";

export interface EngineBehaviour {
  /**
   * Blocks until the device has finished its submitted work and fired the callbacks that were
   * waiting on it; used by the `...Sync` twins.
   */
  waitForDevice(device: bigint): void;
  /** Every adapter of the instance (wgpu-native's wgpuInstanceEnumerateAdapters). */
  enumerateAdapters(): bigint[];
  /**
   * webgpu.h functions the engine exports but aborts in (wgpu-native's src/unimplemented.rs,
   * found by calling each in a child process): the backend works around each one.
   */
  unimplemented: ReadonlySet<string>;
  /** Kinds of object whose release aborts the engine: their references are kept until exit. */
  neverRelease: ReadonlySet<string>;
  /** Spec vertex formats the engine aborts on (creating a pipeline with one is a validation error instead). */
  unsupportedVertexFormats: ReadonlySet<string>;
}

export function engineBehaviour(name: string, fns: WgpuFunctions, instance: bigint): EngineBehaviour {
  if (name === "wgpu-native" && fns.wgpuDevicePoll && fns.wgpuInstanceEnumerateAdapters) {
    const poll = fns.wgpuDevicePoll;
    const enumerate = fns.wgpuInstanceEnumerateAdapters;
    return {
      // wgpuInstanceWaitAny panics on wgpu-native; wgpuDevicePoll(wait) is its blocking wait.
      waitForDevice: (device) => void poll(device, 1, null),
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
      // wgpu-native 29.0.1.1 panics converting it ("invalid vertex format for vertex attribute: 41").
      unsupportedVertexFormats: new Set(["unorm8x4-bgra"]),
      enumerateAdapters: () => {
        const count = Number(enumerate(instance, null, null));
        if (count === 0) return [];
        const out = new BigUint64Array(count);
        enumerate(instance, null, out);
        return [...out].filter((h) => h !== 0n);
      },
    };
  }
  throw new Error(`wgpu-ts: engine "${name}" is not supported yet (only wgpu-native is)`);
}
