// One JS object owns one native reference (DESIGN.md §7).
// The reference is released by `[Symbol.dispose]`, or by the FinalizationRegistry when the
// object is dropped; after that the handle is zero and is never passed to the engine again.
import { types } from "node:util";
import { typeError, describe } from "../api/check.ts";
import { withScratch } from "./convert/scratch.ts";
import { rt } from "./runtime.ts";
import { flushOpenRecorders } from "./replay/recorder.ts";
import { giveBackShare, shrinkShare, takeLayoutShare, takeShare, type PressureShare } from "./memory-pressure.ts";

/** The symbol under which every native object exposes its handle to the rest of the backend. */
export const HANDLE = Symbol("wgpu-ts.handle");
/** Internal members, keyed by symbols so that they stay off the public API. */
export const TRACK_MAPPED = Symbol("wgpu-ts.trackMapped");
export const ROUTE_ERROR = Symbol("wgpu-ts.routeError");
export const IS_LOST = Symbol("wgpu-ts.isLost");
export const ERROR_COUNT = Symbol("wgpu-ts.errorCount");
export const FLUSH_WRITES = Symbol("wgpu-ts.flushWrites");
export const DETACH_RANGES = Symbol("wgpu-ts.detachRanges");
export const LOSE_MAPPING = Symbol("wgpu-ts.loseMapping");
export const MARK_SUBMITTED = Symbol("wgpu-ts.markSubmitted");
/** Why a buffer cannot be used by a submitted command buffer (mapped, destroyed), or null. */
export const SUBMIT_PROBLEM = Symbol("wgpu-ts.submitProblem");
/** Records a buffer or bind group a command encoder's commands use, for the submit checks. */
export const TRACK_USE = Symbol("wgpu-ts.trackUse");
/** The buffers a bind group binds, checked at submit. */
export const BOUND_BUFFERS = Symbol("wgpu-ts.boundBuffers");
/** Starts a device request with an engine struct chained to its descriptor (native extras). */
export const START_REQUEST_DEVICE = Symbol("wgpu-ts.startRequestDevice");
/** The command encoder that last tracked this object (TRACK_USE records each object once per encoder). */
export const USED_BY = Symbol("wgpu-ts.usedBy");
/** A pass encoder tells its command encoder that it ended; the encoder abandons a pass left open at finish. */
export const PASS_ENDED = Symbol("wgpu-ts.passEnded");
export const ABANDON = Symbol("wgpu-ts.abandon");
/** Replays a pass's recorded commands, before a command that goes to the engine directly (extras). */
export const FLUSH_COMMANDS = Symbol("wgpu-ts.flushCommands");
/** A buffer whose creation failed (the engine holds an error object). */
export const INVALID = Symbol("wgpu-ts.invalid");
/** True once a buffer or texture was destroyed. */
export const DESTROYED = Symbol("wgpu-ts.destroyed");
/** Sets a hook run just before the native reference is released (it must not hold the object). */
export const ON_RELEASE = Symbol("wgpu-ts.onRelease");
/** Keeps the native reference until the process ends: releasing it would block (a hung Dawn device). */
export const KEEP_NATIVE = Symbol("wgpu-ts.keepNative");

interface Held {
  handle: bigint;
  /** Its kind: the name ("GPUBuffer"), the release function and the live count, updated in place. */
  stats: KindStats;
  label: string;
  /** Estimated GPU memory the object holds (a buffer's size), for diagnostics. */
  bytes: number;
  /** Runs before the release, e.g. to detach mapped ranges that view the engine's memory. */
  beforeRelease?: () => void;
  /** It holds its engine layout's share (memory-pressure.ts), as the layout's first live wrapper. */
  layoutShare?: boolean;
  /** The queue whose tick frees the object's memory (EngineBehaviour.freedAtTick). */
  tickQueue?: bigint;
  /** Never released (KEEP_NATIVE); or not when this says so at release time. */
  kept?: boolean;
  keepIf?: (handle: bigint) => boolean;
}

/** Releases of a kind in `freedAtTick` between two ticks of the engine. */
const RELEASES_PER_TICK = 256;
/** Such releases since the last tick, per queue. */
const releasesSinceTick = new Map<bigint, number>();

/**
 * Dawn frees a released bind group's memory once the queue's serial passes: an empty submit
 * moves it on, and the tick (wgpuInstanceProcessEvents) frees. Only while the queue is alive.
 */
function tickAfterRelease(queue: bigint): void {
  const n = (releasesSinceTick.get(queue) ?? 0) + 1;
  if (n < RELEASES_PER_TICK) {
    releasesSinceTick.set(queue, n);
    return;
  }
  releasesSinceTick.delete(queue);
  if (!byHandle.has(queue)) return;
  const { fns, instance } = rt();
  fns.wgpuQueueSubmit(queue, 0, null);
  fns.wgpuInstanceProcessEvents(instance);
}

interface KindStats {
  /** "GPUBuffer": made once per kind, not per object. */
  name: string;
  /** "Buffer", as in the C function names. */
  kind: string;
  /** The engine's release function for the kind ("wgpuBufferRelease"). */
  release: string;
  /** Its memory is freed at the engine's next tick (EngineBehaviour.freedAtTick). */
  freedAtTick: boolean;
  count: number;
  bytes: number;
}
/** Live objects and their estimated bytes per kind ("Buffer"), for the diagnostics report. */
const stats = new Map<string, KindStats>();

function statsOf(kind: string): KindStats {
  let s = stats.get(kind);
  if (!s) {
    const { behaviour } = rt();
    stats.set(kind, (s = { name: `GPU${kind}`, kind, release: `wgpu${kind}Release`, freedAtTick: behaviour.freedAtTick.has(kind), count: 0, bytes: 0 }));
  }
  return s;
}
/** Live objects by handle, so that an engine error can name the object of the failing call. */
const byHandle = new Map<bigint, Held>();

/** `GPUBuffer "label"` for the live object with this handle, or null. */
export function describeHandle(handle: unknown): string | null {
  const held = typeof handle === "bigint" ? byHandle.get(handle) : undefined;
  return held ? `${held.stats.name}${held.label ? ` "${held.label}"` : ""}` : null;
}

function releaseHeld(held: Held): void {
  if (held.handle === 0n) return;
  const h = held.handle;
  // A recorded command stream may name the handle: it is replayed first, so that the engine holds
  // its own reference before ours goes.
  flushOpenRecorders(h);
  held.handle = 0n;
  if (byHandle.get(h) === held) byHandle.delete(h);
  if (held.layoutShare) sharedLayouts.delete(h);
  try {
    held.beforeRelease?.();
  } finally {
    const release = held.kept || held.keepIf?.(h) ? null : held.stats.release;
    // The registry keeps `held` until the object is collected: its hooks go now.
    held.beforeRelease = held.keepIf = undefined;
    if (release !== null) (rt().fns as unknown as Record<string, (h: bigint) => void>)[release](h);
    if (release !== null && held.stats.freedAtTick && held.tickQueue !== undefined) tickAfterRelease(held.tickQueue);
    // A reference kept rather than released (a hung device) still counts as live: report() and
    // the leak harness see what the engine holds.
    if (release !== null) held.stats.count--;
    held.stats.bytes -= held.bytes;
  }
}

const registry = new FinalizationRegistry<Held>(releaseHeld);

/** Objects that live as long as the process: no memory-pressure share (memory-pressure.ts). */
const longLived = new Set(["Adapter", "Device", "Queue"]);
/** Engine bind group layouts that a live wrapper holds the layout share of. */
const sharedLayouts = new Set<bigint>();
/** Trades a destroyed object's memory-pressure share for the smaller one its remains need. */
export const SHRINK_PRESSURE = Symbol("wgpu-ts.shrinkPressure");

/** Estimated bytes of GPU memory held by live objects per class (buffers: their sizes), on the JS side. */
export function liveObjectBytes(): Record<string, number> {
  return Object.fromEntries(
    [...stats.values()]
      .filter((s) => s.bytes > 0)
      .map((s) => [s.name, s.bytes])
      .sort(),
  );
}

/** Live native objects per class, as counted on the JS side. */
export function liveObjectCounts(): Record<string, number> {
  return Object.fromEntries(
    [...stats.values()]
      .filter((s) => s.count > 0)
      .map((s) => [s.name, s.count])
      .sort(),
  );
}

export interface NativeInit {
  handle: bigint | null;
  /** The interface name without "GPU", as in the C function names: "Buffer", "BindGroup", ... */
  kind: string;
  label: string;
  /** Estimated GPU memory the object holds, for diagnostics (a buffer's size). */
  bytes?: number;
  /** The queue whose tick frees its memory, for kinds the engine frees at a tick. */
  tickQueue?: bigint;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Constructor = new (...args: any[]) => object;

/**
 * The brand of every native object, stamped on by the base constructor (a constructor that returns
 * the object it is given adds its private field to that object): one brand for both bases, so
 * that a check is one `#native in v`, which runs no user code (no Proxy trap).
 */
class ReturnsItsArgument {
  constructor(o: object) {
    // biome-ignore lint/correctness/noConstructorReturn: the return-override: `super(o)` makes `o` the subclass's `this`
    return o;
  }
}
class Brand extends ReturnsItsArgument {
  #native = true;
  static has(v: unknown): boolean {
    return typeof v === "object" && v !== null && #native in v;
  }
}
/** Where each native object keeps its device: a field, not a WeakMap (whose entries slowed the collector). */
const OWNER = Symbol("wgpu-ts.owner");
type Owner = { readonly label: string };

/** Adds native ownership to a base class (Object, or EventTarget for GPUDevice). */
function withNative<B extends Constructor>(Base: B) {
  abstract class Native extends Base {
    readonly #held: Held;
    #label: string;
    /** The command encoder that last tracked this object (TRACK_USE). */
    [USED_BY]: object | null = null;
    /** The device this object belongs to, set by the guard (guard.ts) as the object is made. */
    [OWNER]: Owner | null = null;
    /** Stands for the engine's memory behind this object in V8's external-memory count. */
    #pressure: PressureShare | null;

    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    constructor(...args: any[]) {
      super();
      const init = args[0] as NativeInit;
      if (!init.handle) throw new Error(`wgpu-ts: the engine returned no GPU${init.kind}`);
      new Brand(this);
      const kindStats = statsOf(init.kind);
      this.#held = { handle: init.handle, stats: kindStats, label: init.label, bytes: init.bytes ?? 0 };
      if (init.tickQueue !== undefined && kindStats.freedAtTick) this.#held.tickQueue = init.tickQueue;
      this.#label = init.label;
      byHandle.set(init.handle, this.#held);
      kindStats.count++;
      kindStats.bytes += this.#held.bytes;
      // No unregister token: one made registering cost ~4x (0.8 against 0.2 us); a disposed object's
      // finalizer finds its handle zero and does nothing.
      registry.register(this, this.#held);
      if (init.kind === "BindGroupLayout" && !sharedLayouts.has(init.handle)) {
        sharedLayouts.add(init.handle);
        this.#held.layoutShare = true;
        this.#pressure = takeLayoutShare();
      } else this.#pressure = longLived.has(init.kind) ? null : takeShare();
    }

    /** The native handle; throws once the object was disposed. */
    get [HANDLE](): bigint {
      const h = this.#held.handle;
      if (h === 0n) throw new TypeError(`${this.#held.stats.name}${this.#label ? ` "${this.#label}"` : ""} was disposed and cannot be used`);
      return h;
    }

    [ON_RELEASE](fn: () => void): void {
      this.#held.beforeRelease = fn;
    }

    /** Keeps the native reference for good, or when `when(handle)` says so at release time (it must not hold the object). */
    [KEEP_NATIVE](when?: (handle: bigint) => boolean): void {
      if (when) this.#held.keepIf = when;
      else this.#held.kept = true;
    }

    get label(): string {
      return this.#label;
    }

    set label(value: string) {
      this.#label = String(value);
      this.#held.label = this.#label;
      const h = this.#held.handle;
      if (h === 0n || rt().behaviour.unimplemented.has("SetLabel")) return;
      const fns = rt().fns as unknown as Record<string, (h: bigint, sv: object) => void>;
      const label = this.#label;
      withScratch((s) => fns[`wgpu${this.#held.stats.kind}SetLabel`](h, s.stringViewValue(label)));
    }

    /** Releases the native reference now rather than at garbage collection. */
    [Symbol.dispose](): void {
      releaseHeld(this.#held);
      giveBackShare(this.#pressure);
      this.#pressure = null;
    }

    [SHRINK_PRESSURE](): void {
      this.#pressure = shrinkShare(this.#pressure);
    }
  }
  return Native;
}

export const NativeObject = withNative(Object);
export type NativeObject = InstanceType<typeof NativeObject>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const NativeEventTarget = withNative(EventTarget as unknown as new (...args: any[]) => EventTarget);

/**
 * Whether `v` is a native object made by wgpu-ts (not a Proxy of one, nor `Object.create` of a
 * prototype). Runs no user code, so it can sit between reading a handle and the call.
 */
export const isNative = Brand.has as (v: unknown) => v is NativeObject;

/** Names a value that is not what a member wants, without running its code (a Proxy's traps). */
export function describeForeign(v: unknown): string {
  if (types.isProxy(v)) return "a Proxy (wgpu-ts objects cannot be wrapped)";
  if (isNative(v)) return describe(v); // one of ours, of another class
  if (typeof v === "object" && v !== null) {
    const proto = Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null;
    const name = proto && Object.hasOwn(proto, "constructor") ? proto.constructor?.name : undefined;
    if (name?.startsWith("GPU")) return `an object with ${name}'s prototype that wgpu-ts did not make (Object.create or a subclass without the constructor)`;
  }
  return describe(v);
}

/** An interface argument: a native object of class `cls` (brand-checked), else a TypeError naming the member. */
export function nativeInstance<T>(ctx: string, member: string, v: unknown, cls: abstract new (...args: never[]) => T): T {
  if (!isNative(v) || !(v instanceof cls)) typeError(ctx, member, `must be a ${cls.name}, got ${describeForeign(v)}`);
  return v as T;
}

/** The device each object belongs to (a device to itself), recorded by the guard as objects are made (guard.ts). */

/** The device of the entry point running now, or null. */
let callOwner: Owner | null = null;

export function ownerOf(v: object): Owner | undefined {
  return (v as { [OWNER]?: Owner | null })[OWNER] ?? undefined;
}

export function setOwner(v: object, device: Owner): void {
  (v as { [OWNER]?: Owner | null })[OWNER] = device;
}

/** Makes `device` the device of the running call; returns the one before, to restore. */
export function enterCallOwner(device: Owner | null): Owner | null {
  const before = callOwner;
  callOwner = device;
  return before;
}

/**
 * An object of another device as an argument (handleOf). The spec makes it a validation error of the call; the
 * guard turns it into one where the called object can take it (ON_DEVICE_MISMATCH), and elsewhere
 * it stays a TypeError (apiDiff): the call never reaches the engine, which aborts on some of them.
 */
const deviceMismatches = new WeakSet<object>();

/** Whether `e` is the device mismatch error of handleOf (a plain TypeError to the user). */
export function isDeviceMismatch(e: unknown): e is TypeError {
  return typeof e === "object" && e !== null && deviceMismatches.has(e);
}

/**
 * `(method, message) => unknown`: takes a device mismatch of `method` as a validation error, and
 * returns what the call then returns (undefined, or a stand-in object), or NOT_TAKEN to leave it a TypeError.
 */
export const ON_DEVICE_MISMATCH = Symbol("wgpu-ts.onDeviceMismatch");
export const NOT_TAKEN = Symbol("wgpu-ts.notTaken");

/** The handle of an interface argument, checked to be of the right class, of the call's device and still alive. */
export function handleOf(ctx: string, member: string, v: unknown, cls: abstract new (...args: never[]) => { readonly [HANDLE]: bigint }): bigint {
  if (!isNative(v) || !(v instanceof cls)) typeError(ctx, member, `must be a ${cls.name}, got ${describeForeign(v)}`);
  if (callOwner !== null) {
    const owner = (v as { [OWNER]?: Owner | null })[OWNER];
    if (owner && owner !== callOwner) {
      const error = new TypeError(
        `${ctx}: ${member} belongs to another GPUDevice${owner.label ? ` ("${owner.label}")` : ""}: objects of one device cannot be used with another`,
      );
      deviceMismatches.add(error);
      throw error;
    }
  }
  return (v as { readonly [HANDLE]: bigint })[HANDLE];
}
