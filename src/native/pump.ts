// Completion registry and event pump (DESIGN.md §5).
// Each asynchronous engine call gets an integer id passed as `userdata1`; one permanently
// registered C callback per callback type routes the engine's answer to the pending operation.
// The pump asks the engine for events only while an operation is pending, first on
// setImmediate, then with a short timer backoff, and leaves no timer behind when idle, so a
// script exits by itself.
import { WGPUCallbackMode } from "./ffi/generated/webgpu.ts";
import { registerCallback } from "./ffi/bind.ts";
import { rt } from "./runtime.ts";
import { fireWatchdog, watchdogMs } from "./watchdog.ts";

/** Turns the callback's arguments into the operation's value, or throws its error. */
export type Settle<T> = (...args: never[]) => T;

export class Operation<T> {
  done = false;
  value: T | undefined;
  error: unknown;
  #resolve?: (v: T) => void;
  #reject?: (e: unknown) => void;
  /** When it began, for the watchdog. */
  readonly startedAt = performance.now();
  constructor(
    readonly id: number,
    readonly settle: Settle<T>,
    /** The device whose queue completes this operation, for the sync wait and the watchdog. */
    readonly device: bigint | null,
    /** The callback's arguments when the device is lost first (else the operation rejects with an AbortError). */
    readonly lostArgs: unknown[] | null = null,
  ) {}

  #deferred: unknown[] | null = null;

  /**
   * Finishes with `args` on a later microtask (a failure the spec reports on the content timeline
   * after the call returns, while the object reads as pending); a sync wait finishes it at once.
   */
  finishSoon(args: unknown[]): void {
    this.#deferred = args;
    queueMicrotask(() => this.finish(args));
  }

  finish(args: unknown[]): void {
    if (this.done) return;
    this.done = true;
    try {
      this.value = (this.settle as (...a: unknown[]) => T)(...args);
    } catch (e) {
      this.error = e;
    }
    if (this.error !== undefined) this.#reject?.(this.error);
    else this.#resolve?.(this.value as T);
  }

  /** Ends the operation because its device was lost (the watchdog). */
  lose(message: string): void {
    if (this.done) return;
    if (this.lostArgs) return this.finish(this.lostArgs);
    this.done = true;
    this.error = new DOMException(`the device was lost: ${message}`, "AbortError");
    this.#reject?.(this.error);
  }

  /** The result as a Promise (the async API). */
  promise(): Promise<T> {
    if (this.done) return this.error !== undefined ? Promise.reject(this.error) : Promise.resolve(this.value as T);
    return new Promise<T>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /** The result, waiting for it in place (the `...Sync` twins). */
  wait(): T {
    if (this.#deferred) this.finish(this.#deferred);
    pump.waitFor(this as Operation<unknown>);
    if (this.error !== undefined) throw this.error;
    return this.value as T;
  }
}

/**
 * How long the pump polls on every turn of the event loop (setImmediate) while nothing completes,
 * before it backs off to timers. By time, not by turns: a GPU's short jobs (a few dispatches, a
 * copy) take a few hundred microseconds, and 32 turns (~60 us) sent every such wait to a 1 ms timer
 * (a 512x512 matmul measured 1.3 ms a run on an H200, against 0.16 ms for dawn.node).
 */
const SPIN_MS = 2;
const MAX_BACKOFF_MS = 8;
/** How long a sync wait not tied to a device (an adapter request) waits for the engine. */
const SYNC_TIMEOUT_MS = 120_000;

class Pump {
  #pending = new Map<number, Operation<unknown>>();
  #nextId = 1;
  #scheduled = false;
  #idleTicks = 0;
  /** When the pump last saw an operation complete (or started): it spins for SPIN_MS after. */
  #lastProgress = 0;
  #callbacks = new Map<string, bigint>();
  readonly #sleepCell = new Int32Array(new SharedArrayBuffer(4));

  /** The callback pointer for a `WGPU*Callback` type, registered on first use. */
  callback(type: string): bigint {
    let p = this.#callbacks.get(type);
    if (p === undefined) {
      // userdata1 is always the last-but-one argument.
      p = registerCallback(type, (...args: unknown[]) => {
        const id = Number(args[args.length - 2] as bigint);
        const op = this.#pending.get(id);
        if (!op) return;
        this.#pending.delete(id);
        op.finish(args);
      });
      this.#callbacks.set(type, p);
    }
    return p;
  }

  /** Starts an operation; `callbackInfo` goes into the engine call. */
  begin<T>(
    callbackType: string,
    settle: Settle<T>,
    device: bigint | null = null,
    lostArgs: unknown[] | null = null,
  ): { op: Operation<T>; callbackInfo: Record<string, unknown> } {
    const id = this.#nextId++;
    const op = new Operation<T>(id, settle, device, lostArgs);
    this.#pending.set(id, op as Operation<unknown>);
    const callbackInfo = {
      nextInChain: null,
      mode: WGPUCallbackMode.AllowProcessEvents,
      callback: this.callback(callbackType),
      userdata1: BigInt(id),
      userdata2: null,
    };
    return { op, callbackInfo };
  }

  /** Drops an operation whose engine call failed before it could call back. */
  abandon(op: Operation<unknown>): void {
    this.#pending.delete(op.id);
  }

  /** Ends every pending operation of a lost device (the engine may never answer them). */
  loseDevice(device: bigint, message: string): void {
    for (const [id, op] of this.#pending) {
      if (op.device !== device) continue;
      this.#pending.delete(id);
      op.lose(message);
    }
  }

  /** Fires the watchdog of each device with an operation pending past its bound. */
  #checkWatchdogs(now: number): void {
    for (const op of this.#pending.values()) {
      if (op.device === null || now - op.startedAt <= watchdogMs(op.device)) continue;
      fireWatchdog(op.device, now - op.startedAt);
      this.loseDevice(op.device, "the watchdog fired"); // a device already lost: its late operations too
    }
  }

  /** Makes sure the pump runs while operations are pending. */
  schedule(): void {
    if (this.#scheduled || this.#pending.size === 0) return;
    this.#scheduled = true;
    this.#idleTicks = 0;
    this.#lastProgress = performance.now();
    setImmediate(this.#tick);
  }

  #tick = (): void => {
    this.#scheduled = false;
    if (this.#pending.size === 0) return;
    const before = this.#pending.size;
    rt().fns.wgpuInstanceProcessEvents(rt().instance);
    if (this.#pending.size === 0) return;
    this.#scheduled = true;
    if (this.#pending.size < before) {
      this.#idleTicks = 0;
      this.#lastProgress = performance.now();
    }
    if (performance.now() - this.#lastProgress < SPIN_MS) {
      setImmediate(this.#tick);
      return;
    }
    // Timers from 1 ms, doubling every 8 idle ones up to MAX_BACKOFF_MS (the shift is capped: past
    // 1 << 31 it turns negative).
    this.#idleTicks++;
    this.#checkWatchdogs(performance.now());
    if (this.#pending.size === 0) {
      this.#scheduled = false;
      return;
    }
    setTimeout(this.#tick, Math.min(MAX_BACKOFF_MS, 1 << Math.min(4, this.#idleTicks >> 3)));
  };

  waitFor(op: Operation<unknown>): void {
    const { fns, instance, behaviour } = rt();
    // An operation of a device waits as long as its watchdog allows, then loses the device.
    const bound = op.device ? watchdogMs(op.device) : SYNC_TIMEOUT_MS;
    const start = performance.now();
    let spins = 0;
    while (!op.done) {
      fns.wgpuInstanceProcessEvents(instance);
      if (op.done) break;
      const left = bound - (performance.now() - start);
      if (op.device) behaviour.waitForDevice(op.device, Math.max(0, Math.min(left, 1000)));
      else if (++spins > 16) Atomics.wait(this.#sleepCell, 0, 0, 1); // sleep 1 ms rather than spin
      if (op.done) break;
      if (performance.now() - start > bound) {
        if (op.device) {
          fireWatchdog(op.device, performance.now() - start);
          if (!op.done) this.loseDevice(op.device, "the watchdog fired");
          break;
        }
        this.abandon(op);
        throw new Error(`wgpu-ts: gave up waiting ${SYNC_TIMEOUT_MS / 1000} s for the engine to answer`);
      }
    }
  }

  get pendingCount(): number {
    return this.#pending.size;
  }
}

export const pump = new Pump();

/**
 * The async form of an operation: starts it, keeps the pump running until it answers, and turns
 * a synchronous throw (bad arguments) into a rejected Promise, as the spec's methods do.
 */
export function asPromise<T>(start: () => Operation<T>): Promise<T> {
  try {
    const op = start();
    pump.schedule();
    return op.promise();
  } catch (e) {
    return Promise.reject(e);
  }
}
