// The guard around every entry point of the native classes (DESIGN.md §4): the one place that
// makes argument conversion safe against the caller's own code running in the middle of a call (a
// getter, `valueOf`, an iterator, an error event listener).
// - `this` is brand-checked: a Proxy or `Object.create(GPUBuffer.prototype)` is a TypeError that
//   names the method, not "Cannot read private member".
// - Dictionary arguments are read once, in Web IDL's order, into a snapshot (convert/snapshot.ts),
//   so that every check and the C call see the values of one read.
// - Objects are tagged with their device as they are made, and an object of another device as an
//   argument is a validation error of the call where the object can take one, else a TypeError
//   (object.ts handleOf).
// - `destroy()` and `[Symbol.dispose]()` called while a call is in progress are deferred until the
//   outermost call returns: an object read by the call stays alive (and undestroyed) until the
//   engine has it, and the engine never sees a released handle.
// The hot pass-encoder methods (HOT) are left unwrapped for speed; each of them converts its
// numbers and sequences before it reads any handle, so no user code runs between a handle's read
// and the call, and a disposed object is a TypeError there.
import { dictionaryArguments, type IdlType } from "./ffi/generated/dictionaries.ts";
import { compileType, setPlatformObjectCheck, snapshot, type SnapshotType } from "./convert/snapshot.ts";
import { describeForeign, enterCallOwner, isDeviceMismatch, isNative, NOT_TAKEN, ON_DEVICE_MISMATCH, ownerOf, setOwner } from "./object.ts";

setPlatformObjectCheck(isNative);

let depth = 0;
let deferred: (() => void)[] = [];

/** Whether an entry point is running (user code that runs now runs inside a call). */
export function inCall(): boolean {
  return depth > 0;
}

/** Runs the deferred destroy/dispose calls; the first error, if any, is thrown after all ran. */
function runDeferred(): void {
  let error: unknown = null;
  let failed = false;
  while (deferred.length) {
    const list = deferred;
    deferred = [];
    for (const op of list) {
      try {
        op();
      } catch (e) {
        if (!failed) [failed, error] = [true, e];
      }
    }
  }
  if (failed) throw error;
}

/** Pass-encoder commands: not wrapped (see above). */
const HOT = new Set<PropertyKey>(
  "setBindGroup setImmediates setPipeline setVertexBuffer setIndexBuffer draw drawIndexed drawIndirect drawIndexedIndirect dispatchWorkgroups dispatchWorkgroupsIndirect".split(
    " ",
  ),
);
const ENDING = new Set<PropertyKey>(["destroy", Symbol.dispose]);

/** The dictionary arguments of extras (not in webgpu.idl), snapshotted as the IDL's are. */
const EXTENT: IdlType = ["or", ["seq", "n"], "d:GPUExtent3DDict"];
const extraArguments: Record<string, Record<string, readonly (readonly [number, string, IdlType])[]>> = {
  GPUQueue: {
    readTexture: [
      [0, "source", "d:GPUTexelCopyTextureInfo"],
      [2, "size", EXTENT],
    ],
  },
};

type Args = readonly (readonly [number, string, SnapshotType])[] | undefined;

function wrapMethod(ctx: string, cls: string, fn: (...a: unknown[]) => unknown, args: Args, ending: boolean, brand: boolean) {
  const wrapped = function (this: unknown, ...a: unknown[]): unknown {
    if (brand && !isNative(this)) throw new TypeError(`${ctx}: this must be a ${cls}, got ${describeForeign(this)}`);
    if (ending && depth > 0) {
      deferred.push(() => fn.apply(this, a));
      return undefined;
    }
    return call(fn, this, a, brand ? (ownerOf(this as object) ?? null) : null, ctx, args);
  };
  Object.defineProperty(wrapped, "name", { value: fn.name });
  Object.defineProperty(wrapped, "length", { value: fn.length });
  return wrapped;
}

/** One guarded call: `owner` is the call's device, `args` the dictionary arguments to snapshot. */
function call(fn: (...a: unknown[]) => unknown, self: unknown, a: unknown[], owner: Owner | null, ctx: string, args: Args): unknown {
  const ownerBefore = enterCallOwner(owner);
  depth++;
  let result: unknown;
  try {
    if (args) for (const [i, member, type] of args) if (i < a.length) a[i] = snapshot(ctx, member, a[i], type);
    result = fn.apply(self, a);
  } catch (e) {
    enterCallOwner(ownerBefore);
    let taken: unknown = NOT_TAKEN;
    try {
      if (isDeviceMismatch(e)) taken = tookMismatch(self, fn.name, e.message);
    } finally {
      const asValidationError = taken !== NOT_TAKEN;
      // On a strict device the validation error is thrown from tookMismatch: the depth unwinds all
      // the same (it once stayed up, and every later destroy() and dispose was deferred for good).
      if (--depth === 0 && deferred.length) (asValidationError ? runDeferred : runDeferredAfterError)();
    }
    if (taken !== NOT_TAKEN) return taken;
    throw e;
  }
  enterCallOwner(ownerBefore);
  try {
    if (owner !== null) ownResult(result, owner); // a patched Promise.prototype.then may throw
  } finally {
    if (--depth === 0 && deferred.length) runDeferred();
  }
  return result;
}

/** What the call returns where `self` took a device mismatch of its method `name` as a validation error, else NOT_TAKEN (object.ts isDeviceMismatch). */
function tookMismatch(self: unknown, name: string, message: string): unknown {
  const take = (self as { [ON_DEVICE_MISMATCH]?: (method: string, message: string) => unknown } | null)?.[ON_DEVICE_MISMATCH];
  return typeof take === "function" ? take.call(self, name, message) : NOT_TAKEN;
}

type Owner = NonNullable<ReturnType<typeof ownerOf>>;

/** What a call of a device's object made is that device's too (for the cross-device checks of handleOf). */
function ownResult(result: unknown, owner: Owner): void {
  if (isNative(result)) {
    if (ownerOf(result) === undefined) setOwner(result, owner);
  } else if (result instanceof Promise) {
    result.then(
      (v) => isNative(v) && ownerOf(v) === undefined && setOwner(v, owner),
      () => {}, // the caller's promise carries the rejection
    );
  }
}

/** After a call that threw: the deferred calls still run; the call's own error is the one the caller sees. */
function runDeferredAfterError(): void {
  try {
    runDeferred();
  } catch {
    // The first error wins.
  }
}

function wrapAccessor(ctx: string, cls: string, fn: (this: unknown, ...a: unknown[]) => unknown) {
  return function (this: unknown, ...a: unknown[]): unknown {
    if (!isNative(this)) throw new TypeError(`${ctx}: this must be a ${cls}, got ${describeForeign(this)}`);
    return fn.apply(this, a);
  };
}

const guarded = new WeakSet<object>();
/** The IDL names of the shared bases, for error messages. */
const baseNames: Record<string, string> = { Native: "GPUObjectBase", EncoderCommands: "GPUBindingCommandsMixin", RenderCommands: "GPURenderCommandsMixin" };

/**
 * Wraps the methods and accessors of `cls` and of its bases up to the native root (each once). `brand` is false for classes that are not native objects (GPU).
 */
export function guardClass(cls: abstract new (...args: never[]) => object, brand = true): void {
  for (
    let proto = cls.prototype as object | null;
    proto && proto !== Object.prototype && proto !== EventTarget.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    if (guarded.has(proto)) continue;
    guarded.add(proto);
    const own = (proto as { constructor: { name: string } }).constructor.name;
    const name = own.startsWith("GPU") ? own : (baseNames[own] ?? cls.name);
    for (const key of Reflect.ownKeys(proto)) {
      if (key === "constructor" || (typeof key === "symbol" && key !== Symbol.dispose) || HOT.has(key)) continue;
      const desc = Object.getOwnPropertyDescriptor(proto, key)!;
      const member = typeof key === "symbol" ? "[Symbol.dispose]" : key;
      const ctx = `${name}.${member}`;
      if (typeof desc.value === "function") {
        const idlMethod = typeof key === "string" ? key.replace(/(?<=.)Sync$/, "") : "";
        const args = (dictionaryArguments[name]?.[idlMethod] ?? extraArguments[name]?.[idlMethod])?.map(
          ([i, member, type]) => [i, member, compileType(type)] as const,
        );
        Object.defineProperty(proto, key, { ...desc, value: wrapMethod(ctx, name, desc.value, args, ENDING.has(key), brand) });
      } else if (brand && (desc.get || desc.set)) {
        Object.defineProperty(proto, key, {
          ...desc,
          get: desc.get && wrapAccessor(ctx, name, desc.get),
          set: desc.set && wrapAccessor(ctx, name, desc.set),
        });
      }
    }
  }
}

/**
 * The guard for a function that takes native objects (the wgpu-ts/native extras): deferral as for
 * methods, the device of its first argument as the call's device.
 */
export function guardFunction<F extends (...args: never[]) => unknown>(fn: F): F {
  const wrapped = function (this: unknown, ...a: unknown[]): unknown {
    return call(fn as unknown as (...args: unknown[]) => unknown, this, a, isNative(a[0]) ? (ownerOf(a[0]) ?? null) : null, fn.name, undefined);
  };
  Object.defineProperty(wrapped, "name", { value: fn.name });
  Object.defineProperty(wrapped, "length", { value: fn.length });
  return wrapped as unknown as F;
}
