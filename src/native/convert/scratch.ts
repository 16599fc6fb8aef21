// Native scratch memory for descriptor conversion (the per-call arena of DESIGN.md §4).
// A conversion writes C structs into one contiguous native block and passes their addresses to
// the engine; the block is reused by the next call. When a descriptor does not fit, the block
// grows and the conversion runs again, so offsets and pointers never span two blocks.
import koffi from "koffi";

const OVERFLOW = Symbol("scratch overflow");
const encoder = new TextEncoder();
const STRLEN = 0xffffffffffffffffn;

export class Scratch {
  #size = 0;
  #ptr = 0n;
  /** The address of the block as a Number (exact: user-space addresses are below 2^53). */
  #base = 0;
  #top = 0;
  dv!: DataView;
  u8!: Uint8Array;

  constructor(size: number) {
    this.#allocate(size);
  }

  #allocate(size: number): void {
    if (this.#ptr) koffi.free(this.#ptr);
    this.#size = size;
    this.#ptr = koffi.alloc("uint8_t", size) as unknown as bigint;
    this.#base = Number(this.#ptr);
    const ab = koffi.view(this.#ptr, size);
    this.dv = new DataView(ab);
    this.u8 = new Uint8Array(ab);
  }

  reset(): void {
    this.#top = 0;
  }

  grow(): void {
    this.#allocate(this.#size * 2);
  }

  /** Reserves `size` zeroed bytes and returns their offset in the block. */
  alloc(size: number, align = 8): number {
    const off = Math.ceil(this.#top / align) * align;
    if (off + size > this.#size) throw OVERFLOW;
    this.#top = off + size;
    this.u8.fill(0, off, off + size);
    return off;
  }

  /** The native address of an offset. */
  addr(off: number): bigint {
    return BigInt(this.#base + off);
  }

  u32(off: number, v: number): void {
    this.dv.setUint32(off, v, true);
  }
  i32(off: number, v: number): void {
    this.dv.setInt32(off, v, true);
  }
  f32(off: number, v: number): void {
    this.dv.setFloat32(off, v, true);
  }
  f64(off: number, v: number): void {
    this.dv.setFloat64(off, v, true);
  }
  u64(off: number, v: number | bigint): void {
    this.dv.setBigUint64(off, BigInt(v), true);
  }
  ptr(off: number, p: bigint | null | undefined): void {
    this.dv.setBigUint64(off, p ?? 0n, true);
  }

  /** Writes a WGPUStringView at `off`: `undefined` is the null string {NULL, WGPU_STRLEN}, "" is {NULL, 0}. */
  stringView(off: number, s: string | undefined): void {
    if (s === undefined) return this.u64(off + 8, STRLEN);
    if (s.length === 0) return; // already zeroed: {NULL, 0}
    const { data, length } = this.stringViewValue(s);
    this.ptr(off, data);
    this.u64(off + 8, length);
  }

  /** A WGPUStringView passed by value: the bytes live in the block until the call returns. */
  stringViewValue(s: string): { data: bigint | null; length: number } {
    if (s.length === 0) return { data: null, length: 0 };
    const data = this.alloc(s.length * 3, 1);
    const { written } = encoder.encodeInto(s, this.u8.subarray(data, data + s.length * 3));
    return { data: this.addr(data), length: written };
  }

  /** Copies bytes into the block and returns their address. */
  bytes(src: Uint8Array | Uint32Array): bigint {
    const off = this.alloc(src.byteLength, 8);
    this.u8.set(new Uint8Array(src.buffer, src.byteOffset, src.byteLength), off);
    return this.addr(off);
  }
}

const pool: Scratch[] = [];
let depth = 0;

/**
 * Runs `fn` with a scratch block: convert, then call the engine, inside `fn`. Nested use (a
 * descriptor getter that calls the API) gets a block of its own.
 */
export function withScratch<T>(fn: (s: Scratch) => T): T {
  const s = (pool[depth] ??= new Scratch(64 * 1024));
  depth++;
  try {
    for (;;) {
      s.reset();
      try {
        return fn(s);
      } catch (e) {
        if (e !== OVERFLOW) throw e;
        s.grow();
      }
    }
  } finally {
    depth--;
  }
}
