// Turns the generated declarations into koffi types and bound functions.
import koffi, { type LibraryHandle, type TypeObject } from "koffi";
import { callbackDecls, functionDecls, structDecls, type KoffiFields, type WgpuFunctions } from "./generated/webgpu.ts";

export type { WgpuFunctions, Pointer } from "./generated/webgpu.ts";

let declared = false;
const callbackTypes = new Map<string, TypeObject>();

function fieldsObject(owner: string, fields: KoffiFields): Record<string, string | TypeObject> {
  const out: Record<string, string | TypeObject> = {};
  for (const [name, type] of fields) {
    out[name] = typeof type === "string" ? type : koffi.union(`${owner}_${name}`, fieldsObject(owner, type));
  }
  return out;
}

/** Declares every struct and callback type once per process (koffi's type names are global). */
export function declareTypes(): void {
  if (declared) return;
  declared = true;
  for (const [name, fields] of structDecls) koffi.struct(name, fieldsObject(name, fields));
  for (const [name, decl] of Object.entries(callbackDecls)) {
    callbackTypes.set(name, koffi.pointer(koffi.proto(name, decl.ret, decl.params)));
  }
}

/** The koffi struct type of a generated struct, for `koffi.decode` and by-value arguments. */
export function structType(name: string): TypeObject {
  declareTypes();
  return koffi.type(name);
}

/**
 * Registers a JS function as a permanent C callback of a `WGPU*Callback` type and returns its
 * pointer. Each callback kind is registered once; `userdata1` routes calls to the right request.
 */
export function registerCallback(type: string, fn: (...args: never[]) => void): bigint {
  declareTypes();
  const t = callbackTypes.get(type);
  if (!t) throw new Error(`wgpu-ts: unknown callback type ${type}`);
  const f = fn as (...args: unknown[]) => unknown;
  // Nothing may be thrown back into the engine's stack: report it and carry on.
  const guarded = (...args: unknown[]) => {
    callbackDepth++;
    try {
      f(...args);
    } catch (e) {
      process.stderr.write(`wgpu-ts: a ${type} threw (ignored): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    } finally {
      callbackDepth--;
    }
  };
  return koffi.register(guarded, t) as unknown as bigint;
}

let callbackDepth = 0;

/** True while the engine is calling one of our callbacks (a throw cannot go back through it). */
export function insideEngineCallback(): boolean {
  return callbackDepth > 0;
}

export interface BoundLibrary {
  fns: WgpuFunctions;
  /** webgpu.h functions the library does not export. */
  missing: string[];
}

/** Binds the functions the given headers declare (webgpu.h, plus the engine's own header). */
export function bindFunctions(lib: LibraryHandle, headers: readonly string[]): BoundLibrary {
  declareTypes();
  const fns: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const [name, decl] of Object.entries(functionDecls)) {
    if (!headers.includes(decl.header)) continue;
    try {
      fns[name] = lib.func(name, decl.ret, decl.params);
    } catch {
      if (decl.header === "webgpu.h") missing.push(name);
    }
  }
  return { fns: fns as unknown as WgpuFunctions, missing };
}
