// The frame loop, in a browser's shape: each frame, window events are dispatched, the
// requestAnimationFrame callbacks run, and the canvases present what was drawn. It runs on the
// event loop with one timer (no busy loop); with no window open and no callback pending it
// leaves no timer behind, so the process exits by itself.

/** How often the loop looks for window events while no frame is wanted. */
const IDLE_POLL_MS = 16;
/** A browser's frame rate where no display sets one. */
export const DEFAULT_FRAME_MS = 1000 / 60;

/** The requestAnimationFrame callbacks of one owner (a window, an offscreen canvas, the global scope). */
export class AnimationFrames {
  #next = 1;
  #callbacks = new Map<number, FrameRequestCallback>();

  request(callback: FrameRequestCallback, ctx = "requestAnimationFrame"): number {
    if (typeof callback !== "function") throw new TypeError(`${ctx}: callback must be a function`);
    const id = this.#next++;
    this.#callbacks.set(id, callback);
    wake();
    return id;
  }

  cancel(id: number): void {
    this.#callbacks.delete(Number(id));
  }

  get pending(): boolean {
    return this.#callbacks.size > 0;
  }

  clear(): void {
    this.#callbacks.clear();
  }

  /** Runs the callbacks requested before this frame (those they request wait for the next one). */
  run(now: number): boolean {
    if (this.#callbacks.size === 0) return false;
    const due = [...this.#callbacks.values()];
    this.#callbacks.clear();
    for (const callback of due) {
      try {
        callback(now);
      } catch (e) {
        // As a browser reports it and runs the other callbacks: here it is an uncaught exception.
        queueMicrotask(() => {
          throw e;
        });
      }
    }
    return true;
  }
}

/** Something that takes part in frames: a window, or an offscreen canvas with callbacks. */
export interface FrameSource {
  readonly frames: AnimationFrames;
  /** No frames while paused (a minimized window); its callbacks wait. */
  readonly paused: boolean;
  /** Milliseconds between its frames: 0 as soon as possible (vsync off). */
  readonly frameInterval: number;
  /** An open window keeps the loop (and the process) alive. */
  readonly keepsAlive: boolean;
  /** After the frame's callbacks (`ran`: some ran for it): presents what was drawn. */
  endFrame(ran: boolean): void;
}

/** The global scope's requestAnimationFrame (installGlobals). */
export const globalFrames = new AnimationFrames();
const sources = new Set<FrameSource>();
let beforeFrame: (() => void) | null = null;
let timer: { due: number; cancel: () => void } | null = null;
let lastFrame = 0;

/** Takes part in frames until removeFrameSource. */
export function addFrameSource(source: FrameSource): void {
  sources.add(source);
  wake();
}

export function removeFrameSource(source: FrameSource): void {
  sources.delete(source);
}

/** Runs first in every turn of the loop (window events). */
export function setBeforeFrame(fn: () => void): void {
  beforeFrame = fn;
}

function wantsFrame(s: FrameSource): boolean {
  return s.frames.pending && !s.paused;
}

/** When the next turn is due: null when nothing needs one. */
function nextDue(now: number): number | null {
  let interval = Infinity;
  let alive = false;
  for (const s of sources) {
    if (wantsFrame(s)) interval = Math.min(interval, s.frameInterval);
    alive ||= s.keepsAlive;
  }
  if (globalFrames.pending && interval === Infinity) {
    // Global callbacks follow the windows' frames, else a browser's rate.
    let windows = Infinity;
    for (const s of sources) if (s.keepsAlive) windows = Math.min(windows, s.frameInterval);
    interval = windows === Infinity ? DEFAULT_FRAME_MS : windows;
  }
  if (interval !== Infinity) return Math.max(now, lastFrame + interval);
  return alive ? now + IDLE_POLL_MS : null;
}

/** (Re)schedules the next turn; one timer at a time, moved earlier when a frame is wanted sooner. */
export function wake(): void {
  const now = performance.now();
  const due = nextDue(now);
  if (due === null) {
    timer?.cancel();
    timer = null;
    return;
  }
  if (timer && timer.due <= due + 1) return;
  timer?.cancel();
  const delay = due - now;
  if (delay <= 0) {
    const h = setImmediate(turn);
    timer = { due, cancel: () => clearImmediate(h) };
  } else {
    const h = setTimeout(turn, delay);
    timer = { due, cancel: () => clearTimeout(h) };
  }
}

function turn(): void {
  timer = null;
  try {
    beforeFrame?.();
    const now = performance.now();
    const due = [...sources].filter(wantsFrame);
    if (due.length || globalFrames.pending) lastFrame = now;
    const ranGlobal = globalFrames.run(now);
    for (const s of sources) {
      const ran = due.includes(s) && s.frames.run(now);
      s.endFrame(ran || ranGlobal);
    }
  } finally {
    wake();
  }
}
