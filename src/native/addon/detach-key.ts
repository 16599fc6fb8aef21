// Mapped ranges and the spec's detach key (https://www.w3.org/TR/webgpu/#dom-gpubuffer-getmappedrange):
// a range over the engine's memory must not be detachable by user code, else
// `range.transfer()` makes an alias that survives unmap and reads or writes freed memory. The
// addon (detach-key.cc, built per Node ABI by `npm run build:native`) sets V8's detach key on
// such a range; `transfer()` then throws a TypeError as in a browser, and only wgpu-ts, holding
// the key, detaches it. Without the addon (not built, another ABI, WGPU_TS_DETACH_KEY=0, Node
// before 24) a range is a JS-owned copy instead, written back at unmap: nothing the user can
// reach is ever freed (a copy transferred away before unmap takes its bytes with it).
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../engine/package-root.ts";

interface Addon {
  setDetachKey(buffer: ArrayBuffer, key: object): void;
  detach(buffer: ArrayBuffer, key: object): boolean;
}

/** The addon's path for this Node's ABI. */
export function detachKeyAddonPath(): string {
  return join(packageRoot, "build", "native", `detach-key-abi${process.versions.modules}.node`);
}

function load(): Addon | null {
  if (process.env.WGPU_TS_DETACH_KEY === "0") return null;
  const path = detachKeyAddonPath();
  if (!existsSync(path)) return null;
  try {
    return createRequire(import.meta.url)(path) as Addon;
  } catch {
    return null; // built for another V8, or not loadable here: copies it is
  }
}

/** The key: an object no user code can reach. */
const KEY = Object.freeze({});

/**
 * Node 24 is where the key was checked to hold on every way to detach (transfer,
 * transferToFixedLength, structuredClone and postMessage throw). Node 20's structuredClone of a
 * keyed buffer aborts the process (node::worker::Message::Serialize: FromJust on Nothing), so older
 * Nodes get copies.
 */
const keyHolds = Number(process.versions.node.split(".")[0]) >= 24;

/** Loaded at the first mapped range, not at import: its require was ~0.5-1 ms of every start. */
let loaded: Addon | null | undefined;
function addon(): Addon | null {
  if (loaded === undefined) loaded = keyHolds ? load() : null;
  return loaded;
}

/** Whether mapped ranges can be views of the engine's memory (the addon guards them), else copies. */
export function rangesCanBeViews(): boolean {
  return addon() !== null;
}

/**
 * The keyed buffers still attached. Node's teardown at exit detaches external buffers without a
 * key, which aborts the process on a keyed one, so their keys are taken off at exit.
 */
const keyed = new Set<WeakRef<ArrayBuffer>>();
const refs = new WeakMap<ArrayBuffer, WeakRef<ArrayBuffer>>();
const forget = new FinalizationRegistry<WeakRef<ArrayBuffer>>((ref) => keyed.delete(ref));
let exitHook = false;

/** Makes `buffer` detachable only by wgpu-ts. */
export function protect(buffer: ArrayBuffer): ArrayBuffer {
  addon()!.setDetachKey(buffer, KEY);
  const ref = new WeakRef(buffer);
  keyed.add(ref);
  refs.set(buffer, ref);
  forget.register(buffer, ref, ref);
  if (!exitHook) {
    exitHook = true;
    process.on("exit", unkeyAll);
  }
  return buffer;
}

function unkeyAll(): void {
  for (const ref of keyed) {
    const buffer = ref.deref();
    if (buffer) addon()!.setDetachKey(buffer, undefined as unknown as object);
  }
  keyed.clear();
}

/** Detaches `buffer` (a view given the key, or a copy); a range already detached is left as it is. */
export function detach(buffer: ArrayBuffer): void {
  const a = addon();
  if (a) {
    a.detach(buffer, KEY); // and takes the key off
    const ref = refs.get(buffer);
    if (ref) {
      keyed.delete(ref);
      forget.unregister(ref);
    }
    return;
  }
  try {
    structuredClone(buffer, { transfer: [buffer] });
  } catch {
    // Already detached (by us, or transferred away by the user: a copy, so no alias of the engine's memory).
  }
}
