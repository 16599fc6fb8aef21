// The process-wide native state: the loaded engine, its bound functions and the instance.
import { bindFunctions, type WgpuFunctions } from "./ffi/bind.ts";
import { loadEngine, type EngineIdentity } from "./engine/load.ts";
import { engineBehaviour, type EngineBehaviour } from "./engine/behaviour.ts";
import { existsSync, readdirSync } from "node:fs";
import { layout, WGPUInstanceBackend, WGPUNativeSType } from "./ffi/generated/webgpu.ts";
import { withScratch } from "./convert/scratch.ts";

export interface Runtime {
  engine: EngineIdentity;
  fns: WgpuFunctions;
  behaviour: EngineBehaviour;
  instance: bigint;
}

let runtime: Runtime | undefined;

/** Loads the engine on first use; every native call goes through the returned functions. */
export function rt(): Runtime {
  if (runtime) return runtime;
  const loaded = loadEngine();
  const { fns, missing } = bindFunctions(loaded.lib);
  if (missing.includes("wgpuCreateInstance") || missing.includes("wgpuInstanceRequestAdapter")) {
    throw new Error(`wgpu-ts: ${loaded.libraryPath} lacks the core of webgpu.h (missing: ${missing.slice(0, 8).join(", ")})`);
  }
  const instance = loaded.name === "wgpu-native" ? createWgpuNativeInstance(fns) : fns.wgpuCreateInstance(null);
  if (!instance) throw new Error(`wgpu-ts: wgpuCreateInstance failed in ${loaded.libraryPath}`);
  const { lib: _lib, ...engine } = loaded;
  runtime = { engine, fns, behaviour: engineBehaviour(engine.name, fns, instance), instance };
  return runtime;
}

/** True once the engine is loaded (report() does not load it just to report). */
export function isLoaded(): boolean {
  return runtime !== undefined;
}

const backendNames: Record<string, number> = {
  vulkan: WGPUInstanceBackend.Vulkan,
  gl: WGPUInstanceBackend.GL,
  metal: WGPUInstanceBackend.Metal,
  dx12: WGPUInstanceBackend.DX12,
  primary: WGPUInstanceBackend.Primary,
  secondary: WGPUInstanceBackend.Secondary,
  all: WGPUInstanceBackend.All,
};

/**
 * The backends of wgpu-native's instance: WGPU_BACKEND (wgpu's names, comma separated) if set;
 * else the primary ones (Vulkan, Metal, DX12) where a Vulkan driver is installed or the platform
 * is not Linux; else all. Leaving GL out where it is not needed saves its EGL set-up, about
 * 150 ms of every process start (measured with lavapipe: 230 ms -> 70 ms for the instance).
 */
export function wgpuNativeBackends(): number {
  const named = process.env.WGPU_BACKEND;
  if (named) return named.split(",").reduce((bits, n) => bits | (backendNames[n.trim().toLowerCase()] ?? 0), 0);
  if (process.platform !== "linux") return WGPUInstanceBackend.Primary;
  if (process.env.VK_DRIVER_FILES || process.env.VK_ICD_FILENAMES || process.env.VK_ADD_DRIVER_FILES) return WGPUInstanceBackend.Primary;
  const dirs = ["/usr/share/vulkan/icd.d", "/etc/vulkan/icd.d", "/usr/local/share/vulkan/icd.d"];
  const hasIcd = dirs.some((d) => existsSync(d) && readdirSync(d).some((f) => f.endsWith(".json")));
  return hasIcd ? WGPUInstanceBackend.Primary : WGPUInstanceBackend.All;
}

function createWgpuNativeInstance(fns: WgpuFunctions): bigint | null {
  const backends = wgpuNativeBackends();
  return withScratch((s) => {
    const D = layout.WGPUInstanceDescriptor;
    const X = layout.WGPUInstanceExtras;
    const desc = s.alloc(D.$size);
    const extras = s.alloc(X.$size);
    s.u32(extras + X.chain + layout.WGPUChainedStruct.sType, WGPUNativeSType.InstanceExtras);
    s.u64(extras + X.backends, backends);
    s.ptr(desc + D.nextInChain, s.addr(extras));
    return fns.wgpuCreateInstance(s.addr(desc));
  });
}
