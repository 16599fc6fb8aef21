// What happens to an uncaptured GPU error that no listener took: like a browser console, it is
// printed once per distinct message, naming the device, the objects of the failing call (with
// their labels) and the caller's line; repeats are counted rather than printed again.
import type { GPUError } from "./errors.ts";

const seen = new Map<string, number>();
let exitHookInstalled = false;

export function reportUncapturedError(error: GPUError, deviceLabel: string, origin = ""): void {
  const key = `${error.constructor.name}: ${error.message}`;
  const count = seen.get(key) ?? 0;
  seen.set(key, count + 1);
  if (count > 0) return;
  const where = [deviceLabel ? `on device "${deviceLabel}"` : "", origin].filter(Boolean).join(" ");
  const body = error.message.trimEnd().replace(/\n/g, "\n  ");
  const hint = seen.size === 1 ? "\n  (handle these with error scopes or an 'uncapturederror' listener; WGPU_STRICT=1 throws them where they happen)" : "";
  process.stderr.write(`wgpu-ts: uncaptured ${error.constructor.name}${where ? ` ${where}` : ""}:\n  ${body}${hint}\n`);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", () => {
      const repeated = [...seen].filter(([, n]) => n > 1);
      for (const [key, n] of repeated) process.stderr.write(`wgpu-ts: (${firstLines(key)}) repeated ${n - 1} more time(s)\n`);
    });
  }
}

/** The error's class and the first lines of its message that say something. */
function firstLines(key: string): string {
  return key
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && l !== "Caused by:")
    .slice(0, 3)
    .join(" / ");
}

/** Uncaptured errors seen so far, by message, with their counts. */
export function uncapturedErrorCounts(): Record<string, number> {
  return Object.fromEntries(seen);
}
