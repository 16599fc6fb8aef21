// Value generators for the API fuzzer: mostly plausible values, often wrong ones (wrong types,
// NaN, negative, huge, missing, extra members), and references to live or destroyed objects.
import fc from "fast-check";

/** A reference to an object of the world's pool, resolved when the step runs. */
export class Ref {
  constructor(
    readonly kind: string,
    readonly index: number,
  ) {}
  toString(): string {
    return `ref(${this.kind}#${this.index})`;
  }
}

/** Values no parameter wants: every kind of wrong. */
export const wrong: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    undefined,
    null,
    NaN,
    Infinity,
    -Infinity,
    -1,
    -0.5,
    0.5,
    2 ** 31,
    2 ** 32,
    2 ** 53,
    2 ** 64,
    Number.MAX_VALUE,
    true,
    false,
    "",
    "4",
    "nope",
    1n,
    2n ** 70n,
  ),
  fc.constantFrom(Symbol("s"), () => 1, [], [1, 2], {}, { valueOf: () => 8 }, new Uint8Array(3), new ArrayBuffer(5), new Date(0)),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 6 }),
  fc.constantFrom("GPUBuffer", "GPUDevice", "GPUCommandEncoder", "GPUComputePassEncoder").map((k) => new Ref(k, 0)),
);

/**
 * A value whose reading runs the caller's code (issue 14, class 1): a number as an object whose
 * valueOf, or a descriptor whose getters, first call `action` on a pooled object (dispose, destroy,
 * unmap, end, finish); `flip` makes a getter answer another pooled object from its second read on.
 */
export class Sneaky {
  constructor(
    readonly inner: unknown,
    readonly victim: Ref,
    readonly action: string,
    readonly flip: Ref | null,
  ) {}
  toString(): string {
    return `sneaky(${String(this.inner)}, ${this.action} ${this.victim}${this.flip ? `, flip to ${this.flip}` : ""})`;
  }
}

const victimKinds = ["GPUBuffer", "GPUBindGroup", "GPUCommandEncoder", "GPUComputePassEncoder", "GPUTextureView", "GPUTexture", "GPUQuerySet", "GPUDevice"];
const sneakyAction = fc.constantFrom("dispose", "destroy", "unmap", "end", "finish");

/** `a`, and now and then the same value read through user code (Sneaky). */
export function sneaky(a: fc.Arbitrary<unknown>, weight = 1): fc.Arbitrary<unknown> {
  const victim = fc.tuple(fc.constantFrom(...victimKinds), fc.nat(7)).map(([k, i]) => new Ref(k, i));
  const flip = fc.option(
    fc.tuple(fc.constantFrom(...victimKinds), fc.nat(7)).map(([k, i]) => new Ref(k, i)),
    { nil: null, freq: 2 },
  );
  return fc.oneof(
    { arbitrary: a, weight: 12 },
    { arbitrary: fc.tuple(a, victim, sneakyAction, flip).map(([v, r, act, f]) => new Sneaky(v, r, act, f)), weight },
  );
}

/** `good` most of the time, else something wrong. */
export function maybe<T>(good: fc.Arbitrary<T>, goodWeight = 4): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: good, weight: goodWeight }, { arbitrary: wrong, weight: 1 });
}

export const small = sneaky(maybe(fc.oneof(fc.constantFrom(0, 4, 8, 16, 64, 256), fc.nat(1024))));
export const size = sneaky(
  maybe(
    fc.oneof(
      fc.constantFrom(0, 4, 16, 64, 256, 1024),
      fc.nat(4096).map((n) => n * 4),
      fc.nat(300),
    ),
  ),
);
export const offset = sneaky(maybe(fc.oneof(fc.constantFrom(0, 0, 4, 8, 256), fc.nat(512))));
export const index = maybe(fc.oneof(fc.constantFrom(0, 0, 1, 2, 3), fc.nat(40)));
export const optional = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 3 });

/** GPUBufferUsage flags: real combinations, and stray bits. */
export const bufferUsage = maybe(
  fc.oneof(
    fc.constantFrom(0x0008, 0x0004, 0x0080, 0x0088, 0x0084, 0x0001, 0x0009, 0x0002, 0x0006, 0x0040, 0x0020, 0x0010, 0x0100, 0x0200, 0x008c),
    fc.nat(0x3ff),
    fc.constantFrom(0x10000, 0x3, 0xffffffff),
  ),
);
export const mapMode = maybe(fc.constantFrom(1, 2, 1, 2, 3, 0, 4));
export const label = optional(maybe(fc.string({ maxLength: 8 }), 6));

/** A reference to a pooled object of `kind` (or, sometimes, of another kind). */
export function ref(kind: string, others: readonly string[] = []): fc.Arbitrary<unknown> {
  const kinds = others.length ? fc.oneof({ arbitrary: fc.constant(kind), weight: 5 }, { arbitrary: fc.constantFrom(...others), weight: 1 }) : fc.constant(kind);
  return maybe(
    fc.tuple(kinds, fc.nat(7)).map(([k, i]) => new Ref(k, i)),
    8,
  );
}

/** A descriptor: some members, sometimes missing, sometimes an extra one; sometimes not an object at all. */
export function dict(members: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  const record = fc.record(members, { requiredKeys: [] });
  const withExtra = fc.tuple(record, fc.string({ maxLength: 5 }), wrong).map(([r, k, v]) => ({ [k || "extra"]: v, ...r }));
  return sneaky(fc.oneof({ arbitrary: record, weight: 8 }, { arbitrary: withExtra, weight: 2 }, { arbitrary: wrong, weight: 1 }), 2);
}

/** A sequence: an array, sometimes another iterable, sometimes not one. */
export function seq(item: fc.Arbitrary<unknown>, maxLength = 4): fc.Arbitrary<unknown> {
  const array = fc.array(item, { maxLength });
  return fc.oneof({ arbitrary: array, weight: 8 }, { arbitrary: array.map((a) => new Set(a)), weight: 1 }, { arbitrary: wrong, weight: 1 });
}

/** A BufferSource of some kind and length. */
export const bytes = maybe(
  fc.oneof(
    fc.nat(64).map((n) => new Uint8Array(n)),
    fc.nat(16).map((n) => new Float32Array(n)),
    fc.nat(8).map((n) => new Uint32Array(n)),
    fc.nat(64).map((n) => new ArrayBuffer(n)),
    fc.nat(32).map((n) => new DataView(new ArrayBuffer(n + 4), 2)),
    fc.nat(8).map((n) => new BigInt64Array(n)),
  ),
  6,
);

export const wgsl = maybe(
  fc.constantFrom(
    "@compute @workgroup_size(1) fn main() {}",
    "@group(0) @binding(0) var<storage, read_write> d: array<u32>; @compute @workgroup_size(1) fn main() { d[0] = 1u; }",
    "@group(0) @binding(0) var<uniform> u: vec4f; @compute @workgroup_size(64) fn main() { _ = u; }",
    "@vertex fn vs(@builtin(vertex_index) i: u32) -> @builtin(position) vec4f { return vec4f(f32(i), 0, 0, 1); } @fragment fn fs() -> @location(0) vec4f { return vec4f(1); }",
    "@vertex fn vs(@location(0) p: vec2f) -> @builtin(position) vec4f { return vec4f(p, 0, 1); } @fragment fn fs() -> @location(0) vec4f { return vec4f(1); }",
    "fn nope( {",
    "@compute @workgroup_size(0) fn main() {}",
    "",
  ),
  6,
);

export function oneOf<T>(...values: T[]): fc.Arbitrary<unknown> {
  return maybe(fc.constantFrom(...values), 8);
}

/** Texture formats: common, depth, compressed (which lavapipe may lack), and bad names. */
export const textureFormat = oneOf(
  "rgba8unorm",
  "bgra8unorm",
  "r32float",
  "rgba16float",
  "depth24plus",
  "depth32float",
  "depth24plus-stencil8",
  "stencil8",
  "bc1-rgba-unorm",
  "r8uint",
  "rgba8unorm-srgb",
  "nope",
);
export const textureUsage = maybe(fc.oneof(fc.constantFrom(0x10, 0x11, 0x04, 0x06, 0x08, 0x1f, 0x12), fc.nat(0x1f), fc.constantFrom(0, 0x20, 0x100000)));
/** GPUExtent3D and GPUOrigin3D: a sequence or a dictionary. */
export const extent = maybe(
  fc.oneof(
    fc.array(fc.oneof(fc.constantFrom(0, 1, 4, 16), fc.nat(70)), { minLength: 0, maxLength: 4 }),
    fc.record(
      { width: fc.oneof(fc.constantFrom(1, 4), fc.nat(70)), height: fc.oneof(fc.constantFrom(1, 4), fc.nat(70)), depthOrArrayLayers: fc.constantFrom(1, 2, 0) },
      { requiredKeys: [] },
    ),
  ) as fc.Arbitrary<unknown>,
  6,
);
