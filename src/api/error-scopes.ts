// Internal calls in error scopes of their own: an extra made of several API calls (readBuffer,
// computeWithBuffers) reports what went wrong as its own error, thrown or rejected, instead of
// letting its internal calls' errors reach the user's scopes or the console while it answers
// with zeros (wgpu-py raises too).
import { GPUError, GPUInternalError, GPUOutOfMemoryError, GPUValidationError } from "./errors.ts";

const FILTERS = ["validation", "out-of-memory", "internal"] as const;

interface ScopedDevice {
  pushErrorScope(filter: GPUErrorFilter): undefined;
  popErrorScopeSync(): globalThis.GPUError | GPUError | null;
}

/**
 * Runs `fn` inside one error scope per filter; returns its result, or throws the first error any of
 * its calls raised, as an error of the same class whose message starts with `ctx` (`cleanup` runs
 * first, to release what `fn` made).
 */
export function throwingErrors<T>(device: ScopedDevice, ctx: string, fn: () => T, cleanup?: (result: T | undefined) => void): T {
  for (const f of FILTERS) device.pushErrorScope(f);
  let result: T | undefined;
  let thrown: unknown = null;
  try {
    result = fn();
  } catch (e) {
    thrown = e;
  }
  let error: globalThis.GPUError | GPUError | null = null;
  for (let i = 0; i < FILTERS.length; i++) error = device.popErrorScopeSync() ?? error;
  if (thrown === null && error === null) return result as T;
  cleanup?.(result);
  if (thrown !== null) throw thrown;
  const message = `${ctx}: ${error!.message}`;
  throw error instanceof GPUOutOfMemoryError
    ? new GPUOutOfMemoryError(message)
    : error instanceof GPUInternalError
      ? new GPUInternalError(message)
      : new GPUValidationError(message);
}
