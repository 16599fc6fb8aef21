// The command recorder both pass encoders use: commands are written into a u32 stream in native
// memory (no allocation per command) and replayed by our C helper (replay.c) in ONE FFI call when
// the pass ends or the stream fills, instead of one FFI call per command. The engine still
// validates every command at replay, so errors surface where the spec defers them (end/finish).
// Without the helper (not built, or WGPU_TS_REPLAY=0), passes get no recorder and call directly.
import { existsSync } from "node:fs";
import { join } from "node:path";
import koffi from "koffi";
import { packageRoot } from "../engine/load.ts";
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
  SET_BLEND_CONSTANT: 13,
  SET_STENCIL_REFERENCE: 14,
  BEGIN_OCCLUSION_QUERY: 15,
  END_OCCLUSION_QUERY: 16,
  DRAW1: 17,
} as const;

/** Words per stream block (256 KiB): ~28k setBindGroup+dispatch pairs between two replays. */
const BLOCK_WORDS = 1 << 16;
/** The most words one command may take (setBindGroup with its dynamic offsets); longer ones go direct. */
export const MAX_COMMAND_WORDS = 1024;

/** Marks an object as kept by the current stream generation (see Recorder.keep). */
export const KEPT_BY = Symbol("wgpu-ts.keptBy");
export interface Keepable {
  [KEPT_BY]: number;
}

interface Block {
  ptr: bigint;
  w: Uint32Array;
  f32: Float32Array;
  f64: Float64Array;
}

type ReplayFn = (pass: bigint, render: number, stream: bigint, words: number) => number;

let replayFn: ReplayFn | null | undefined;
let enabled = process.env.WGPU_TS_REPLAY !== "0";
const pool: Block[] = [];
const open = new Set<Recorder>();
let generation = 0;

/** The path of the helper library built by scripts/build-native.sh (WGPU_TS_REPLAY_LIB overrides it). */
export function replayLibraryPath(): string {
  return process.env.WGPU_TS_REPLAY_LIB ?? join(packageRoot, "build", "native", "libwgpu_ts_replay.so");
}

function loadReplay(): ReplayFn | null {
  if (replayFn !== undefined) return replayFn;
  replayFn = null;
  const path = replayLibraryPath();
  if (!existsSync(path)) return null;
  try {
    const lib = koffi.load(path);
    const init = lib.func("int wgpuTsReplayInit(const char *path)") as (p: string) => number;
    if (init(rt().engine.libraryPath) === 0) replayFn = lib.func("int wgpuTsReplay(void *pass, int render, void *stream, uint32_t words)") as ReplayFn;
  } catch {
    replayFn = null; // a helper that does not load is the same as none: direct calls
  }
  return replayFn;
}

/** Whether new passes record (the helper is there and not switched off). */
export function replayAvailable(): boolean {
  return enabled && loadReplay() !== null;
}

/** @internal For tests and the benchmark: switches recording on or off for passes begun after the call. */
export function setReplayEnabled(on: boolean): void {
  enabled = on;
}

/**
 * Replays every open stream now. Called before a native reference is released explicitly, so that
 * no recorded command names a released handle (recorded objects are otherwise kept alive by keep()).
 */
export function flushOpenRecorders(): void {
  for (const r of open) r.flush();
}

export class Recorder {
  /** The stream; a command is written at `pos` after room() made space for it. */
  w: Uint32Array;
  f32: Float32Array;
  f64: Float64Array;
  pos = 0;
  readonly #block: Block;
  readonly #pass: bigint;
  readonly #render: number;
  readonly #replay: ReplayFn;
  /** The objects the unreplayed stream names: kept alive until it is replayed. */
  #kept: Keepable[] = [];
  #generation = ++generation;

  private constructor(pass: bigint, render: boolean, replay: ReplayFn) {
    let block = pool.pop();
    if (!block) {
      const ptr = koffi.alloc("uint32_t", BLOCK_WORDS) as unknown as bigint;
      const ab = koffi.view(ptr, BLOCK_WORDS * 4);
      block = { ptr, w: new Uint32Array(ab), f32: new Float32Array(ab), f64: new Float64Array(ab) };
    }
    this.#block = block;
    this.w = block.w;
    this.f32 = block.f32;
    this.f64 = block.f64;
    this.#pass = pass;
    this.#render = render ? 1 : 0;
    this.#replay = replay;
    open.add(this);
  }

  /** A recorder for a new pass, or null when passes call the engine directly. */
  static begin(pass: bigint | null, render: boolean): Recorder | null {
    if (!enabled || pass === null) return null;
    const replay = loadReplay();
    return replay ? new Recorder(pass, render, replay) : null;
  }

  /** Makes room for a command of `words` words (at most MAX_COMMAND_WORDS) and returns where it goes. */
  room(words: number): number {
    if (this.pos + words > BLOCK_WORDS) this.flush();
    return this.pos;
  }

  /** Keeps an object the stream names alive until the stream is replayed (once per generation). */
  keep(o: Keepable): void {
    if (o[KEPT_BY] !== this.#generation) {
      o[KEPT_BY] = this.#generation;
      this.#kept.push(o);
    }
  }

  /** Replays what is recorded into the pass. */
  flush(): void {
    const n = this.pos;
    if (n !== 0) {
      this.pos = 0;
      const done = this.#replay(this.#pass, this.#render, this.#block.ptr, n);
      if (done !== n) throw new Error(`wgpu-ts: internal error: command replay stopped at word ${-done - 1} of ${n}`);
    }
    if (this.#kept.length) this.#kept = [];
    this.#generation = ++generation;
  }

  /** Drops what is recorded (its pass can no longer be ended: the encoder finished) and gives the stream back. */
  discard(): void {
    this.pos = 0;
    this.#kept = [];
    open.delete(this);
    pool.push(this.#block);
  }

  /** Replays the rest and gives the stream back; the pass calls the engine directly from now on. */
  close(): void {
    this.flush();
    open.delete(this);
    pool.push(this.#block);
  }
}
