// Property tests: random texture, view, sampler and copy descriptors never crash the process;
// each call either works, raises a validation error, or throws a TypeError/RangeError.
import { test } from "node:test";
import fc from "fast-check";
import { GPUBufferUsage, textureFormats } from "../src/index.ts";
import { answers, testDevice } from "./helpers/gpu.ts";

// Mostly valid values, so that the calls get past the first checks into the engine.
const small = fc.oneof({ arbitrary: fc.integer({ min: 1, max: 9 }), weight: 8 }, fc.constant(0), fc.constant(4096), fc.constant(100000));
const usage = fc.oneof({ arbitrary: fc.integer({ min: 1, max: 0x1f }), weight: 8 }, fc.constant(0), fc.constant(0x20), fc.constant(0x100), fc.constant(-1));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const textureDescriptor = fc.record({
  size: fc.oneof(fc.tuple(small, small, small), fc.record({ width: small, height: maybe(small), depthOrArrayLayers: maybe(small) })),
  format: fc.constantFrom(...textureFormats, "nope"),
  usage,
  dimension: maybe(fc.constantFrom("1d", "2d", "3d")),
  mipLevelCount: maybe(fc.integer({ min: 0, max: 20 })),
  sampleCount: maybe(fc.constantFrom(0, 1, 2, 4, 8)),
  viewFormats: maybe(fc.array(fc.constantFrom(...textureFormats.slice(0, 30)), { maxLength: 2 })),
});

const viewDescriptor = fc.record({
  format: maybe(fc.constantFrom(...textureFormats.slice(0, 50))),
  dimension: maybe(fc.constantFrom("1d", "2d", "2d-array", "cube", "cube-array", "3d")),
  usage: maybe(usage),
  aspect: maybe(fc.constantFrom("all", "depth-only", "stencil-only")),
  baseMipLevel: maybe(fc.integer({ min: 0, max: 4 })),
  mipLevelCount: maybe(fc.integer({ min: 0, max: 4 })),
  baseArrayLayer: maybe(fc.integer({ min: 0, max: 8 })),
  arrayLayerCount: maybe(fc.integer({ min: 0, max: 8 })),
  swizzle: maybe(fc.constantFrom("rgba", "bgra", "rrr1", "xyzw")),
});

const copy = fc.record({
  mipLevel: maybe(fc.integer({ min: 0, max: 3 })),
  origin: maybe(fc.tuple(small, small, small)),
  aspect: maybe(fc.constantFrom("all", "depth-only", "stencil-only")),
  size: fc.tuple(small, small, small),
  bytesPerRow: maybe(fc.oneof(fc.constant(0), fc.constant(256), fc.integer({ min: 1, max: 300 }))),
  rowsPerImage: maybe(fc.integer({ min: 0, max: 9 })),
  offset: maybe(fc.integer({ min: 0, max: 300 })),
});

/** `answers` on the test device. */
const answer = (fn: () => void) => answers(testDevice(), fn);

test("random createTexture + createView + writeTexture/copies/readTexture never crash", () => {
  const device = testDevice();
  const buffer = device.createBuffer({ size: 1 << 16, usage: GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
  fc.assert(
    fc.property(textureDescriptor, viewDescriptor, copy, (td, vd, c) => {
      answer(() => {
        const t = device.createTexture(td as GPUTextureDescriptor);
        answer(() => t.createView(vd as GPUTextureViewDescriptor));
        const dst = { texture: t, mipLevel: c.mipLevel, origin: c.origin, aspect: c.aspect as GPUTextureAspect };
        const layout = { bytesPerRow: c.bytesPerRow, rowsPerImage: c.rowsPerImage, offset: c.offset };
        answer(() => device.queue.writeTexture(dst, new Uint8Array(4096), layout, c.size));
        answer(() => {
          const enc = device.createCommandEncoder();
          enc.copyBufferToTexture({ buffer, ...layout }, dst, c.size);
          enc.copyTextureToBuffer(dst, { buffer, ...layout }, c.size);
          enc.copyTextureToTexture(dst, { texture: t }, c.size);
          device.queue.submit([enc.finish()]);
        });
        answer(() => device.queue.readTextureSync(dst, layout, c.size));
        t.destroy();
      });
    }),
    { numRuns: Number(process.env.FUZZ_RUNS ?? 150), seed: Number(process.env.FUZZ_SEED ?? 42) },
  );
});

test("random createSampler descriptors never crash", () => {
  const device = testDevice();
  const mode = maybe(fc.constantFrom("clamp-to-edge", "repeat", "mirror-repeat", "wrap"));
  const filter = maybe(fc.constantFrom("nearest", "linear"));
  fc.assert(
    fc.property(
      fc.record({
        addressModeU: mode,
        addressModeV: mode,
        addressModeW: mode,
        magFilter: filter,
        minFilter: filter,
        mipmapFilter: filter,
        lodMinClamp: maybe(fc.double({ min: -2, max: 40 })),
        lodMaxClamp: maybe(fc.oneof(fc.double({ min: -2, max: 40 }), fc.constant(NaN))),
        compare: maybe(fc.constantFrom("never", "less", "always", "sometimes")),
        maxAnisotropy: maybe(fc.oneof(fc.integer({ min: -1, max: 70000 }), fc.double({ min: 0, max: 20 }))),
      }),
      (sd) => answer(() => device.createSampler(sd as GPUSamplerDescriptor)),
    ),
    { numRuns: 150, seed: 7 },
  );
});
