// The WGSL scan of module-scope variables and what entry points use (src/api/wgsl-module.ts), and
// the checks made with it: maxComputeWorkgroupStorageSize at compute pipeline creation, which wgpu 29
// does not check (gfx-rs/wgpu#8946), and maxBindGroups for "auto" layouts, which wgpu-native
// checks at shader module creation against its own (higher) limit instead, and the
// texture-sampler pairs of an explicit layout (a filtering sampler samples "float" textures only).
import { test } from "node:test";
import assert from "node:assert/strict";
import { largestGroup, samplingPairs, scanModule, workgroupStorageSize } from "../src/api/wgsl-module.ts";
import { GPUShaderStage } from "../src/index.ts";
import { freshDevice, validationErrorOf } from "./helpers/gpu.ts";

const size = (code: string, entryPoint?: string, constants: Record<string, number> = {}) => workgroupStorageSize(scanModule(code), entryPoint, constants);

test("workgroupStorageSize sums roundUp(16, SizeOf(T)) over the workgroup variables the entry point uses", () => {
  const types: [string, number][] = [
    ["f32", 16],
    ["vec3<f32>", 16],
    ["array<vec3f, 3>", 48],
    ["mat3x3<f32>", 48],
    ["mat2x3h", 16],
    ["array<mat4x2f, 2>", 64],
    ["atomic<u32>", 16],
    ["array<f16, 9>", 32],
    // struct S1 { a: f32, b: vec4f, c: u32 }: 48 bytes (b at 16, c at 32, rounded to the 16 of b).
    ["array<S1, 3>", 144],
    // struct S3 { a: vec3f, b: vec2f }: b at 16, 24 bytes rounded to 32.
    ["array<S3, 2>", 64],
    ["array<P, 2>", 64],
    ["A", 1616],
  ];
  for (const [type, bytes] of types) {
    const code = `struct S1 { a: f32, b: vec4f, c: u32, }
      struct S3 { a: vec3f, b: vec2f }
      struct P { @align(32) a: f32, @size(4) b: f32 }
      alias A = array<vec4f, 101>;
      var<workgroup> d: ${type};
      @compute @workgroup_size(1) fn main() { _ = d; }`;
    assert.equal(size(code), bytes, type);
  }
});

test("workgroupStorageSize counts only what the entry point uses, through the functions it calls", () => {
  const code = `var<workgroup> a: array<f32, 64>; // 256
    var<workgroup> b: array<vec4f, 4>; // 64
    /* var<workgroup> c: array<f32, 1000>; */
    override n: u32 = 8;
    @id(7) override m: u32;
    const k = 3u;
    var<workgroup> c: array<vec4f, n>;
    var<workgroup> e: array<vec4f, m>;
    var<workgroup> f: array<vec2u, k>;
    fn helper() { b[0] = vec4f(1); }
    fn twice() { helper(); }
    @compute @workgroup_size(1) fn one() { a[0] = 1.0; twice(); }
    @compute @workgroup_size(1) fn two() { _ = c; _ = f; }
    @compute @workgroup_size(1) fn three() { _ = e; }`;
  assert.equal(size(code, "one"), 320);
  assert.equal(size(code, "two"), 128 + 32);
  assert.equal(size(code, "two", { n: 2 }), 32 + 32, "an override's constant replaces its default");
  assert.equal(size(code, "three", { 7: 5 }), 80, "an override named by its @id");
  // What the scan cannot tell: no answer rather than a wrong one.
  assert.equal(size(code, "three"), null, "an override with no value");
  assert.equal(size(code), null, "three compute entry points and none named");
  assert.equal(size("var<workgroup> x: array<f32, 2 * 4>; @compute @workgroup_size(1) fn main() { _ = x; }"), null);
  assert.equal(size("var<workgroup> x: Unknown; @compute @workgroup_size(1) fn main() { _ = x; }"), null);
  assert.equal(size("@compute @workgroup_size(1) fn main() { var<function> x: array<f32, 99>; }"), 0, "no workgroup variable");
});

test("createComputePipeline over maxComputeWorkgroupStorageSize is a validation error, at the limit is not", async () => {
  const device = freshDevice();
  const limit = device.limits.maxComputeWorkgroupStorageSize;
  const pipeline = (count: number, async = false) => {
    const module = device.createShaderModule({
      code: `var<workgroup> data: array<vec4f, ${count}>;
        var<workgroup> unused: array<vec4f, 64>;
        @compute @workgroup_size(64) fn main() { _ = data; }`,
    });
    const descriptor: GPUComputePipelineDescriptor = { layout: "auto", compute: { module } };
    return async ? device.createComputePipelineAsync(descriptor) : device.createComputePipeline(descriptor);
  };
  assert.equal(await validationErrorOf(device, () => pipeline(limit / 16)), null);
  const error = await validationErrorOf(device, () => pipeline(limit / 16 + 1));
  assert.match(
    error?.message ?? "",
    new RegExp(`createComputePipeline: compute uses ${limit + 16} bytes of workgroup storage, more than maxComputeWorkgroupStorageSize \\(${limit}\\)`),
  );
  await assert.rejects(pipeline(limit / 16 + 1, true) as Promise<GPUComputePipeline>, { name: "GPUPipelineError" });
  device.destroy();
});

test("largestGroup is the largest @group of the resources an entry point uses, through its calls", () => {
  const code = `@group(0) @binding(0) var<uniform> u: vec4f;
    @group(3) @binding(1) var t: texture_2d<f32>;
    @group(6) @binding(0) var<storage, read_write> unused: array<u32>;
    const G = 1;
    @group(G) @binding(0) var s: sampler;
    fn sample() -> vec4f { return textureLoad(t, vec2u(), 0); }
    @vertex fn vs() -> @builtin(position) vec4f { return u; }
    @fragment fn fs() -> @location(0) vec4f { var local: f32; return sample(); }
    @fragment fn other() -> @location(0) vec4f { _ = s; return vec4f(); }
    @compute @workgroup_size(1) fn cs() {}`;
  const scan = scanModule(code);
  assert.equal(largestGroup(scan, "vertex", "vs"), 0);
  assert.equal(largestGroup(scan, "fragment", "fs"), 3);
  assert.equal(largestGroup(scan, "compute", undefined), -1, "no resources");
  assert.equal(largestGroup(scan, "fragment", "other"), null, "a @group that is not a literal");
  assert.equal(largestGroup(scan, "fragment", undefined), null, "two fragment entry points and none named");
  assert.equal(largestGroup(scan, "vertex", "fs"), null, "no vertex entry point of that name");
});

test("maxBindGroups: the device's limit is the one granted, and wgpu-ts enforces it where the engine's is higher", async () => {
  const device = freshDevice();
  const max = device.limits.maxBindGroups;
  const layoutAt = (group: number) =>
    device.createShaderModule({ code: `@group(${group}) @binding(0) var<uniform> u: vec4f; @compute @workgroup_size(1) fn main() { _ = u; }` });
  // A module may name any group: the limit applies to the pipeline's layout.
  let over = layoutAt(0);
  assert.equal(await validationErrorOf(device, () => (over = layoutAt(max))), null);
  assert.equal(await validationErrorOf(device, () => device.createComputePipeline({ layout: "auto", compute: { module: layoutAt(max - 1) } })), null);
  assert.match(
    (await validationErrorOf(device, () => device.createComputePipeline({ layout: "auto", compute: { module: over } })))?.message ?? "",
    new RegExp(`compute uses @group\\(${max}\\), and the "auto" layout's groups must be below maxBindGroups \\(${max}\\)`),
  );
  const empty = device.createBindGroupLayout({ entries: [] });
  assert.equal(await validationErrorOf(device, () => device.createPipelineLayout({ bindGroupLayouts: Array(max).fill(empty) })), null);
  assert.match(
    (await validationErrorOf(device, () => device.createPipelineLayout({ bindGroupLayouts: Array(max + 1).fill(empty) })))?.message ?? "",
    new RegExp(`createPipelineLayout: bindGroupLayouts has ${max + 1} entries, more than maxBindGroups \\(${max}\\)`),
  );
  const group = device.createBindGroup({ layout: empty, entries: [] });
  const encode = (index: number) => {
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setBindGroup(index, group);
    pass.end();
    encoder.finish();
  };
  assert.equal(await validationErrorOf(device, () => encode(max - 1)), null);
  assert.match((await validationErrorOf(device, () => encode(max)))?.message ?? "", new RegExp(`setBindGroup: index \\(${max}\\) must be below maxBindGroups`));
  device.destroy();
});

test("samplingPairs lists the module-scope texture and sampler of each sampling call the entry point makes", () => {
  const code = `@group(0) @binding(0) var t: texture_2d<f32>;
    @group(1) @binding(2) var s: sampler;
    @group(0) @binding(1) var d: texture_depth_2d;
    @group(0) @binding(3) var c: sampler_comparison;
    fn gather() -> vec4f { return textureGather(1, t, s, vec2f(0)); }
    fn onParams(tp: texture_2d<f32>, sp: sampler) -> vec4f { return textureSample(tp, sp, vec2f(0)); }
    @fragment fn fs() -> @location(0) vec4f { _ = textureSampleCompare(d, c, vec2f(0), 0.5); return gather() + onParams(t, s); }
    @compute @workgroup_size(1) fn cs() { _ = textureGather(d, s, vec2f(0)); }`;
  const scan = scanModule(code);
  const names = (stage: "fragment" | "compute") =>
    samplingPairs(scan, stage, undefined)?.map(({ texture, sampler }) => `${texture.group}/${texture.binding} ${sampler.group}/${sampler.binding}`);
  // The comparison sampler is no "sampler"; the call on parameters is not followed.
  assert.deepEqual(names("fragment"), ["0/0 1/2"]);
  assert.deepEqual(names("compute"), ["0/1 1/2"]);
  assert.equal(samplingPairs(scan, "vertex", undefined), null);
});

test("an explicit layout's filtering sampler used with a depth texture is a validation error", async () => {
  const device = freshDevice();
  const module = device.createShaderModule({
    code: `@group(0) @binding(0) var t: texture_depth_2d;
      @group(0) @binding(1) var s: sampler;
      @compute @workgroup_size(1) fn main() { _ = textureGather(t, s, vec2f(0)); }`,
  });
  const make = (samplerType: GPUSamplerBindingType) => {
    const layout = device.createBindGroupLayout({
      entries: [
        { binding: 0, visibility: GPUShaderStage.COMPUTE, texture: { sampleType: "depth" } },
        { binding: 1, visibility: GPUShaderStage.COMPUTE, sampler: { type: samplerType } },
      ],
    });
    const descriptor = { layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }), compute: { module } };
    return validationErrorOf(device, () => device.createComputePipeline(descriptor));
  };
  assert.equal(await make("non-filtering"), null);
  assert.match(
    (await make("filtering"))?.message ?? "",
    /compute samples the texture at @group\(0\) @binding\(0\) \(layout sampleType "depth"\) with the filtering sampler at @group\(0\) @binding\(1\)/,
  );
  device.destroy();
});
