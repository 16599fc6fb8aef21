// Small writeBuffer calls through staging buffers of our own, mapped for writing: the data is
// copied once, by JS, into mapped memory, and the GPU copies it to the destination
// (copyBufferToBuffer). With wgpuQueueWriteBuffer, wgpu-native allocates and fills a fresh staging
// buffer per call (~4 µs a call for 4 KiB on lavapipe). Contiguous writes to one buffer merge
// into one copy; a full staging buffer is submitted at once, so that the GPU's copy of one chunk
// overlaps the CPU's filling of the next.
//
// Order on the queue timeline is the spec's: staged writes are submitted before any later submit,
// map or wait (FLUSH_WRITES), and before a write that goes to the engine directly. Only writes
// that pass every validation rule of writeBuffer in JS are staged; the rest go to the engine,
// which reports their errors at the call as before.
import { GPUBufferUsage } from "../api/constants.ts";
import { DESTROYED, HANDLE, INVALID, IS_LOST, MARK_SUBMITTED, ownerOf } from "./object.ts";
import { rt } from "./runtime.ts";
import type { GPUBuffer } from "./buffer.ts";
import { TAKE_FOR_SUBMIT } from "./command-encoder.ts";
import type { GPUDevice } from "./device.ts";

const { MAP_WRITE, COPY_SRC, COPY_DST } = GPUBufferUsage;
/** Bytes per staging buffer. */
const CHUNK = 4 << 20;
/**
 * Writes from this size up go to wgpuQueueWriteBuffer: for them one call is cheap next to the copy,
 * and wgpu-native's own path copies faster on some drivers (14 GiB/s against our 10 on an H200).
 */
export const DIRECT_FROM = 1 << 20;
/** Mapped staging buffers kept for reuse (64 MiB). */
const MAX_FREE = 16;
/**
 * Staging buffers on their way back (copied from, being mapped again) past which a write that would
 * need a new one goes to the engine instead. A submit after each small write hands a staging buffer
 * to the GPU each time: without a bound, a loop that never yields to the event loop (where they come
 * back) made a new 4 MiB one per submit (2 GiB of RSS in 500 write+submit cycles).
 */
const MAX_RETURNING = 16;

interface Staging {
  buffer: GPUBuffer;
  bytes: Uint8Array;
  used: number;
}

interface Copy {
  src: GPUBuffer;
  srcOffset: number;
  dst: GPUBuffer;
  dstOffset: number;
  size: number;
}

export class StagedWrites {
  readonly #device: GPUDevice;
  #current: Staging | null = null;
  /** Staging buffers filled since the last flush, still mapped. */
  #filled: Staging[] = [];
  #free: Staging[] = [];
  #copies: Copy[] = [];
  /** Staging buffers submitted and not yet mapped again. */
  #returning = 0;
  readonly #handles = new BigUint64Array(1);

  constructor(device: GPUDevice) {
    this.#device = device;
  }

  /** Whether the engine would accept this write with no error (else it goes direct, and the engine reports it). */
  static accepts(buffer: GPUBuffer, offset: number, size: number, device: GPUDevice): boolean {
    return (
      size > 0 &&
      ownerOf(buffer) === device &&
      !buffer[INVALID] &&
      size < DIRECT_FROM &&
      offset % 4 === 0 &&
      (buffer.usage & COPY_DST) !== 0 &&
      offset + size <= buffer.size &&
      buffer.mapState === "unmapped" &&
      !buffer[DESTROYED]
    );
  }

  get pending(): boolean {
    return this.#copies.length !== 0;
  }

  /** Whether a write can be staged without a new staging buffer beyond the bound (else it goes direct). */
  hasRoom(): boolean {
    return this.#current !== null || this.#free.length !== 0 || this.#returning < MAX_RETURNING;
  }

  /** Copies `data` into staging memory now; the GPU copy follows at the next flush. */
  write(dst: GPUBuffer, dstOffset: number, data: Uint8Array): void {
    let done = 0;
    while (done < data.byteLength) {
      const s = this.#current ?? this.#take();
      const n = Math.min(CHUNK - s.used, data.byteLength - done);
      s.bytes.set(n === data.byteLength ? data : data.subarray(done, done + n), s.used);
      const last = this.#copies[this.#copies.length - 1];
      if (last && last.src === s.buffer && last.srcOffset + last.size === s.used && last.dst === dst && last.dstOffset + last.size === dstOffset + done) {
        last.size += n;
      } else {
        this.#copies.push({ src: s.buffer, srcOffset: s.used, dst, dstOffset: dstOffset + done, size: n });
      }
      s.used += n;
      done += n;
      if (s.used === CHUNK) {
        this.#filled.push(s);
        this.#current = null;
        this.flush(); // the GPU copies this chunk while the next one fills
      }
    }
  }

  #take(): Staging {
    let s = this.#free.pop();
    // A free one whose mapping went (device destroyed or lost since) is of no use.
    while (s && s.buffer.mapState !== "mapped") {
      s.buffer.destroy();
      s = this.#free.pop();
    }
    if (!s) {
      const buffer = this.#device.createBuffer({ size: CHUNK, usage: MAP_WRITE | COPY_SRC, mappedAtCreation: true, label: "wgpu-ts writeBuffer staging" });
      s = { buffer, bytes: new Uint8Array(buffer.getMappedRange()), used: 0 };
    }
    this.#current = s;
    return s;
  }

  /** Submits the staged copies (before a submit, map, wait or direct write). */
  flush(): void {
    if (this.#copies.length === 0) return;
    const copies = this.#copies;
    this.#copies = [];
    const used = this.#filled;
    this.#filled = [];
    if (this.#current) {
      used.push(this.#current);
      this.#current = null;
    }
    for (const s of used) s.buffer.unmap();
    if (!this.#device[IS_LOST]) {
      const encoder = this.#device.createCommandEncoder({ label: "wgpu-ts writeBuffer copies" });
      for (const c of copies) encoder.copyBufferToBuffer(c.src, c.srcOffset, c.dst, c.dstOffset, c.size);
      const commands = encoder.finish();
      // Every copy was validated in JS; a problem here is a bug, and submitting it would abort wgpu-native.
      const problem = commands[TAKE_FOR_SUBMIT]();
      if (problem) throw new Error(`wgpu-ts: internal error: staged writeBuffer copies cannot be submitted: ${problem}`);
      commands[MARK_SUBMITTED]();
      this.#handles[0] = commands[HANDLE];
      rt().fns.wgpuQueueSubmit(this.#device.queue[HANDLE], 1, this.#handles);
    }
    for (const s of used) this.#recycle(s);
  }

  /** Maps a used staging buffer again once the GPU is done with it, for reuse. */
  #recycle(s: Staging): void {
    if (this.#free.length >= MAX_FREE || this.#device[IS_LOST]) {
      s.buffer.destroy();
      return;
    }
    this.#returning++;
    s.buffer.mapAsync(MAP_WRITE).then(
      () => {
        this.#returning--;
        // The mapping may be gone again by now (the device was destroyed in between).
        if (s.buffer.mapState !== "mapped" || this.#free.length >= MAX_FREE) {
          s.buffer.destroy();
          return;
        }
        s.bytes = new Uint8Array(s.buffer.getMappedRange());
        s.used = 0;
        this.#free.push(s);
      },
      () => {
        this.#returning--;
        s.buffer.destroy();
      },
    );
  }
}
