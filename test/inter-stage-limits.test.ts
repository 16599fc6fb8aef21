// The spec's inter-stage limits where clip_distances takes its share of maxInterStageShaderVariables
// (https://www.w3.org/TR/webgpu/#abstract-opdef-validating-inter-stage-interfaces), which
// wgpu-native 29 leaves out and wgpu-ts checks (render-pipeline.ts), and the scan it reads the
// vertex outputs with (src/api/wgsl-interface.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { vertexOutputs } from "../src/api/wgsl-interface.ts";
import { freshAdapter, validationErrorOf } from "./helpers/gpu.ts";

test("vertexOutputs reads the @location outputs and the clip_distances size of a vertex entry point", () => {
  const code = `enable clip_distances;
    // struct Out { @location(9) x: vec4f }
    struct Out { @builtin(position) p: vec4f, @location(0) a: vec4f, /* @location(7) b: f32, */ @location(3) c: vec2f,
      @builtin(clip_distances) d: array<f32, 5>, }
    @vertex fn vs(@builtin(vertex_index) i: u32) -> Out { var o: Out; return o; }
    @vertex fn other() -> @builtin(position) vec4f { return vec4f(); }`;
  assert.deepEqual(vertexOutputs(code, "vs"), { count: 2, maxLocation: 3, clipDistances: 5 });
  assert.deepEqual(vertexOutputs(code, "other"), { count: 0, maxLocation: -1, clipDistances: 0 });
  // Two vertex entry points and none named: the scan cannot tell which (the engine reports it).
  assert.equal(vertexOutputs(code, undefined), null);
  assert.equal(vertexOutputs(code, "missing"), null);
  // A location or size the scan does not evaluate: no answer rather than a wrong one.
  assert.equal(vertexOutputs("const L = 2; struct O { @location(L) a: f32 } @vertex fn v() -> O { }", undefined), null);
  assert.equal(vertexOutputs("const N = 2u; struct O { @builtin(clip_distances) c: array<f32, N> } @vertex fn v() -> O { }", undefined), null);
});

test("clip_distances counts ceil(size / 4) toward maxInterStageShaderVariables and the largest output location", async (t) => {
  const adapter = freshAdapter();
  if (!adapter.features.has("clip-distances")) return t.skip("the adapter lacks clip-distances");
  const limit = adapter.limits.maxInterStageShaderVariables;
  const device = adapter.requestDeviceSync({ requiredFeatures: ["clip-distances"], requiredLimits: { maxInterStageShaderVariables: limit } });
  const make = (locations: number[], clip: number, topology: GPUPrimitiveTopology = "triangle-list") => {
    const vary = locations.map((l) => `@location(${l}) v${l}: vec4f,`).join("\n");
    const module = device.createShaderModule({
      code: `enable clip_distances;
        struct VSOut { @builtin(position) p: vec4f, ${vary} @builtin(clip_distances) c: array<f32, ${clip}>, }
        struct FSIn { ${vary} }
        @vertex fn vs() -> VSOut { var o: VSOut; return o; }
        @fragment fn fs(i: FSIn) -> @location(0) vec4f { return vec4f(0); }`,
    });
    return validationErrorOf(device, () =>
      device.createRenderPipeline({ layout: "auto", primitive: { topology }, vertex: { module }, fragment: { module, targets: [{ format: "rgba8unorm" }] } }),
    );
  };
  const first = (n: number) => Array.from({ length: n }, (_, i) => i);
  // clip_distances[5..8] takes two slots, [1..4] one.
  assert.equal(await make(first(limit - 2), 8), null, "limit - 2 outputs with 8 clip distances");
  assert.equal(await make(first(limit - 1), 4), null, "limit - 1 outputs with 4 clip distances");
  assert.match((await make(first(limit - 1), 5))?.message ?? "", /clip_distances\[5\] \(2 of maxInterStageShaderVariables.*user-defined outputs/);
  assert.match((await make(first(limit - 2), 8, "point-list"))?.message ?? "", /clip_distances\[8\]/);
  assert.equal(await make(first(limit - 3), 8, "point-list"), null, "point-list: one variable fewer");
  // Few outputs, but one at a location the clip distances leave no room for.
  assert.match((await make([0, limit - 2], 8))?.message ?? "", new RegExp(`@location\\(${limit - 2}\\), above the ${limit - 3} left`));
  assert.equal(await make([0, limit - 3], 8), null, "an output at the last location left");
  device.destroy();
});
