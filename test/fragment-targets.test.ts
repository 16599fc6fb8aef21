// The spec's rules between a fragment stage's outputs and its color targets
// (https://www.w3.org/TR/webgpu/#abstract-opdef-validating-gpufragmentstate), which wgpu-native 29
// does not all check and wgpu-ts does (render-pipeline.ts), and the scan that reads the outputs
// (src/api/wgsl-interface.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { fragmentOutputs } from "../src/api/wgsl-interface.ts";
import { testDevice, validationErrorOf } from "./helpers/gpu.ts";

test("fragmentOutputs reads the @location outputs of a fragment entry point", () => {
  const code = `struct Out { @builtin(frag_depth) d: f32, @location(0) a: vec4<f32>, /* @location(5) x: f32, */
      @location(2) b: vec2u, @location(1) c: i32 }
    @fragment fn many() -> Out { var o: Out; return o; }
    @fragment fn one() -> @location(3) vec3h { return vec3h(); }
    @fragment fn none() { }
    struct Dual { @location(0) @blend_src(0) a: vec4f, @location(0) @blend_src(1) b: vec2f }
    @fragment fn dual() -> Dual { var o: Dual; return o; }`;
  const entries = (name: string) => [...(fragmentOutputs(code, name) ?? new Map())];
  assert.deepEqual(entries("many"), [
    [0, { scalar: "f32", components: 4 }],
    [2, { scalar: "u32", components: 2 }],
    [1, { scalar: "i32", components: 1 }],
  ]);
  assert.deepEqual(entries("one"), [[3, { scalar: "f16", components: 3 }]]);
  assert.deepEqual(entries("none"), []);
  assert.deepEqual(entries("dual"), [[0, { scalar: "f32", components: 4 }]]);
  assert.equal(fragmentOutputs(code, undefined), null, "several fragment entry points and none named");
  // What the scan does not read: no answer rather than a wrong one.
  assert.equal(fragmentOutputs("alias V = vec4f; @fragment fn f() -> @location(0) V { }", undefined), null);
  assert.equal(fragmentOutputs("const L = 0; struct O { @location(L) a: f32 } @fragment fn f() -> O { }", undefined), null);
});

test("createRenderPipeline: color targets the fragment outputs do not fit are validation errors", async () => {
  const device = testDevice();
  const vertex = device.createShaderModule({ code: "@vertex fn main() -> @builtin(position) vec4f { return vec4f(0); }" });
  const make = (output: string, target: GPUColorTargetState) => {
    const code = output === "" ? "@fragment fn main() {}" : `@fragment fn main() -> @location(0) ${output} { return ${output}(); }`;
    const module = device.createShaderModule({ code });
    return validationErrorOf(device, () =>
      device.createRenderPipeline({ layout: "auto", vertex: { module: vertex }, fragment: { module, targets: [target] } }),
    );
  };
  const blend = (srcFactor: GPUBlendFactor): GPUBlendState => ({ color: { srcFactor, dstFactor: "zero" }, alpha: {} });
  const cases: [string, GPUColorTargetState, RegExp | null][] = [
    ["vec4f", { format: "rgba8unorm" }, null],
    ["vec4f", { format: "r8unorm" }, null], // extra components are dropped
    ["", { format: "rgba8unorm", writeMask: 0 }, null],
    ["", { format: "rgba8unorm" }, /targets\[0\]\.writeMask must be 0: the fragment shader writes no output at @location\(0\)/],
    ["vec2f", { format: "rgba8unorm" }, /"rgba8unorm" has 4 components, more than the vec2<f32> output/],
    ["vec4u", { format: "rgba8unorm" }, /"rgba8unorm" \(float\) does not take the vec4<u32> output/],
    ["f32", { format: "r32sint" }, /"r32sint" \(sint\) does not take the f32 output/],
    ["u32", { format: "r32uint" }, null],
    ["vec3f", { format: "rg8unorm", blend: blend("one") }, null],
    ["vec3f", { format: "rg8unorm", blend: blend("src-alpha") }, /blend\.color reads the source alpha, which the vec3<f32> output at @location\(0\) lacks/],
    ["vec4f", { format: "rg8unorm", blend: blend("one-minus-src-alpha") }, null],
  ];
  for (const [output, target, expected] of cases) {
    const error = await make(output, target);
    const what = `${output || "no output"} to ${JSON.stringify(target)}`;
    if (expected === null) assert.equal(error, null, what);
    else assert.match(error?.message ?? "(no error)", expected, what);
  }
});
