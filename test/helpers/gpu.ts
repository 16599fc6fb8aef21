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

/** A device of its own, from an adapter of its own (an adapter gives one device, as the spec says). */
export function freshDevice(descriptor?: GPUDeviceDescriptor): GPUDevice {
  const adapter = gpu.requestAdapterSync();
  if (!adapter) throw new Error("no adapter: is lavapipe installed (npm run setup)?");
  return adapter.requestDeviceSync(descriptor);
}

/** Runs `fn` inside a validation error scope and returns the error it raised, if any. */
export async function validationErrorOf(device: GPUDevice, fn: () => void): Promise<GPUError | null> {
  device.pushErrorScope("validation");
  fn();
  return device.popErrorScope();
}
