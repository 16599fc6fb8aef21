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

/** Runs `fn` inside a validation error scope and returns the error it raised, if any. */
export async function validationErrorOf(device: GPUDevice, fn: () => void): Promise<GPUError | null> {
  device.pushErrorScope("validation");
  fn();
  return device.popErrorScope();
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
