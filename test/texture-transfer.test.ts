// Texel transfers: writeTexture -> readTexture round trips for every color format the adapter
// supports, buffer<->texture and texture->texture copies, depth/stencil aspects, bad input.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  GPUBufferUsage,
  GPUMapMode,
  GPUShaderStage,
  GPUTextureUsage,
  GPUValidationError,
  copyBlock,
  textureFormatInfo,
  textureFormats,
  type GPUDevice,
  type GPUTexture,
} from "../src/index.ts";
import { testAdapter, validationErrorOf } from "./helpers/gpu.ts";
import { engine, engineSkip } from "./helpers/engine.ts";

const { COPY_SRC, COPY_DST, TEXTURE_BINDING, STORAGE_BINDING } = GPUTextureUsage;

/** A device with every texture-format feature the adapter has (wgpu-native and Dawn name 16-bit norm formats their own ways). */
let device: GPUDevice | undefined;
const formatFeatures = [
  "texture-compression-bc",
  "texture-compression-etc2",
  "texture-compression-astc",
  "depth32float-stencil8",
  "texture-format16bit-norm",
  "unorm16-texture-formats",
  "texture-formats-tier1",
  "float32-filterable",
];
function formatDevice(): GPUDevice {
  const adapter = testAdapter();
  device ??= adapter.requestDeviceSync({ requiredFeatures: formatFeatures.filter((f) => adapter.features.has(f)) as GPUFeatureName[], label: "format device" });
  return device;
}

/** Deterministic bytes that differ per texel, level and layer. */
function pattern(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed * 2654435761;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** Float formats may canonicalize NaNs and denormals: keep those bytes out of the pattern. */
function sanitize(format: string, bytes: Uint8Array): Uint8Array {
  if (/16float/.test(format)) for (let i = 1; i < bytes.length; i += 2) bytes[i] &= 0x3b; // finite halves, exponent < max
  if (/32float/.test(format)) for (let i = 3; i < bytes.length; i += 4) bytes[i] = (bytes[i] & 0x3f) | 0x01; // finite, normal-ish
  return bytes;
}

const tested: string[] = [];
const unsupported: string[] = [];

/** The 16-bit norm formats come with texture-formats-tier1, or with the engine's own feature for them. */
const has16bitNorm = (d: GPUDevice) => d.features.has("texture-format16bit-norm") || d.features.has("unorm16-texture-formats");

test("writeTexture -> readTexture round-trips every color format the device supports (odd widths, mips, layers)", async () => {
  const d = formatDevice();
  const has = (feature: string) => d.features.has(feature) || (feature === "texture-formats-tier1" && has16bitNorm(d));
  for (const format of textureFormats) {
    const info = textureFormatInfo(format)!;
    if (info.hasDepth || info.hasStencil) continue;
    if (info.feature && !has(info.feature)) {
      unsupported.push(`${format} (needs ${info.feature})`);
      continue;
    }
    const bw = info.blockWidth;
    const bh = info.blockHeight;
    // A width that is not a multiple of 256 bytes per row, in whole blocks.
    const width = bw === 1 ? 37 : bw * 5;
    const height = bh * 3;
    d.pushErrorScope("validation");
    const t = d.createTexture({ size: [width, height, 2], format: format as GPUTextureFormat, usage: COPY_SRC | COPY_DST, mipLevelCount: 2 });
    const expected: Uint8Array[] = [];
    for (let mip = 0; mip < 2; mip++) {
      for (let layer = 0; layer < 2; layer++) {
        const [w, h] = [Math.ceil(Math.max(1, width >> mip) / bw) * bw, Math.ceil(Math.max(1, height >> mip) / bh) * bh];
        const rowBytes = (w / bw) * info.bytesPerBlock;
        const data = sanitize(format, pattern(rowBytes * (h / bh), mip * 2 + layer + format.length));
        d.queue.writeTexture({ texture: t, mipLevel: mip, origin: [0, 0, layer] }, data, { bytesPerRow: rowBytes }, [w, h, 1]);
        expected.push(data);
      }
    }
    const err = await d.popErrorScope();
    if (err) {
      unsupported.push(`${format} (${err.message.split("\n").filter(Boolean).pop()?.trim()})`);
      continue;
    }
    let i = 0;
    for (let mip = 0; mip < 2; mip++) {
      for (let layer = 0; layer < 2; layer++) {
        const got = new Uint8Array(
          d.queue.readTextureSync({ texture: t, mipLevel: mip, origin: [0, 0, layer] }, [
            Math.ceil(Math.max(1, width >> mip) / bw) * bw,
            Math.ceil(Math.max(1, height >> mip) / bh) * bh,
            1,
          ]),
        );
        assert.deepEqual(got, expected[i++], `${format} mip ${mip} layer ${layer}`);
      }
    }
    // Both layers of mip 0 in one read (rowsPerImage = rows), async form.
    const both = new Uint8Array(await d.queue.readTexture({ texture: t }, { bytesPerRow: undefined }, [width, height, 2]));
    assert.deepEqual(both, new Uint8Array([...expected[0], ...expected[1]]), `${format} both layers`);
    t.destroy();
    tested.push(format);
  }
  const colorCount = textureFormats.filter((f) => !textureFormatInfo(f)!.hasDepth && !textureFormatInfo(f)!.hasStencil).length;
  assert.equal(tested.length + unsupported.length, colorCount);
});

test(
  "every uncompressed color format of the spec round-trips on lavapipe",
  engineSkip(
    "dawn",
    "Dawn's lavapipe adapter has no texture-formats-tier1, and Dawn's own unorm16-texture-formats covers only the unorm ones: r16snorm, rg16snorm, rgba16snorm are unavailable",
  ),
  () => {
    assert.ok(tested.length > 0, "runs after the round trip");
    for (const f of textureFormats)
      if (textureFormatInfo(f)!.kind !== "compressed" && textureFormatInfo(f)!.components > 0) assert.ok(tested.includes(f), `${f} tested`);
  },
);

test("3d textures: writeTexture with rowsPerImage, readTexture of a sub-box and of a whole mip level", async () => {
  const d = formatDevice();
  const t = d.createTexture({ size: [5, 3, 4], dimension: "3d", format: "rgba8uint", usage: COPY_SRC | COPY_DST, mipLevelCount: 2 });
  // rowsPerImage 4 (> 3 rows) and bytesPerRow 24 (> 20): the padding bytes are skipped.
  const data = pattern(24 * 4 * 4, 7);
  d.queue.writeTexture({ texture: t }, data, { bytesPerRow: 24, rowsPerImage: 4 }, [5, 3, 4]);
  const tight = new Uint8Array(20 * 3 * 4);
  for (let z = 0; z < 4; z++) for (let y = 0; y < 3; y++) tight.set(data.subarray(z * 96 + y * 24, z * 96 + y * 24 + 20), z * 60 + y * 20);
  assert.deepEqual(new Uint8Array(await d.queue.readTexture({ texture: t })), tight, "whole level, default size");
  const box = new Uint8Array(d.queue.readTextureSync({ texture: t, origin: { x: 1, y: 1, z: 2 } }, [2, 2, 2]));
  const want: number[] = [];
  for (let z = 2; z < 4; z++) for (let y = 1; y < 3; y++) want.push(...tight.subarray(z * 60 + y * 20 + 4, z * 60 + y * 20 + 12));
  assert.deepEqual(Array.from(box), want);
  // mip 1 of a 5x3x4 3d texture is 2x1x2.
  assert.equal(d.queue.readTextureSync({ texture: t, mipLevel: 1 }).byteLength, 2 * 1 * 2 * 4);
  // A caller's layout: offset and wider rows.
  const laid = new Uint8Array(d.queue.readTextureSync({ texture: t }, { offset: 8, bytesPerRow: 32, rowsPerImage: 3 }, [5, 3, 1]));
  assert.equal(laid.byteLength, 8 + 32 * 2 + 20);
  assert.deepEqual(Array.from(laid.subarray(8 + 32, 8 + 32 + 20)), Array.from(tight.subarray(20, 40)));
  assert.deepEqual(Array.from(laid.subarray(0, 8)), [0, 0, 0, 0, 0, 0, 0, 0]);
});

test("3d textures: encoder copies at origin.z > 0 keep their data through later submits (wgpu-core 29 lost it)", () => {
  const d = formatDevice();
  // Mip 1 of 8x6x6 is 4x3x3: copies fill its slices 1 and 2 and leave slice 0 untouched.
  const volume = () => d.createTexture({ size: [8, 6, 6], dimension: "3d", format: "r8uint", usage: COPY_SRC | COPY_DST | TEXTURE_BINDING, mipLevelCount: 2 });
  const [a, b] = [volume(), volume()];
  const data = pattern(256 * 3 * 2, 11);
  const enc = d.createCommandEncoder();
  enc.copyBufferToTexture(
    { buffer: d.createBufferWithData(data, GPUBufferUsage.COPY_SRC), bytesPerRow: 256, rowsPerImage: 3 },
    { texture: a, mipLevel: 1, origin: [0, 0, 1] },
    [4, 3, 2],
  );
  d.queue.submit([enc.finish()]);
  // Another submit: the texture-to-texture copy into b at z = 1, then a read of each, in later ones.
  const enc2 = d.createCommandEncoder();
  enc2.copyTextureToTexture({ texture: a, mipLevel: 1, origin: { z: 1 } }, { texture: b, mipLevel: 1, origin: { z: 1 } }, [4, 3, 2]);
  d.queue.submit([enc2.finish()]);
  const want = new Uint8Array(4 * 3 * 3);
  for (let z = 0; z < 2; z++) for (let y = 0; y < 3; y++) want.set(data.subarray(z * 768 + y * 256, z * 768 + y * 256 + 4), (z + 1) * 12 + y * 4);
  for (const [name, t] of [
    ["copyBufferToTexture", a],
    ["copyTextureToTexture", b],
  ] as const)
    assert.deepEqual(new Uint8Array(d.queue.readTextureSync({ texture: t, mipLevel: 1 })), want, `${name}: slice 0 zeros, slices 1 and 2 the data`);
});

test("copyBufferToTexture, copyTextureToTexture, copyTextureToBuffer move the same bytes", async () => {
  const d = formatDevice();
  const [w, h] = [13, 5];
  const data = pattern(256 * h, 3);
  const src = d.createBufferWithData(data, GPUBufferUsage.COPY_SRC);
  const a = d.createTexture({ size: [w, h, 2], format: "rgba8unorm", usage: COPY_SRC | COPY_DST });
  const b = d.createTexture({ size: [w * 2, h * 2], format: "rgba8unorm", usage: COPY_SRC | COPY_DST, mipLevelCount: 2 });
  const out = d.createBuffer({ size: 256 * h, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
  const enc = d.createCommandEncoder();
  enc.copyBufferToTexture({ buffer: src, bytesPerRow: 256 }, { texture: a, origin: [0, 0, 1] }, { width: w, height: h });
  enc.copyTextureToTexture({ texture: a, origin: { z: 1 } }, { texture: b, mipLevel: 1 }, [w, h]);
  enc.copyTextureToBuffer({ texture: b, mipLevel: 1 }, { buffer: out, bytesPerRow: 256, rowsPerImage: h }, [w, h, 1]);
  d.queue.submit([enc.finish()]);
  await out.mapAsync(GPUMapMode.READ);
  const got = new Uint8Array(out.getMappedRange());
  for (let y = 0; y < h; y++) assert.deepEqual(got.subarray(y * 256, y * 256 + w * 4), data.subarray(y * 256, y * 256 + w * 4), `row ${y}`);
  out.unmap();
  const rows = new Uint8Array(d.queue.readTextureSync({ texture: b, mipLevel: 1 }));
  assert.equal(rows.byteLength, w * h * 4);
  assert.deepEqual(rows.subarray(w * 4, w * 8), data.subarray(256, 256 + w * 4));
});

test("depth and stencil aspects: copyable aspects round-trip, the others are validation errors", async () => {
  const d = formatDevice();
  const cases: [GPUTextureFormat, GPUTextureAspect][] = [
    ["depth16unorm", "all"],
    ["depth16unorm", "depth-only"],
    ["stencil8", "all"],
    ["stencil8", "stencil-only"],
    ["depth24plus-stencil8", "stencil-only"],
  ];
  if (d.features.has("depth32float-stencil8")) cases.push(["depth32float-stencil8", "stencil-only"]);
  for (const [format, aspect] of cases) {
    const t = d.createTexture({ size: [7, 3], format, usage: COPY_SRC | COPY_DST });
    const block = copyBlock(format, aspect, "dst");
    assert.ok(typeof block !== "string", block as string);
    const data = pattern(7 * 3 * block.bytesPerBlock, 5);
    const err = await validationErrorOf(d, () => d.queue.writeTexture({ texture: t, aspect }, data, { bytesPerRow: 7 * block.bytesPerBlock }, [7, 3]));
    assert.equal(err, null, `${format} ${aspect}`);
    assert.deepEqual(new Uint8Array(d.queue.readTextureSync({ texture: t, aspect })), data, `${format} ${aspect}`);
  }
  // depth32float is a copy source only: it reads (zeroes, never written), it cannot be written.
  const z = d.createTexture({ size: [4, 2], format: "depth32float", usage: COPY_SRC | COPY_DST });
  assert.deepEqual(new Uint8Array(d.queue.readTextureSync({ texture: z, aspect: "depth-only" })), new Uint8Array(32));
  const e1 = await validationErrorOf(d, () => d.queue.writeTexture({ texture: z }, new Uint8Array(32), { bytesPerRow: 16 }, [4, 2]));
  assert.ok(e1 instanceof GPUValidationError);
  const ds = d.createTexture({ size: [4, 2], format: "depth24plus-stencil8", usage: COPY_SRC | COPY_DST });
  const e2 = await validationErrorOf(d, () => d.queue.writeTexture({ texture: ds }, new Uint8Array(32), { bytesPerRow: 16 }, [4, 2]));
  assert.ok(e2 instanceof GPUValidationError, "two aspects need one named");
  assert.throws(() => d.queue.readTextureSync({ texture: ds }), /two aspects/);
  assert.throws(() => d.queue.readTextureSync({ texture: ds, aspect: "depth-only" }), /cannot be copied/);
});

test("a destroyed texture: submitting a copy that uses it is a validation error, not an abort", async () => {
  const d = formatDevice();
  const t = d.createTexture({ size: [4, 4], format: "rgba8unorm", usage: COPY_SRC | COPY_DST | TEXTURE_BINDING });
  const buf = d.createBuffer({ size: 1024, usage: GPUBufferUsage.COPY_DST });
  const enc = d.createCommandEncoder();
  enc.copyTextureToBuffer({ texture: t }, { buffer: buf, bytesPerRow: 256 }, [4, 4]);
  const cb = enc.finish();
  t.destroy();
  const e = await validationErrorOf(d, () => d.queue.submit([cb]));
  assert.ok(e instanceof GPUValidationError);
  assert.match(e.message, /destroyed/);
  // Through a bind group: a view of a destroyed texture.
  const t2 = d.createTexture({ size: [4, 4], format: "rgba8unorm", usage: TEXTURE_BINDING });
  const module = d.createShaderModule({
    code: "@group(0) @binding(0) var tex: texture_2d<f32>; @compute @workgroup_size(1) fn main() { _ = textureLoad(tex, vec2u(0), 0); }",
  });
  const pipeline = d.createComputePipeline({ layout: "auto", compute: { module } });
  const group = d.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: t2.createView() }] });
  const enc2 = d.createCommandEncoder();
  const pass = enc2.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, group);
  pass.dispatchWorkgroups(1);
  pass.end();
  const cb2 = enc2.finish();
  t2.destroy();
  const e2 = await validationErrorOf(d, () => d.queue.submit([cb2]));
  assert.ok(e2 instanceof GPUValidationError);
  assert.match(e2.message, /destroyed/);
  // writeTexture into a destroyed texture: the engine's validation error.
  const e3 = await validationErrorOf(d, () => d.queue.writeTexture({ texture: t }, new Uint8Array(64), { bytesPerRow: 16 }, [4, 4]));
  assert.ok(e3 instanceof GPUValidationError);
});

test('textures, storage textures and samplers in bind groups, with layout "auto" and explicit layouts', async () => {
  const d = formatDevice();
  const src = d.createTexture({ size: [4, 4], format: "rgba8unorm", usage: COPY_DST | TEXTURE_BINDING });
  const pixels = pattern(64, 9);
  d.queue.writeTexture({ texture: src }, pixels, { bytesPerRow: 16 }, [4, 4]);
  const dst = d.createTexture({ size: [4, 4], format: "rgba8unorm", usage: COPY_SRC | STORAGE_BINDING });
  const code = `
    @group(0) @binding(0) var src: texture_2d<f32>;
    @group(0) @binding(1) var samp: sampler;
    @group(0) @binding(2) var dst: texture_storage_2d<rgba8unorm, write>;
    @compute @workgroup_size(4, 4) fn main(@builtin(global_invocation_id) id: vec3u) {
      let uv = (vec2f(id.xy) + 0.5) / 4.0;
      textureStore(dst, id.xy, textureSampleLevel(src, samp, uv, 0.0).bgra);
    }`;
  const module = d.createShaderModule({ code });
  const sampler = d.createSampler({ magFilter: "nearest", minFilter: "nearest" });
  const explicit = d.createBindGroupLayout({
    entries: [
      { binding: 0, visibility: GPUShaderStage.COMPUTE, texture: { sampleType: "float", viewDimension: "2d" } },
      { binding: 1, visibility: GPUShaderStage.COMPUTE, sampler: { type: "filtering" } },
      { binding: 2, visibility: GPUShaderStage.COMPUTE, storageTexture: { access: "write-only", format: "rgba8unorm" } },
    ],
  });
  for (const layout of ["auto", d.createPipelineLayout({ bindGroupLayouts: [explicit] })] as const) {
    const err = await validationErrorOf(d, () => {
      const pipeline = d.createComputePipeline({ layout, compute: { module } });
      const group = d.createBindGroup({
        layout: layout === "auto" ? pipeline.getBindGroupLayout(0) : explicit,
        entries: [
          { binding: 0, resource: src.createView() },
          { binding: 1, resource: sampler },
          { binding: 2, resource: dst.createView() },
        ],
      });
      const enc = d.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, group);
      pass.dispatchWorkgroups(1);
      pass.end();
      d.queue.submit([enc.finish()]);
    });
    assert.equal(err, null);
    const got = new Uint8Array(await d.queue.readTexture({ texture: dst }));
    const want = new Uint8Array(64);
    for (let i = 0; i < 64; i += 4) want.set([pixels[i + 2], pixels[i + 1], pixels[i], pixels[i + 3]], i);
    assert.deepEqual(got, want);
  }
});

test("a bind group entry whose resource is a texture binds its default view (GPUBindingResource)", async () => {
  const d = formatDevice();
  const texture = d.createTexture({ size: [2, 1], format: "rgba8unorm", usage: TEXTURE_BINDING | COPY_DST });
  d.queue.writeTexture({ texture }, Uint8Array.of(0, 0, 0, 0, 255, 102, 0, 255), {}, [2, 1]);
  const out = d.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const code = `@group(0) @binding(0) var t: texture_2d<f32>;
    @group(0) @binding(1) var<storage, read_write> o: vec4f;
    @compute @workgroup_size(1) fn main() { o = textureLoad(t, vec2u(1, 0), 0); }`;
  const pipeline = d.createComputePipeline({ layout: "auto", compute: { module: d.createShaderModule({ code }) } });
  const group = d.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [
      { binding: 0, resource: texture },
      { binding: 1, resource: out },
    ],
  });
  const run = () => {
    const enc = d.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(1);
    pass.end();
    d.queue.submit([enc.finish()]);
  };
  assert.equal(await validationErrorOf(d, run), null);
  assert.deepEqual(
    [...new Float32Array(await d.queue.readBuffer(out))].map((v) => Math.round(v * 255)),
    [255, 102, 0, 255],
  );
  texture.destroy();
  assert.match(String((await validationErrorOf(d, run))?.message), /destroyed/, "the bound texture is checked at submit, as a view is");
});

test("an externalTexture binding takes a texture view (Dawn), and is a TypeError where the engine has none (wgpu-native)", async () => {
  const d = formatDevice();
  const entries: GPUBindGroupLayoutEntry[] = [
    { binding: 0, visibility: GPUShaderStage.COMPUTE, externalTexture: {} },
    { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: "storage" } },
  ];
  if (engine === "wgpu-native") {
    assert.throws(() => d.createBindGroupLayout({ entries }), { name: "TypeError", message: /entries\[0\]: externalTexture is not supported by this engine/ });
    return;
  }
  const texture = d.createTexture({ size: [2, 1], format: "rgba8unorm", usage: TEXTURE_BINDING | COPY_DST });
  d.queue.writeTexture({ texture }, Uint8Array.of(0, 0, 0, 0, 255, 51, 0, 255), {}, [2, 1]);
  const out = d.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const code = `@group(0) @binding(0) var t: texture_external;
    @group(0) @binding(1) var<storage, read_write> o: vec4f;
    @compute @workgroup_size(1) fn main() { o = textureLoad(t, vec2u(1, 0)); }`;
  const module = d.createShaderModule({ code });
  for (const layout of [d.createPipelineLayout({ bindGroupLayouts: [d.createBindGroupLayout({ entries })] }), "auto" as const]) {
    const err = await validationErrorOf(d, () => {
      const pipeline = d.createComputePipeline({ layout, compute: { module } });
      const group = d.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [
          { binding: 0, resource: texture.createView() },
          { binding: 1, resource: out },
        ],
      });
      const enc = d.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, group);
      pass.dispatchWorkgroups(1);
      pass.end();
      d.queue.submit([enc.finish()]);
    });
    assert.equal(err, null, String(layout));
    const got = [...new Float32Array(await d.queue.readBuffer(out))].map((v) => Math.round(v * 255));
    assert.deepEqual(got, [255, 51, 0, 255], String(layout));
  }
  // A view that is not a single-level 2D view of a filterable format is a validation error, as in the spec.
  const bgl = d.createBindGroupLayout({ entries });
  const array = d.createTexture({ size: [2, 1, 2], format: "rgba8unorm", usage: TEXTURE_BINDING });
  const bad = await validationErrorOf(d, () =>
    d.createBindGroup({
      layout: bgl,
      entries: [
        { binding: 0, resource: array.createView() },
        { binding: 1, resource: out },
      ],
    }),
  );
  assert.ok(bad instanceof GPUValidationError);
});

test("transfers: bad arguments are TypeErrors or RangeErrors naming the member", () => {
  const d = formatDevice();
  const t = d.createTexture({ size: [4, 4], format: "rgba8unorm", usage: COPY_SRC | COPY_DST });
  const q = d.queue;
  assert.throws(() => q.writeTexture({ texture: {} as GPUTexture }, new Uint8Array(4), {}, [1]), /destination.texture must be a GPUTexture/);
  assert.throws(() => q.writeTexture({ texture: t }, "data" as unknown as BufferSource, {}, [1]), TypeError);
  assert.throws(() => q.writeTexture({ texture: t, aspect: "color" as GPUTextureAspect }, new Uint8Array(4), {}, [1]), /aspect/);
  assert.throws(() => q.writeTexture({ texture: t }, new Uint8Array(4), { bytesPerRow: -1 }, [1]), /bytesPerRow/);
  assert.throws(() => q.writeTexture({ texture: t, origin: [1, 2, 3, 4] }, new Uint8Array(4), {}, [1]), /origin/);
  assert.throws(() => q.writeTexture({ texture: t }, new Uint8Array(4), {}, [1, 1, 1, 1]), /size/);
  assert.throws(() => q.readTextureSync({ texture: t }, { bytesPerRow: 4 }, [4, 1]), RangeError);
  assert.throws(() => q.readTextureSync({ texture: t, mipLevel: 1 }), RangeError);
  const enc = d.createCommandEncoder();
  assert.throws(() => enc.copyBufferToTexture({ buffer: t } as unknown as GPUTexelCopyBufferInfo, { texture: t }, [1]), /source.buffer must be a GPUBuffer/);
  assert.throws(() => enc.copyTextureToTexture({ texture: t }, { texture: t }, { height: 1 } as GPUExtent3DDict), /copySize.width is required/);
});

test.after(() => {
  // Recorded for the closing note (/work/notes/issue-3-formats.md).
  if (process.env.WGPU_TS_FORMAT_REPORT) console.log(`tested ${tested.length}: ${tested.join(" ")}\nunsupported: ${unsupported.join("; ")}`);
});

test("a 0 bytesPerRow or rowsPerImage (which abort wgpu-native) is validated as the spec has it: below a row or the rows is an error", async () => {
  const d = formatDevice();
  const t = d.createTexture({ size: [4, 4, 2], format: "rgba8unorm", usage: COPY_SRC | COPY_DST });
  assert.match(
    String((await validationErrorOf(d, () => d.queue.writeTexture({ texture: t }, new Uint8Array(16), { bytesPerRow: 0 }, [4, 1, 1])))?.message),
    /bytesPerRow \(0\)/,
    "even for one row",
  );
  assert.ok(
    await validationErrorOf(d, () => d.queue.writeTexture({ texture: t }, new Uint8Array(16), { bytesPerRow: 16, rowsPerImage: 0 }, [4, 1, 1])),
    "even for one image",
  );
  assert.equal(
    await validationErrorOf(d, () => d.queue.writeTexture({ texture: t }, new Uint8Array(16), { bytesPerRow: 0 }, [0, 1, 1])),
    null,
    "an empty copy of one row",
  );
  // An empty copy over several rows or images needs no strides (the spec), though wgpu-native
  // takes the extent to mean them: it is valid, and the bounds it covers are still checked.
  assert.equal(
    await validationErrorOf(d, () => d.queue.writeTexture({ texture: t }, new Uint8Array(0), { bytesPerRow: 0, rowsPerImage: 4 }, [0, 4, 2])),
    null,
    "no columns",
  );
  assert.equal(
    await validationErrorOf(d, () => d.queue.writeTexture({ texture: t }, new Uint8Array(0), { bytesPerRow: 16, rowsPerImage: 0 }, [4, 0, 2])),
    null,
    "no rows",
  );
  const empty = d.createBuffer({ size: 4, usage: GPUBufferUsage.COPY_DST });
  assert.equal(
    await validationErrorOf(d, () => {
      const enc = d.createCommandEncoder();
      enc.copyTextureToBuffer({ texture: t }, { buffer: empty, bytesPerRow: 0, rowsPerImage: 4 }, [0, 4, 2]);
      d.queue.submit([enc.finish()]);
    }),
    null,
    "an empty encoder copy",
  );
  assert.ok(await validationErrorOf(d, () => d.queue.writeTexture({ texture: t }, new Uint8Array(0), { bytesPerRow: 0 }, [0, 5, 1])), "rows past the texture");
  assert.ok(
    await validationErrorOf(d, () => d.queue.writeTexture({ texture: t }, new Uint8Array(0), { bytesPerRow: 0, rowsPerImage: 4 }, [0, 4, 3])),
    "images past the texture",
  );
  assert.ok(
    await validationErrorOf(d, () => d.queue.writeTexture({ texture: t }, new Uint8Array(0), { bytesPerRow: 0, rowsPerImage: 2 }, [0, 4, 2])),
    "rowsPerImage below the rows",
  );
  const e1 = await validationErrorOf(d, () => d.queue.writeTexture({ texture: t }, new Uint8Array(64), { bytesPerRow: 0 }, [4, 4]));
  assert.match(String(e1?.message), /bytesPerRow \(0\)/);
  const e2 = await validationErrorOf(d, () => d.queue.writeTexture({ texture: t }, new Uint8Array(256), { bytesPerRow: 16, rowsPerImage: 0 }, [4, 4, 2]));
  assert.match(String(e2?.message), /rowsPerImage \(0\)/);
  const buf = d.createBuffer({ size: 4096, usage: GPUBufferUsage.COPY_SRC });
  const e3 = await validationErrorOf(d, () => {
    const enc = d.createCommandEncoder();
    enc.copyBufferToTexture({ buffer: buf, bytesPerRow: 0 }, { texture: t }, [4, 4]);
    d.queue.submit([enc.finish()]);
  });
  assert.match(String(e3?.message), /bytesPerRow \(0\)/);
});

test("depth formats as render attachments: a cleared depth32float reads back its clear value; every depth format is created", async () => {
  const d = formatDevice();
  const made: string[] = [];
  for (const format of textureFormats.filter((f) => textureFormatInfo(f)!.hasDepth || textureFormatInfo(f)!.hasStencil)) {
    const info = textureFormatInfo(format)!;
    if (info.feature && !d.features.has(info.feature)) continue;
    const t = d.createTexture({ size: [5, 3], format: format as GPUTextureFormat, usage: GPUTextureUsage.RENDER_ATTACHMENT | COPY_SRC | TEXTURE_BINDING });
    const err = await validationErrorOf(d, () => {
      const enc = d.createCommandEncoder();
      const pass = enc.beginRenderPass({
        colorAttachments: [],
        depthStencilAttachment: {
          view: t.createView(),
          ...(info.hasDepth ? { depthClearValue: 0.25, depthLoadOp: "clear", depthStoreOp: "store" } : {}),
          ...(info.hasStencil ? { stencilClearValue: 7, stencilLoadOp: "clear", stencilStoreOp: "store" } : {}),
        } as GPURenderPassDepthStencilAttachment,
      });
      pass.end();
      d.queue.submit([enc.finish()]);
    });
    assert.equal(err, null, format);
    if (info.hasStencil)
      assert.deepEqual(Array.from(new Uint8Array(d.queue.readTextureSync({ texture: t, aspect: "stencil-only" }))), new Array(15).fill(7), format);
    if (info.depthBytes === 4)
      assert.deepEqual(Array.from(new Float32Array(d.queue.readTextureSync({ texture: t, aspect: "depth-only" }))), new Array(15).fill(0.25), format);
    if (info.depthBytes === 2)
      assert.deepEqual(
        Array.from(new Uint16Array(d.queue.readTextureSync({ texture: t, aspect: "depth-only" }))),
        new Array(15).fill(Math.round(0.25 * 65535)),
        format,
      );
    made.push(format);
  }
  assert.ok(
    made.includes("depth24plus") &&
      made.includes("depth24plus-stencil8") &&
      made.includes("depth32float") &&
      made.includes("stencil8") &&
      made.includes("depth16unorm"),
  );
});
