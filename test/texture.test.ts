// GPUTexture, GPUTextureView, GPUSampler: creation, attributes, validation (no process aborts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { GPUTexture, GPUTextureUsage, GPUTextureView, GPUSampler, GPUValidationError } from "../src/index.ts";
import { liveObjectCounts } from "../src/native/index.ts";
import { testDevice, validationErrorOf } from "./helpers/gpu.ts";

const { COPY_SRC, COPY_DST, TEXTURE_BINDING, RENDER_ATTACHMENT } = GPUTextureUsage;

test("a texture format whose feature the device lacks is a TypeError wherever a format is given", async () => {
  const device = testDevice();
  assert.ok(!device.features.has("texture-compression-bc"), "the test device asks for no features");
  const format = "bc1-rgba-unorm";
  const err = { name: "TypeError", message: /needs the "texture-compression-bc" feature/ };
  assert.throws(() => device.createTexture({ size: [4, 4], format, usage: COPY_DST }), err);
  assert.throws(() => device.createTexture({ size: [4, 4], format: "rgba8unorm", usage: COPY_DST, viewFormats: [format] }), err);
  assert.throws(() => device.createTexture({ size: [4, 4], format: "rgba8unorm", usage: COPY_DST }).createView({ format }), err);
  assert.throws(() => device.createRenderBundleEncoder({ colorFormats: [format] }), err);
  assert.throws(() => device.createBindGroupLayout({ entries: [{ binding: 0, visibility: 1, storageTexture: { format } }] }), err);
  const module = device.createShaderModule({
    code: "@vertex fn vs() -> @builtin(position) vec4f { return vec4f(0); } @fragment fn fs() -> @location(0) vec4f { return vec4f(1); }",
  });
  const pipeline = { layout: "auto", vertex: { module }, fragment: { module, targets: [{ format }] } } as const;
  assert.throws(() => device.createRenderPipeline(pipeline), err);
  await assert.rejects(device.createRenderPipelineAsync(pipeline), err);
});

test("createTexture: every dimension, with the spec's attributes and the size extra", async () => {
  const device = testDevice();
  const cases: [GPUTextureDescriptor, [number, number, number]][] = [
    [{ size: [16], dimension: "1d", format: "r8unorm", usage: COPY_DST }, [16, 1, 1]],
    [{ size: { width: 5, height: 3 }, format: "rgba8unorm", usage: COPY_DST | TEXTURE_BINDING, mipLevelCount: 2 }, [5, 3, 1]],
    [{ size: [8, 8, 4], format: "rgba16float", usage: COPY_DST | TEXTURE_BINDING }, [8, 8, 4]],
    [{ size: [4, 4, 6], format: "bgra8unorm", usage: TEXTURE_BINDING }, [4, 4, 6]],
    [{ size: [4, 4, 3], dimension: "3d", format: "rgba32float", usage: COPY_SRC, mipLevelCount: 3 }, [4, 4, 3]],
    [{ size: [8, 8], format: "depth24plus-stencil8", usage: RENDER_ATTACHMENT, sampleCount: 4 }, [8, 8, 1]],
  ];
  for (const [desc, size] of cases) {
    const err = await validationErrorOf(device, () => {
      const t = device.createTexture({ ...desc, label: "t" });
      assert.ok(t instanceof GPUTexture);
      assert.deepEqual(t.size, size);
      assert.deepEqual([t.width, t.height, t.depthOrArrayLayers], size);
      assert.equal(t.mipLevelCount, desc.mipLevelCount ?? 1);
      assert.equal(t.sampleCount, desc.sampleCount ?? 1);
      assert.equal(t.dimension, desc.dimension ?? "2d");
      assert.equal(t.format, desc.format);
      assert.equal(t.usage, desc.usage);
      assert.equal(t.label, "t");
      t.destroy();
      t.destroy(); // twice is fine
    });
    assert.equal(err, null, JSON.stringify(desc));
  }
});

test("createView: dimensions, mip and layer ranges, aspects, formats; view.texture and view.size", async () => {
  const device = testDevice();
  const arr = device.createTexture({
    size: [8, 8, 6],
    format: "rgba8unorm",
    usage: TEXTURE_BINDING | RENDER_ATTACHMENT,
    mipLevelCount: 3,
    viewFormats: ["rgba8unorm-srgb"],
  });
  const depth = device.createTexture({ size: [8, 8], format: "depth24plus-stencil8", usage: TEXTURE_BINDING | RENDER_ATTACHMENT });
  const err = await validationErrorOf(device, () => {
    const views = [
      arr.createView(),
      arr.createView({ dimension: "cube" }),
      arr.createView({ dimension: "2d-array", baseArrayLayer: 1, arrayLayerCount: 4 }),
      arr.createView({ dimension: "2d", baseArrayLayer: 5, baseMipLevel: 1, mipLevelCount: 2 }),
      arr.createView({ dimension: "cube-array", arrayLayerCount: 6, format: "rgba8unorm-srgb", usage: TEXTURE_BINDING, label: "v" }),
      arr.createView({ dimension: "2d", swizzle: "rgba" }),
      depth.createView({ aspect: "depth-only" }),
      depth.createView({ aspect: "stencil-only" }),
      depth.createView({ aspect: "all", dimension: "2d" }),
    ];
    for (const v of views) assert.ok(v instanceof GPUTextureView);
    assert.equal(views[0].texture, arr);
    assert.deepEqual(views[3].size, [8, 8, 6]);
    assert.equal(views[4].label, "v");
  });
  assert.equal(err, null);
});

test("createView: invalid descriptors are validation errors, never aborts", async () => {
  const device = testDevice();
  const t = device.createTexture({ size: [4, 4], format: "rgba8unorm", usage: COPY_DST | TEXTURE_BINDING });
  const bad: [GPUTextureViewDescriptor, RegExp][] = [
    [{ mipLevelCount: 0 }, /mipLevelCount must be at least 1/],
    [{ arrayLayerCount: 0 }, /arrayLayerCount must be at least 1/],
    [{ usage: 0x100 }, /not GPUTextureUsage flags/],
    [{ swizzle: "bgra" }, /texture-component-swizzle/],
    [{ aspect: "depth-only" }, /aspect/i],
    [{ format: "r8unorm" }, /format/i],
    [{ dimension: "3d" }, /dimension/i],
    [{ baseMipLevel: 1 }, /mip/i],
    [{ usage: RENDER_ATTACHMENT }, /usage/i],
  ];
  for (const [desc, re] of bad) {
    const e = await validationErrorOf(device, () => assert.ok(t.createView(desc) instanceof GPUTextureView));
    assert.ok(e instanceof GPUValidationError, JSON.stringify(desc));
    assert.match(e.message, re);
  }
  assert.throws(() => t.createView({ swizzle: "rgbx" }), TypeError);
  assert.throws(() => t.createView({ dimension: "4d" as GPUTextureViewDimension }), TypeError);
  assert.throws(() => t.createView({ baseMipLevel: -1 }), TypeError);
});

test("createTexture: bad input is a TypeError or a validation error, never an abort", async () => {
  const device = testDevice();
  const base: GPUTextureDescriptor = { size: [4, 4], format: "rgba8unorm", usage: COPY_DST };
  const invalid: [Partial<GPUTextureDescriptor>, RegExp][] = [
    [{ mipLevelCount: 0 }, /mipLevelCount/],
    [{ sampleCount: 0 }, /sampleCount/],
    [{ usage: 0x1000 }, /not GPUTextureUsage flags/],
    [{ usage: 0x30 }, /TRANSIENT_ATTACHMENT/], // aborts wgpu-native 29
    [{ usage: 0 }, /usage/i],
    [{ size: [0, 4] }, /zero|empty/i],
    [{ sampleCount: 3 }, /sample count/i],
    [{ dimension: "1d" }, /limit|exceed/i],
    [{ viewFormats: ["r8unorm"] }, /view format/i],
    [{ size: [1 << 20, 4] }, /limit|exceed/i],
    [{ mipLevelCount: 10 }, /mip/i],
  ];
  for (const [patch, re] of invalid) {
    const e = await validationErrorOf(device, () => assert.ok(device.createTexture({ ...base, ...patch }) instanceof GPUTexture));
    assert.ok(e instanceof GPUValidationError, JSON.stringify(patch));
    assert.match(e.message, re, JSON.stringify(patch));
  }
  const types: Partial<Record<keyof GPUTextureDescriptor, unknown>>[] = [
    { size: undefined },
    { size: [] },
    { size: [1, 2, 3, 4] },
    { size: { height: 2 } },
    { format: "rgb8unorm" },
    { format: "astc-4x4-unorm" }, // its feature is missing: the spec makes that a TypeError
    { format: undefined },
    { usage: undefined },
    { usage: -1 },
    { dimension: "4d" },
    { viewFormats: "rgba8unorm" },
    { viewFormats: ["nope"] },
    { textureBindingViewDimension: "5d" },
  ];
  for (const patch of types) assert.throws(() => device.createTexture({ ...base, ...patch } as GPUTextureDescriptor), TypeError, JSON.stringify(patch));
  assert.throws(() => device.createTexture(undefined as unknown as GPUTextureDescriptor), TypeError);
});

test("createSampler: every member; invalid values are validation errors or TypeErrors", async () => {
  const device = testDevice();
  const ok = await validationErrorOf(device, () => {
    assert.ok(device.createSampler() instanceof GPUSampler);
    const s = device.createSampler({
      label: "s",
      addressModeU: "repeat",
      addressModeV: "mirror-repeat",
      addressModeW: "clamp-to-edge",
      magFilter: "linear",
      minFilter: "linear",
      mipmapFilter: "linear",
      lodMinClamp: 1,
      lodMaxClamp: 8,
      compare: "less-equal",
      maxAnisotropy: 16,
    });
    assert.equal(s.label, "s");
    device.createSampler({ maxAnisotropy: 1.5 }); // [Clamp]: rounds to 2 ... with nearest filters, see below
  });
  assert.ok(ok instanceof GPUValidationError, "maxAnisotropy 2 with nearest filters is invalid");
  for (const desc of [{ maxAnisotropy: 0 }, { lodMinClamp: 5, lodMaxClamp: 1 }, { lodMinClamp: -1 }, { maxAnisotropy: 4 }] as GPUSamplerDescriptor[]) {
    const e = await validationErrorOf(device, () => device.createSampler(desc));
    assert.ok(e instanceof GPUValidationError, JSON.stringify(desc));
  }
  assert.equal(await validationErrorOf(device, () => device.createSampler({ maxAnisotropy: 1.4 })), null, "1.4 clamps to 1");
  for (const desc of [{ addressModeU: "wrap" }, { magFilter: "cubic" }, { compare: "sometimes" }, { lodMinClamp: NaN }, { lodMaxClamp: Infinity }]) {
    assert.throws(() => device.createSampler(desc as GPUSamplerDescriptor), TypeError, JSON.stringify(desc));
  }
});

test("importExternalTexture is a clear TypeError (no video frames in Node.js)", () => {
  const device = testDevice();
  assert.throws(() => device.importExternalTexture({ source: {} as VideoFrame }), /not supported/);
});

test("textures, views and samplers release their native objects: live counts come back", () => {
  const device = testDevice();
  const counts = () => {
    const c = liveObjectCounts();
    return [c.GPUTexture ?? 0, c.GPUTextureView ?? 0, c.GPUSampler ?? 0];
  };
  const before = counts();
  for (let i = 0; i < 100; i++) {
    using t = device.createTexture({ size: [16, 16], format: "rgba8unorm", usage: TEXTURE_BINDING });
    using v = t.createView();
    using s = device.createSampler();
    assert.equal(v.texture, t);
    void s;
  }
  assert.deepEqual(counts(), before);
  const t = device.createTexture({ size: [4, 4], format: "rgba8unorm", usage: TEXTURE_BINDING });
  t[Symbol.dispose]();
  assert.throws(() => t.createView(), /disposed/);
});

test("createView: a view's usage must be a subset of its texture's (a validation error otherwise)", async () => {
  const device = testDevice();
  const { TEXTURE_BINDING, RENDER_ATTACHMENT, STORAGE_BINDING } = GPUTextureUsage;
  const texture = device.createTexture({ size: [4, 4], format: "rgba8unorm", usage: TEXTURE_BINDING | RENDER_ATTACHMENT });
  assert.equal(await validationErrorOf(device, () => texture.createView({ usage: TEXTURE_BINDING })), null);
  const error = await validationErrorOf(device, () => texture.createView({ usage: TEXTURE_BINDING | STORAGE_BINDING }));
  assert.match(error?.message ?? "", /GPUTexture\.createView: usage \(0xc\) has bits the texture's usage \(0x14\) lacks/);
});
