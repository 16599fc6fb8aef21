// One adapter and device for a test file, made on first use.
import { gpu, type GPUAdapter, type GPUDevice } from "../../src/index.ts";

let adapter: GPUAdapter | undefined;
let device: GPUDevice | undefined;

export function testAdapter(): GPUAdapter {
  adapter ??= gpu.requestAdapterSync() ?? undefined;
  if (!adapter) throw new Error("no adapter: is lavapipe installed (npm run setup)?");
  return adapter;
}

export function testDevice(): GPUDevice {
  device ??= testAdapter().requestDeviceSync({ label: "test device" });
  return device;
}

/** An adapter of its own, for a device of its own (an adapter gives one device, as the spec says). */
export function freshAdapter(): GPUAdapter {
  const adapter = gpu.requestAdapterSync();
  if (!adapter) throw new Error("no adapter: is lavapipe installed (npm run setup)?");
  return adapter;
}

/** A device of its own, from an adapter of its own. */
export function freshDevice(descriptor?: GPUDeviceDescriptor): GPUDevice {
  return freshAdapter().requestDeviceSync(descriptor);
}

/** Runs `fn` inside a validation error scope and returns the error it raised, if any. */
export async function validationErrorOf(device: GPUDevice, fn: () => void): Promise<GPUError | null> {
  device.pushErrorScope("validation");
  fn();
  return device.popErrorScope();
}

/**
 * A device with whichever of `features` the adapter has (lavapipe on wgpu-native has them all;
 * Dawn has its own set) and up to `immediateSize` bytes of immediates.
 */
export function nativeDeviceFrom(adapter: GPUAdapter, label: string, features: readonly string[], immediateSize: number): GPUDevice {
  return adapter.requestDeviceSync({
    label,
    requiredFeatures: features.filter((f) => adapter.features.has(f)) as GPUFeatureName[],
    requiredLimits: { maxImmediateSize: Math.min(immediateSize, adapter.limits.maxImmediateSize) },
  });
}
