// The command recorder both pass encoders use: commands are written into a u32 stream in native
// memory (no allocation per command) and replayed by our C helper (replay.c) in ONE FFI call when
// the pass ends or the stream fills, instead of one FFI call per command. The engine still
// validates every command at replay, so errors surface where the spec defers them (end/finish).
// A pass gets a recording emitter (same signatures as the engine's functions, pass-encoder.ts);
// with WGPU_TS_REPLAY=0 (or without the built helper), it keeps the engine's functions.
//
// Lifetimes: a stream names objects by handle. Every native release first replays the open streams
// (flushOpenRecorders), so a recorded handle is never freed before the engine took its own reference.
import { existsSync } from "node:fs";
import { join } from "node:path";
import koffi from "koffi";
import { findInstalledEngine } from "../engine/installed.ts";
import { packageRoot } from "../engine/package-root.ts";
import { rt } from "../runtime.ts";

/** The ops of the stream; replay.c has the same numbers. A header word is op | (count << 8). */
export const OP = {
  SET_PIPELINE: 1,
  SET_BIND_GROUP: 2,
  DISPATCH: 3,
  DISPATCH_INDIRECT: 4,
  DRAW: 5,
  DRAW_INDEXED: 6,
  DRAW_INDIRECT: 7,
  DRAW_INDEXED_INDIRECT: 8,
  SET_VERTEX_BUFFER: 9,
  SET_INDEX_BUFFER: 10,
  SET_VIEWPORT: 11,
  SET_SCISSOR: 12,
  SET_STENCIL_REFERENCE: 14,
  BEGIN_OCCLUSION_QUERY: 15,
  END_OCCLUSION_QUERY: 16,
  DRAW1: 17,
} as const;

/** Words per stream block (256 KiB): ~8k setBindGroup+dispatch pairs or 32k draw(n) between two replays. */
const BLOCK_WORDS = 1 << 16;
/** The most dynamic offsets one recorded setBindGroup carries; more go to the engine directly. */
const MAX_RECORDED_OFFSETS = 256;
const TWO_32 = 0x100000000;

interface Block {
  ptr: bigint;
  w: Uint32Array;
  /** The same memory as u64: handles sit at even word positions (every command has an even length). */
  h: BigUint64Array;
  f32: Float32Array;
}

type ReplayFn = (pass: bigint, render: number, stream: bigint, words: number) => number;

/** Where discarded recorders write: JS memory, never replayed. */
let dead: Omit<Block, "ptr"> | undefined;
function deadBlock(): Omit<Block, "ptr"> {
  if (dead) return dead;
  const ab = new ArrayBuffer(BLOCK_WORDS * 4);
  return (dead = { w: new Uint32Array(ab), h: new BigUint64Array(ab), f32: new Float32Array(ab) });
}

let replayFn: ReplayFn | null | undefined;
let enabled = process.env.WGPU_TS_REPLAY !== "0";
/** Why passes do not record, once loadReplay() has looked (null: they do). */
let replayProblem: string | null = null;
let helperPath: string | null = null;
const pool: Block[] = [];
const open = new Set<Recorder>();

/**
 * Where the helper library is: WGPU_TS_REPLAY_LIB; else the checkout's build (scripts/build-native.sh);
 * else the one prebuilt into the loaded engine's npm package (scripts/engine-packages.mjs).
 */
export function replayLibraryPath(): { path: string; source: string } | null {
  if (process.env.WGPU_TS_REPLAY_LIB) return { path: process.env.WGPU_TS_REPLAY_LIB, source: "WGPU_TS_REPLAY_LIB" };
  const built = join(packageRoot, "build", "native", "libwgpu_ts_replay.so");
  if (existsSync(built)) return { path: built, source: "checkout build" };
  const installed = findInstalledEngine(rt().engine.name);
  if ("replayPath" in installed && installed.replayPath) return { path: installed.replayPath, source: installed.packageName };
  return null;
}

function loadReplay(): ReplayFn | null {
  if (replayFn !== undefined) return replayFn;
  replayFn = null;
  const found = replayLibraryPath();
  if (!found) {
    replayProblem = `no replay helper: neither ${join(packageRoot, "build", "native")} (npm run build:native) nor the engine's package has one`;
    return null;
  }
  helperPath = `${found.path} (${found.source})`;
  if (!existsSync(found.path)) {
    replayProblem = `the replay helper ${helperPath} does not exist`;
    return null;
  }
  try {
    const lib = koffi.load(found.path);
    const init = lib.func("int wgpuTsReplayInit(const char *path)") as (p: string) => number;
    if (init(rt().engine.libraryPath) === 0) replayFn = lib.func("int wgpuTsReplay(void *pass, int render, void *stream, uint32_t words)") as ReplayFn;
    else replayProblem = `the replay helper ${helperPath} could not find the engine's pass functions`;
  } catch (e) {
    // a helper that does not load is the same as none: direct calls
    replayProblem = `the replay helper ${helperPath} does not load: ${(e as Error).message}`;
  }
  return replayFn;
}

/** Whether new passes record (the helper is there and not switched off). */
export function replayAvailable(): boolean {
  return enabled && loadReplay() !== null;
}

/** Which path pass commands take, and why: for `wgpu-ts info` and report(). */
export function commandPath(): { path: "replay" | "direct"; helper: string | null; reason: string } {
  if (!enabled) return { path: "direct", helper: null, reason: "switched off (WGPU_TS_REPLAY=0 or setReplayEnabled(false))" };
  if (loadReplay() === null) return { path: "direct", helper: helperPath, reason: replayProblem ?? "no replay helper" };
  return { path: "replay", helper: helperPath, reason: "pass commands are recorded and replayed by the helper in one call per pass" };
}

/** @internal For tests and the benchmark: switches recording on or off for passes begun after the call. */
export function setReplayEnabled(on: boolean): void {
  enabled = on;
}

/**
 * Replays every open stream now: called before any native release (of `releasing`), so that no
 * recorded command names a released handle. The stream of a pass that was garbage collected
 * without end() is dropped (its pass handle is about to be released, and nothing can end it), and
 * so is the stream of the pass being released: nothing may be replayed into it afterwards.
 */
export function flushOpenRecorders(releasing: bigint): void {
  if (open.size === 0) return;
  for (const r of [...open]) {
    if (r.passGone()) r.discard();
    else {
      r.flush();
      if (r.pass === releasing) r.discard();
    }
  }
}

export class Recorder {
  /** The stream; a command is written at `pos` after room() made space for it. */
  w: Uint32Array;
  h: BigUint64Array;
  f32: Float32Array;
  pos = 0;
  #block: Block | null;
  /** The pass handle the stream replays into. */
  readonly pass: bigint;
  readonly #owner: WeakRef<object>;
  readonly #render: number;
  readonly #replay: ReplayFn;

  private constructor(pass: bigint, owner: object, render: boolean, replay: ReplayFn) {
    let block = pool.pop();
    if (!block) {
      const ptr = koffi.alloc("uint32_t", BLOCK_WORDS) as unknown as bigint;
      const ab = koffi.view(ptr, BLOCK_WORDS * 4);
      block = { ptr, w: new Uint32Array(ab), h: new BigUint64Array(ab), f32: new Float32Array(ab) };
    }
    this.#block = block;
    this.w = block.w;
    this.h = block.h;
    this.f32 = block.f32;
    this.pass = pass;
    this.#owner = new WeakRef(owner);
    this.#render = render ? 1 : 0;
    this.#replay = replay;
    open.add(this);
  }

  /** A recorder for a new pass (`owner`, the JS pass object), or null when passes call the engine directly. */
  static begin(pass: bigint | null, owner: object, render: boolean): Recorder | null {
    if (!enabled || pass === null) return null;
    const replay = loadReplay();
    return replay ? new Recorder(pass, owner, render, replay) : null;
  }

  /** Makes room for a command of `words` words (even, at most 1024) and returns where it goes. */
  room(words: number): number {
    if (this.pos + words > BLOCK_WORDS) this.flush();
    return this.pos;
  }

  /** Replays what is recorded into the pass. */
  flush(): void {
    const n = this.pos;
    this.pos = 0;
    if (n === 0 || this.#block === null) return;
    const done = this.#replay(this.pass, this.#render, this.#block.ptr, n);
    if (done !== n) throw new Error(`wgpu-ts: internal error: command replay stopped at word ${-done - 1} of ${n}`);
  }

  /** Replays the rest and gives the stream back (at the pass's end()). */
  close(): void {
    this.flush();
    this.discard();
  }

  /** Drops what is recorded (its pass can no longer be ended) and gives the stream back. */
  discard(): void {
    if (this.#block === null) return;
    this.pos = 0;
    pool.push(this.#block);
    this.#block = null;
    // The pass may still be called (its encoder finished first): what it records from now on goes
    // to a block of its own and is dropped, never into the pooled block another pass now writes.
    const dead = deadBlock();
    this.w = dead.w;
    this.h = dead.h;
    this.f32 = dead.f32;
    open.delete(this);
  }

  passGone(): boolean {
    return this.#owner.deref() === undefined;
  }

  /** Writes a u64 value (an offset or size, below 2^53) as two words at `at`. */
  u64(at: number, v: number): void {
    this.w[at] = v >>> 0;
    this.w[at + 1] = Math.floor(v / TWO_32);
  }
}

/** What a recording emitter needs of the engine's emitter: the commands it does not record. */
interface DirectCommands {
  setImmediates(h: bigint, offset: number, data: ArrayBufferView, size: number): void;
  pushDebugGroup(h: bigint, label: string): void;
  popDebugGroup(h: bigint): void;
  insertDebugMarker(h: bigint, label: string): void;
}

/**
 * An emitter with the engine emitter's signatures that records into `rec` (the pass handle `h`
 * each method gets is the recorder's own pass). Rare commands replay the stream, then go direct.
 * Every command takes an even number of words, so handles land on 8-byte boundaries.
 * A class, not an object of closures per pass: every pass then calls the same functions, which
 * V8 inlines into the pass's methods; new closures per pass made those calls deoptimize at each
 * new pass, and recording a draw took 10 to 40 ns from one process to the next.
 */
class RecordingEmitter {
  constructor(
    readonly rec: Recorder,
    readonly direct: DirectCommands,
  ) {}

  setBindGroup(h: bigint, index: number, group: bigint, count: number, offsets: Uint32Array | null): void {
    const rec = this.rec;
    if (count > MAX_RECORDED_OFFSETS) {
      rec.flush();
      (this.direct as unknown as { setBindGroup: RecordingEmitter["setBindGroup"] }).setBindGroup(h, index, group, count, offsets);
      return;
    }
    const words = 4 + count + (count & 1);
    const p = rec.room(words);
    const w = rec.w;
    w[p] = OP.SET_BIND_GROUP | (count << 8);
    w[p + 1] = index;
    rec.h[(p + 2) >> 1] = group;
    if (count !== 0) w.set((offsets as Uint32Array).subarray(0, count), p + 4);
    rec.pos = p + words;
  }

  setPipeline(_h: bigint, pipeline: bigint): void {
    const rec = this.rec;
    const p = rec.room(4);
    rec.w[p] = OP.SET_PIPELINE;
    rec.h[(p + 2) >> 1] = pipeline;
    rec.pos = p + 4;
  }

  dispatchWorkgroups(_h: bigint, x: number, y: number, z: number): void {
    const rec = this.rec;
    const p = rec.room(4);
    const w = rec.w;
    w[p] = OP.DISPATCH;
    w[p + 1] = x;
    w[p + 2] = y;
    w[p + 3] = z;
    rec.pos = p + 4;
  }

  dispatchWorkgroupsIndirect(_h: bigint, buffer: bigint, offset: number): void {
    this.#indirect(OP.DISPATCH_INDIRECT, buffer, offset);
  }

  draw(_h: bigint, vertexCount: number, instanceCount: number, firstVertex: number, firstInstance: number): void {
    const rec = this.rec;
    const w = rec.w;
    if (instanceCount === 1 && firstVertex === 0 && firstInstance === 0) {
      const p = rec.room(2);
      w[p] = OP.DRAW1;
      w[p + 1] = vertexCount;
      rec.pos = p + 2;
      return;
    }
    const p = rec.room(6);
    w[p] = OP.DRAW;
    w[p + 1] = vertexCount;
    w[p + 2] = instanceCount;
    w[p + 3] = firstVertex;
    w[p + 4] = firstInstance;
    rec.pos = p + 6;
  }

  drawIndexed(_h: bigint, indexCount: number, instanceCount: number, firstIndex: number, baseVertex: number, firstInstance: number): void {
    const rec = this.rec;
    const p = rec.room(6);
    const w = rec.w;
    w[p] = OP.DRAW_INDEXED;
    w[p + 1] = indexCount;
    w[p + 2] = instanceCount;
    w[p + 3] = firstIndex;
    w[p + 4] = baseVertex; // i32 bits
    w[p + 5] = firstInstance;
    rec.pos = p + 6;
  }

  drawIndirect(_h: bigint, buffer: bigint, offset: number): void {
    this.#indirect(OP.DRAW_INDIRECT, buffer, offset);
  }

  drawIndexedIndirect(_h: bigint, buffer: bigint, offset: number): void {
    this.#indirect(OP.DRAW_INDEXED_INDIRECT, buffer, offset);
  }

  setVertexBuffer(_h: bigint, slot: number, buffer: bigint, offset: number, size: number): void {
    this.#bufferRange(OP.SET_VERTEX_BUFFER, slot, buffer, offset, size);
  }

  setIndexBuffer(_h: bigint, buffer: bigint, format: number, offset: number, size: number): void {
    this.#bufferRange(OP.SET_INDEX_BUFFER, format, buffer, offset, size);
  }

  setImmediates(h: bigint, offset: number, data: ArrayBufferView, size: number): void {
    this.rec.flush();
    this.direct.setImmediates(h, offset, data, size);
  }

  pushDebugGroup(h: bigint, label: string): void {
    this.rec.flush();
    this.direct.pushDebugGroup(h, label);
  }

  popDebugGroup(h: bigint): void {
    this.rec.flush();
    this.direct.popDebugGroup(h);
  }

  insertDebugMarker(h: bigint, label: string): void {
    this.rec.flush();
    this.direct.insertDebugMarker(h, label);
  }

  /** op, a word, then a buffer's handle, offset and size. */
  #bufferRange(op: number, word: number, buffer: bigint, offset: number, size: number): void {
    const rec = this.rec;
    const p = rec.room(8);
    rec.w[p] = op;
    rec.w[p + 1] = word;
    rec.h[(p + 2) >> 1] = buffer;
    rec.u64(p + 4, offset);
    rec.u64(p + 6, size);
    rec.pos = p + 8;
  }

  #indirect(op: number, buffer: bigint, offset: number): void {
    const rec = this.rec;
    const p = rec.room(6);
    rec.w[p] = op;
    rec.h[(p + 2) >> 1] = buffer;
    rec.u64(p + 4, offset);
    rec.pos = p + 6;
  }
}

/** A recording emitter for `rec`, typed as the engine emitter `direct` it stands in for. */
export function recordingEmitter<E extends DirectCommands>(rec: Recorder, direct: E): E {
  return new RecordingEmitter(rec, direct) as unknown as E;
}

/** A pass's recording: its recorder (null: direct calls) and the engine's emitter for after end(). */
export class PassStream<E extends DirectCommands> {
  rec: Recorder | null;
  /** What the pass emits into while it is open. */
  readonly emitter: E;
  readonly #direct: E;

  constructor(handle: bigint | null, owner: object, render: boolean, direct: E) {
    this.rec = Recorder.begin(handle, owner, render);
    this.#direct = direct;
    this.emitter = this.rec ? recordingEmitter(this.rec, direct) : direct;
  }

  /** Replays what is recorded (before a direct engine call on the pass). */
  flush(): void {
    this.rec?.flush();
  }

  /** The encoder finished with the pass still open: the recorded commands no longer matter. */
  abandon(): void {
    this.rec?.discard();
    this.rec = null;
  }

  /** At the pass's end(): replays the rest; returns the engine's emitter (calls after end() go there, and it rejects them). */
  end(): E {
    const rec = this.rec;
    this.rec = null;
    rec?.close();
    return this.#direct;
  }
}

/** Records the render-pass-only state commands; returns false when the pass calls directly. */
export function recordWords(rec: Recorder | null, op: number, a: number, b: number, c: number, d: number): boolean {
  if (rec === null) return false;
  const p = rec.room(6);
  const w = rec.w;
  w[p] = op;
  w[p + 1] = a;
  w[p + 2] = b;
  w[p + 3] = c;
  w[p + 4] = d;
  rec.pos = p + 6;
  return true;
}
