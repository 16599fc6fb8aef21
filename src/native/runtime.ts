// The process-wide native state: the loaded engine, its bound functions and the instance.
import { bindFunctions, type WgpuFunctions } from "./ffi/bind.ts";
import { loadEngine, type EngineIdentity } from "./engine/load.ts";
import { engineBehaviour, type EngineBehaviour } from "./engine/behaviour.ts";
import { markInstanceMade, writeInstanceDescriptor } from "./engine/instance-options.ts";
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
  // Backends and flags (WGPUInstanceExtras) are wgpu-native's; other engines get the defaults.
  const instance = withScratch((s) => fns.wgpuCreateInstance(loaded.name === "wgpu-native" ? writeInstanceDescriptor(s) : null));
  markInstanceMade();
  if (!instance) throw new Error(`wgpu-ts: wgpuCreateInstance failed in ${loaded.libraryPath}`);
  const { lib: _lib, ...engine } = loaded;
  runtime = { engine, fns, behaviour: engineBehaviour(engine.name, fns, instance), instance };
  return runtime;
}

/** True once the engine is loaded (report() does not load it just to report). */
export function isLoaded(): boolean {
  return runtime !== undefined;
}
