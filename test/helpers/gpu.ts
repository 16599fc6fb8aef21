// One adapter and device for a test file, made on first use.
import { gpu, GPUError, type GPUAdapter, type GPUDevice } from "../../src/index.ts";

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

/**
 * For property tests: runs `fn` in a validation scope. Working, raising a GPU error, or throwing a
 * TypeError/RangeError all count as an answer; anything else (or a crash) fails.
 */
export function answers(device: GPUDevice, fn: () => void): void {
  device.pushErrorScope("validation");
  try {
    fn();
  } catch (e) {
    if (!(e instanceof TypeError || e instanceof RangeError)) throw e;
  } finally {
    const err = device.popErrorScopeSync();
    if (err !== null && !(err instanceof GPUError)) throw new Error(`popErrorScope gave ${String(err)}`);
  }
}
