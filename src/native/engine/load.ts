// Choosing, finding, loading and identifying the native WebGPU library.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import koffi, { type LibraryHandle } from "koffi";
import { findInstalledEngine, enginePackageName } from "./installed.ts";
import { packageRoot } from "./package-root.ts";

/** The engines wgpu-ts knows how to drive. */
export const engineNames = ["wgpu-native", "dawn"] as const;
export type EngineName = (typeof engineNames)[number];

/** Dawn's toggles (its switches for workarounds and unsafe features), by name. */
export interface DawnToggles {
  enable?: readonly string[];
  disable?: readonly string[];
}

/** How to choose the engine; every member falls back to its environment variable. */
export interface EngineOptions {
  /** `"wgpu-native"` (the default) or `"dawn"`; else WGPU_ENGINE. */
  engine?: EngineName;
  /** A library to load, whatever engine it is (detected); else WGPU_LIB_PATH. */
  libPath?: string;
  /** Dawn only: toggles for the instance, every adapter and every device; else WGPU_DAWN_TOGGLES. */
  dawnToggles?: DawnToggles;
}

export interface EngineIdentity {
  name: EngineName;
  version: string;
  libraryPath: string;
}

export interface LoadedEngine extends EngineIdentity {
  lib: LibraryHandle;
  /** Where it was found: "WGPU_LIB_PATH", "libPath option", "checkout" or the npm package's name. */
  source: string;
}

/** The checkout's engines (scripts/install-engines.mjs puts them there), before the installed packages. */
const checkout: Record<EngineName, string> = {
  "wgpu-native": "vendor/engines/wgpu-native/lib/libwgpu_native.so",
  dawn: "vendor/engines/dawn/lib/libwebgpu_dawn.so",
};

const installHint = () =>
  `\`npm install wgpu-ts\` brings wgpu-native for Linux x64 (${enginePackageName("wgpu-native")} here); Dawn is \`npm install ${enginePackageName("dawn")}\`. ` +
  "In a wgpu-ts checkout, `npm run setup` (or `node scripts/install-engines.mjs`) installs both. " +
  `Or set WGPU_LIB_PATH to the path of a WebGPU engine library (libwgpu_native.so or libwebgpu_dawn.so).`;

/** The engine asked for by name (option, then WGPU_ENGINE), if any. */
export function requestedEngine(options: EngineOptions = {}): EngineName | undefined {
  const name = options.engine ?? (process.env.WGPU_ENGINE || undefined);
  if (name !== undefined && !(engineNames as readonly string[]).includes(name)) {
    throw new Error(`wgpu-ts: unknown engine "${name}" (from ${options.engine ? "the engine option" : "WGPU_ENGINE"}); known: ${engineNames.join(", ")}`);
  }
  return name as EngineName | undefined;
}

/**
 * Where the engine is looked for: the libPath option or WGPU_LIB_PATH; else the engine asked for in
 * the checkout's vendor/engines/, then its installed npm package (a candidate without a path says why).
 */
export function candidatePaths(options: EngineOptions = {}): { path?: string; source: string; problem?: string }[] {
  const libPath = options.libPath ?? (process.env.WGPU_LIB_PATH || undefined);
  if (libPath) return [{ path: resolve(libPath), source: options.libPath ? "libPath option" : "WGPU_LIB_PATH" }];
  const engine = requestedEngine(options) ?? "wgpu-native";
  const found = findInstalledEngine(engine);
  return [
    { path: join(packageRoot, checkout[engine]), source: "checkout" },
    "problem" in found ? { source: enginePackageName(engine), problem: found.problem } : { path: found.libraryPath, source: found.packageName },
  ];
}

function exports(lib: LibraryHandle, symbol: string): boolean {
  try {
    lib.func(symbol, "void", []);
    return true;
  } catch {
    return false;
  }
}

/**
 * Which engine a library is, from what it exports: wgpu-native has wgpuGetVersion (wgpu.h);
 * Dawn has its own extensions (wgpuDeviceTick, wgpuAdapterCreateDevice) and no version call, so its
 * version comes from the ENGINE.json that install-engines.mjs writes beside lib/.
 */
function identify(lib: LibraryHandle, path: string): { name: EngineName; version: string } | undefined {
  if (exports(lib, "wgpuGetVersion")) {
    const v = (lib.func("wgpuGetVersion", "uint32_t", []) as () => number)();
    return { name: "wgpu-native", version: [v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff].join(".") };
  }
  if (exports(lib, "wgpuDeviceTick") && exports(lib, "wgpuAdapterCreateDevice")) {
    let version = "unknown";
    try {
      const info = JSON.parse(readFileSync(join(dirname(path), "..", "ENGINE.json"), "utf8")) as { engine?: string; version?: string };
      if (info.engine === "dawn" && info.version) version = info.version;
    } catch {
      // not an installed copy: the version stays unknown
    }
    return { name: "dawn", version };
  }
  return undefined;
}

/**
 * Native calls run on koffi's own stack (2 MiB by default), where a shader compiler recursing over
 * deeply nested code overflows first; 16 MiB (koffi's maximum, reserved, touched only as used)
 * gives the compilers eight times the room. koffi takes this only before its first library load:
 * when another module loaded one first, the default stays, and wgsl-limits.ts still bounds the code.
 */
export const NATIVE_STACK_BYTES = 16 * 2 ** 20;

function growNativeStack(): void {
  try {
    if ((koffi.config().sync_stack_size ?? 0) < NATIVE_STACK_BYTES) koffi.config({ sync_stack_size: NATIVE_STACK_BYTES });
  } catch {
    // a library is loaded already: koffi keeps its stack
  }
}

export function loadEngine(options: EngineOptions = {}): LoadedEngine {
  growNativeStack();
  const wanted = requestedEngine(options);
  const tried: string[] = [];
  for (const { path, source, problem } of candidatePaths(options)) {
    if (path === undefined) {
      tried.push(`${source}: ${problem}`);
      continue;
    }
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
    if (!exports(lib, "wgpuCreateInstance")) {
      tried.push(`${path} (${source}): loads, but exports no wgpuCreateInstance, so it is not a WebGPU engine`);
      continue;
    }
    const id = identify(lib, path);
    if (!id) {
      tried.push(`${path} (${source}): a webgpu.h library, but neither wgpu-native (no wgpuGetVersion) nor Dawn (no wgpuDeviceTick)`);
      continue;
    }
    if (wanted && id.name !== wanted) {
      tried.push(`${path} (${source}): is ${id.name}, but ${wanted} was asked for`);
      continue;
    }
    return { lib, libraryPath: path, source, ...id };
  }
  throw new Error(`wgpu-ts: could not load a WebGPU engine. Tried:\n  ${tried.join("\n  ")}\n${installHint()}`);
}

/** Parses WGPU_DAWN_TOGGLES: names separated by commas, a leading "-" disables one. */
export function parseToggles(text: string | undefined): DawnToggles | undefined {
  const names = (text ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  if (names.length === 0) return undefined;
  return { enable: names.filter((n) => !n.startsWith("-")), disable: names.filter((n) => n.startsWith("-")).map((n) => n.slice(1)) };
}
