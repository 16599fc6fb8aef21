// The GPU watchdog (issue 14, class 6): a device whose GPU does not finish its work within a
// bound is lost, as browsers lose a device after a GPU timeout, instead of hanging every wait on
// it (an endless loop in a shader never ends on lavapipe). The bound is per device:
// `requestDevice({ watchdogMs })`, else WGPU_WATCHDOG_MS, else DEFAULT_WATCHDOG_MS.

/** Long enough for any real job on a CPU rasterizer; short enough that a hung program ends. */
export const DEFAULT_WATCHDOG_MS = 30_000;

export function watchdogFromEnv(value = process.env.WGPU_WATCHDOG_MS): number {
  const ms = value === undefined || value.trim() === "" ? Number.NaN : Number(value);
  return Number.isFinite(ms) && ms > 0 ? ms : DEFAULT_WATCHDOG_MS;
}

interface Watched {
  ms: number;
  /** Loses the device: the GPU did not finish within `ms`. */
  lose(message: string): void;
}

const watched = new Map<bigint, WeakRef<Watched>>();

export function watchDevice(handle: bigint, entry: Watched): void {
  watched.set(handle, new WeakRef(entry));
}

export function unwatchDevice(handle: bigint): void {
  watched.delete(handle);
}

/** The device's bound in ms (the default for a device wgpu-ts does not know). */
export function watchdogMs(handle: bigint | null): number {
  return (handle !== null && watched.get(handle)?.deref()?.ms) || watchdogFromEnv();
}

/** The GPU of `handle` did not finish within its bound: the device is lost. */
export function fireWatchdog(handle: bigint, waitedMs: number): void {
  const entry = watched.get(handle)?.deref();
  watched.delete(handle);
  entry?.lose(`the GPU did not finish its work within ${Math.round(waitedMs)} ms (the watchdog: requestDevice({ watchdogMs }) or WGPU_WATCHDOG_MS)`);
}
