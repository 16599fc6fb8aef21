// The process-wide native state: the loaded engine, its bound functions and the instance.
import { bindFunctions, type WgpuFunctions } from "./ffi/bind.ts";
import { loadEngine, parseToggles, type EngineIdentity, type EngineOptions } from "./engine/load.ts";
import { startEngine, type EngineBehaviour, type EngineSettings } from "./engine/behaviour.ts";
import { markInstanceMade } from "./engine/instance-options.ts";
import { resolve } from "node:path";
import { functionDecls } from "./ffi/generated/webgpu.ts";
import { wrapForErrorContext } from "./error-context.ts";

export interface Runtime {
  engine: EngineIdentity;
  /** Where the engine was found (loadEngine's candidate): "checkout", an npm package's name, WGPU_LIB_PATH, ... */
  engineSource: string;
  fns: WgpuFunctions;
  behaviour: EngineBehaviour;
  instance: bigint;
}

let runtime: Runtime | undefined;
let chosen: EngineOptions = {};
/** Read by the engine at each request, so toggles given after load reach later adapters and devices. */
const settings: EngineSettings = {};

/**
 * Chooses the engine before first use (else WGPU_ENGINE / WGPU_LIB_PATH / WGPU_DAWN_TOGGLES, else
 * wgpu-native) and loads it now. Once an engine is loaded it stays for the process: asking for
 * another one then throws; Dawn toggles given then apply to the adapters and devices requested after.
 */
export function useEngine(options: EngineOptions = {}): EngineIdentity {
  if (runtime) {
    const { name, libraryPath } = runtime.engine;
    const other = (options.engine !== undefined && options.engine !== name) || (options.libPath !== undefined && resolve(options.libPath) !== libraryPath);
    if (other) throw new Error(`wgpu-ts: the engine is already loaded (${name} from ${libraryPath}); choose it before first use`);
    if (options.dawnToggles) settings.dawnToggles = options.dawnToggles;
    return runtime.engine;
  }
  chosen = { ...options };
  return rt().engine;
}

/** Loads the engine on first use; every native call goes through the returned functions. */
export function rt(): Runtime {
  if (runtime) return runtime;
  const loaded = loadEngine(chosen);
  // Each engine binds webgpu.h plus its own header: wgpu-native's wgpu.h has functions whose
  // names Dawn uses with other signatures (the multi-draw-indirect ones).
  const { fns, missing } = bindFunctions(loaded.lib, loaded.name === "wgpu-native" ? ["webgpu.h", "wgpu.h"] : ["webgpu.h"]);
  if (missing.includes("wgpuCreateInstance") || missing.includes("wgpuInstanceRequestAdapter")) {
    throw new Error(`wgpu-ts: ${loaded.libraryPath} lacks the core of webgpu.h (missing: ${missing.slice(0, 8).join(", ")})`);
  }
  // Engine errors name the call and objects they came from; strict mode throws from that call.
  wrapForErrorContext(fns as unknown as Record<string, unknown>, functionDecls);
  settings.dawnToggles = chosen.dawnToggles ?? parseToggles(process.env.WGPU_DAWN_TOGGLES);
  const { instance, behaviour } = startEngine(loaded.name, fns, loaded.lib, settings);
  markInstanceMade();
  const { lib: _lib, source: engineSource, ...engine } = loaded;
  runtime = { engine, engineSource, fns, behaviour, instance };
  return runtime;
}

/** True once the engine is loaded (report() does not load it just to report). */
export function isLoaded(): boolean {
  return runtime !== undefined;
}
