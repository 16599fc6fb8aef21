// What happens to an uncaptured GPU error that no listener took: like a browser console, it is
// printed once per distinct message, and repeats are counted rather than printed again.
import type { GPUError } from "./errors.ts";

const seen = new Map<string, number>();
let exitHookInstalled = false;

export function reportUncapturedError(error: GPUError, deviceLabel: string): void {
  const key = `${error.constructor.name}: ${error.message}`;
  const count = seen.get(key) ?? 0;
  seen.set(key, count + 1);
  if (count > 0) return;
  const where = deviceLabel ? ` on device "${deviceLabel}"` : "";
  process.stderr.write(`wgpu-ts: uncaptured ${error.constructor.name}${where}: ${error.message}\n`);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", () => {
      const repeated = [...seen].filter(([, n]) => n > 1);
      for (const [key, n] of repeated) process.stderr.write(`wgpu-ts: (${key.split("\n")[0]}) repeated ${n - 1} more time(s)\n`);
    });
  }
}

/** Uncaptured errors seen so far, by message, with their counts. */
export function uncapturedErrorCounts(): Record<string, number> {
  return Object.fromEntries(seen);
}
