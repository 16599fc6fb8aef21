// wgpu-native's own functions (wgpu.h): its blocking wait and adapter enumeration.
import type { WgpuFunctions } from "../ffi/bind.ts";

export function wgpuNativeExtras(fns: WgpuFunctions, instance: bigint) {
  const poll = fns.wgpuDevicePoll;
  const enumerate = fns.wgpuInstanceEnumerateAdapters;
  if (!poll || !enumerate) throw new Error("wgpu-ts: this wgpu-native lacks wgpuDevicePoll or wgpuInstanceEnumerateAdapters (wgpu.h)");
  return {
    /** wgpuDevicePoll(wait): returns when the device's submitted work is done and its callbacks ran. */
    waitForDevice: (device: bigint) => void poll(device, 1, null),
    enumerateAdapters(): bigint[] {
      const count = Number(enumerate(instance, null, null));
      if (count === 0) return [];
      const out = new BigUint64Array(count);
      enumerate(instance, null, out);
      return [...out].filter((h) => h !== 0n);
    },
  };
}
