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

/** Pushes one error scope per filter and runs `fn`: its result or what it threw (the caller pops). */
function inScopes<T>(device: { pushErrorScope(filter: GPUErrorFilter): undefined }, fn: () => T): { result: T | undefined; thrown: unknown } {
  for (const f of FILTERS) device.pushErrorScope(f);
  try {
    return { result: fn(), thrown: null };
  } catch (e) {
    return { result: undefined, thrown: e };
  }
}

/**
 * Runs `fn` inside one error scope per filter; returns its result, or throws the first error any of
 * its calls raised, as an error of the same class whose message starts with `ctx` (`cleanup` runs
 * first, to release what `fn` made).
 */
export function throwingErrors<T>(device: ScopedDevice, ctx: string, fn: () => T, cleanup?: (result: T | undefined) => void): T {
  const { result, thrown } = inScopes(device, fn);
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

interface AsyncScopedDevice {
  pushErrorScope(filter: GPUErrorFilter): undefined;
  popErrorScope(): Promise<globalThis.GPUError | GPUError | null>;
}

/**
 * throwingErrors for a device whose scopes answer later (a browser's): the same scopes around
 * `fn`, popped asynchronously; the error is rethrown as one of its own class (the browser's
 * GPUValidationError in a browser) whose message starts with `ctx`.
 */
export async function rejectingErrors<T>(device: AsyncScopedDevice, ctx: string, fn: () => T, cleanup?: (result: T | undefined) => void): Promise<T> {
  const { result, thrown } = inScopes(device, fn);
  const errors = await Promise.all(FILTERS.map(() => device.popErrorScope()));
  const error = errors.find((e) => e !== null) ?? null;
  if (thrown === null && error === null) return result as T;
  cleanup?.(result);
  if (thrown !== null) throw thrown;
  throw new (error!.constructor as new (message: string) => Error)(`${ctx}: ${error!.message}`);
}
