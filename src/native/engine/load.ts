// Finding, loading and identifying the native WebGPU library.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import koffi, { type LibraryHandle } from "koffi";

/** The package root: this file sits at src/native/engine/ (or dist/native/engine/). */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

export interface EngineIdentity {
  /** "wgpu-native" or "dawn". */
  name: string;
  version: string;
  libraryPath: string;
}

export interface LoadedEngine extends EngineIdentity {
  lib: LibraryHandle;
}

const installHint =
  "Run `npm run setup` in the wgpu-ts checkout (or `node scripts/install-engines.mjs`) to install wgpu-native, " +
  "or set WGPU_LIB_PATH to the path of a WebGPU engine library (libwgpu_native.so or libwebgpu_dawn.so).";

/** Where the engine is looked for, in order: WGPU_LIB_PATH, then the installed engine. */
export function candidatePaths(): { path: string; source: string }[] {
  const fromEnv = process.env.WGPU_LIB_PATH;
  if (fromEnv) return [{ path: resolve(fromEnv), source: "WGPU_LIB_PATH" }];
  return [{ path: join(packageRoot, "vendor", "engines", "wgpu-native", "lib", "libwgpu_native.so"), source: "installed wgpu-native" }];
}

function versionString(lib: LibraryHandle): { name: string; version: string } {
  // wgpu-native exports wgpuGetVersion (wgpu.h), packing major.minor.patch.build into one byte each.
  try {
    const getVersion = lib.func("wgpuGetVersion", "uint32_t", []) as () => number;
    const v = getVersion();
    return { name: "wgpu-native", version: [v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff].join(".") };
  } catch {
    return { name: "unknown", version: "unknown" };
  }
}

export function loadEngine(): LoadedEngine {
  const tried: string[] = [];
  for (const { path, source } of candidatePaths()) {
    if (!existsSync(path)) {
      tried.push(`${path} (${source}): no such file`);
      continue;
    }
    let lib: LibraryHandle;
    try {
      lib = koffi.load(path);
    } catch (e) {
      tried.push(`${path} (${source}): ${(e as Error).message}`);
      continue;
    }
    try {
      lib.func("wgpuCreateInstance", "void *", ["void *"]);
    } catch {
      tried.push(`${path} (${source}): loads, but exports no wgpuCreateInstance, so it is not a WebGPU engine`);
      continue;
    }
    return { lib, libraryPath: path, ...versionString(lib) };
  }
  throw new Error(`wgpu-ts: could not load a WebGPU engine. Tried:\n  ${tried.join("\n  ")}\n${installHint}`);
}
