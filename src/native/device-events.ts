// Routing of the engine's device-lost and uncaptured-error callbacks to JS devices.
// Both callbacks are always installed: wgpu-native's defaults abort the process.
import { GPUInternalError, GPUOutOfMemoryError, GPUValidationError, type GPUError } from "../api/errors.ts";
import { WGPUDeviceLostReason, WGPUErrorFilter, WGPUErrorType, WGPUPopErrorScopeStatus } from "./ffi/generated/webgpu.ts";
import { pump } from "./pump.ts";
import { rt } from "./runtime.ts";
import { registerCallback } from "./ffi/bind.ts";
import { readStringView, type StringViewValue } from "./convert/strings.ts";

export interface DeviceSink {
  onLost(reason: GPUDeviceLostReason, message: string): void;
  onUncapturedError(error: GPUError): void;
  /** Blocks until the device's submitted work is done (skipped when it is lost or released). */
  waitIdleAtExit(): void;
}

const sinks = new Map<number, WeakRef<DeviceSink>>();
let nextId = 1;
let lostCallback = 0n;
let errorCallback = 0n;

/** Makes a GPUError of the engine's error type, carrying its message. */
export function makeError(type: number, message: string): GPUError | null {
  switch (type) {
    case WGPUErrorType.NoError:
      return null;
    case WGPUErrorType.Validation:
      return new GPUValidationError(message);
    case WGPUErrorType.OutOfMemory:
      return new GPUOutOfMemoryError(message);
    default:
      return new GPUInternalError(message);
  }
}

/** Reserves a routing id and returns the callback pointers to put in the device descriptor. */
export function deviceCallbacks(): { id: number; lost: bigint; uncapturedError: bigint; forget(): void } {
  if (!lostCallback) {
    lostCallback = registerCallback("WGPUDeviceLostCallback", ((_device: unknown, reason: number, message: StringViewValue, userdata1: bigint) => {
      const id = Number(userdata1);
      const sink = sinks.get(id)?.deref();
      sinks.delete(id);
      // CallbackCancelled: the device was released, nobody is left to tell.
      if (!sink || reason === WGPUDeviceLostReason.CallbackCancelled) return;
      sink.onLost(reason === WGPUDeviceLostReason.Destroyed ? "destroyed" : "unknown", readStringView(message));
    }) as (...args: never[]) => void);
    errorCallback = registerCallback("WGPUUncapturedErrorCallback", ((_device: unknown, type: number, message: StringViewValue, userdata1: bigint) => {
      const error = makeError(type, readStringView(message));
      if (error) sinks.get(Number(userdata1))?.deref()?.onUncapturedError(error);
    }) as (...args: never[]) => void);
  }
  const id = nextId++;
  return { id, lost: lostCallback, uncapturedError: errorCallback, forget: () => sinks.delete(id) };
}

export function attachSink(id: number, sink: DeviceSink): void {
  sinks.set(id, new WeakRef(sink));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Leaving while the GPU still works crashes the driver's exit handlers (lavapipe segfaults):
    // wait for every live device first.
    process.once("exit", () => {
      for (const ref of sinks.values()) ref.deref()?.waitIdleAtExit();
    });
  }
}

let exitHookInstalled = false;

/**
 * Runs `fn` inside engine error scopes and returns the first error it raised, so that the
 * error reaches the caller instead of the device's listeners (used to stand in for engine
 * functions that wgpu-native leaves unimplemented, and to make invalid objects on purpose).
 */
export function captureEngineErrors<T>(device: bigint, fn: () => T): { result: T; error: GPUError | null } {
  const { fns } = rt();
  // wgpu-native aborts on the Internal filter ("invalid error filter").
  const filters = [WGPUErrorFilter.Validation, WGPUErrorFilter.OutOfMemory];
  for (const f of filters) fns.wgpuDevicePushErrorScope(device, f);
  let result: T;
  let error: GPUError | null = null;
  try {
    result = fn();
  } finally {
    for (let i = 0; i < filters.length; i++) {
      const { op, callbackInfo } = pump.begin("WGPUPopErrorScopeCallback", (status: number, type: number, message: StringViewValue) =>
        status === WGPUPopErrorScopeStatus.Success ? makeError(type, readStringView(message)) : null,
      );
      fns.wgpuDevicePopErrorScope(device, callbackInfo);
      error ??= op.wait();
    }
  }
  return { result, error };
}
