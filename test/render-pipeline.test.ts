// Render pipelines: every vertex format read back through a real draw, the descriptor's members,
// override constants, "auto" layouts, async creation, and JS-side validation.
import { test } from "node:test";
import assert from "node:assert/strict";
import { GPUBufferUsage, GPUColorWrite, GPUPipelineError, GPURenderPipeline, GPUTextureUsage, GPUValidationError, type GPUDevice } from "../src/index.ts";
import { nativeRuntime } from "../src/native/index.ts";
import { GPUVertexFormat } from "../src/native/ffi/generated/string-enums.ts";
import { testDevice, validationErrorOf } from "./helpers/gpu.ts";
import { pixel, readImage, renderTarget } from "./helpers/pixels.ts";

/** Test data for one vertex format: its bytes and the values the shader must see. */
function vertexData(format: string): { bytes: Uint8Array; expected: number[]; wgsl: string } {
  const count = format === "unorm10-10-10-2" || format === "unorm8x4-bgra" ? 4 : Number(/x(\d)/.exec(format)?.[1] ?? 1);
  const scalar = format.startsWith("uint") ? "u32" : format.startsWith("sint") ? "i32" : "f32";
  const wgsl = count === 1 ? scalar : `vec${count}<${scalar}>`;
  const bits = Number(/(\d+)/.exec(format)![1]);
  const buffer = new ArrayBuffer(16);
  const view = new DataView(buffer);
  let values: number[];
  let expected: number[];
  if (format === "unorm10-10-10-2") {
    view.setUint32(0, 1023 | (512 << 10) | (0 << 20) | (2 << 30), true);
    expected = [1, 512 / 1023, 0, 2 / 3];
  } else if (format === "unorm8x4-bgra") {
    new Uint8Array(buffer).set([10, 20, 30, 40]);
    expected = [30 / 255, 20 / 255, 10 / 255, 40 / 255];
  } else {
    const kind = format.replace(/\d.*$/, "");
    const table: Record<string, Record<number, number[]>> = {
      uint: { 8: [7, 200, 13, 255], 16: [7, 60000, 300, 65535], 32: [7, 4e9, 123456, 1] },
      sint: { 8: [-7, 100, -128, 127], 16: [-7, 30000, -32768, 1234], 32: [-7, 2e9, -123456, 1] },
      unorm: { 8: [0, 51, 255, 128], 16: [0, 13107, 65535, 32768] },
      snorm: { 8: [-127, 64, 127, -128], 16: [-32767, 16384, 32767, -32768] },
      float: { 16: [1.5, -2, 0.25, 3], 32: [1.5, -2.25, 1e6, 0.125] },
    };
    values = table[kind][bits].slice(0, count);
    const half: Record<number, number> = { 1.5: 0x3e00, [-2]: 0xc000, 0.25: 0x3400, 3: 0x4200 };
    values.forEach((v, i) => {
      const at = (i * bits) / 8;
      if (kind === "float") bits === 16 ? view.setUint16(at, half[v], true) : view.setFloat32(at, v, true);
      else if (kind === "uint" || kind === "unorm") bits === 8 ? view.setUint8(at, v) : bits === 16 ? view.setUint16(at, v, true) : view.setUint32(at, v, true);
      else bits === 8 ? view.setInt8(at, v) : bits === 16 ? view.setInt16(at, v, true) : view.setInt32(at, v, true);
    });
    const max = 2 ** (bits - 1) - 1;
    expected = values.map((v) => (kind === "unorm" ? v / (2 ** bits - 1) : kind === "snorm" ? Math.max(v / max, -1) : Math.fround(v)));
  }
  while (expected.length < 4) expected.push(0);
  return { bytes: new Uint8Array(buffer), expected, wgsl };
}

test("every vertex format reaches the vertex shader with the value the spec gives it", async () => {
  const device = testDevice();
  const unsupported = nativeRuntime().behaviour.unsupportedVertexFormats;
  const target = device.createTexture({ size: [1, 1], format: "rgba32float", usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC });
  const formats = Object.keys(GPUVertexFormat);
  assert.equal(formats.length, 41, "all of the spec's vertex formats");
  const wrong: string[] = [];
  for (const format of formats) {
    const { bytes, expected, wgsl } = vertexData(format);
    const pad = wgsl.startsWith("vec4") ? "" : wgsl.startsWith("vec3") ? ", 0" : wgsl.startsWith("vec2") ? ", 0, 0" : ", 0, 0, 0";
    const convert = wgsl.startsWith("vec") ? `vec${wgsl[3]}f(v)` : "f32(v)";
    const module = device.createShaderModule({
      code: `struct Out { @builtin(position) p: vec4f, @location(0) @interpolate(flat) v: vec4f }
        @vertex fn vs(@location(3) v: ${wgsl}) -> Out { return Out(vec4f(0, 0, 0, 1), vec4f(${convert}${pad})); }
        @fragment fn fs(in: Out) -> @location(0) vec4f { return in.v; }`,
    });
    const descriptor: GPURenderPipelineDescriptor = {
      layout: "auto",
      vertex: { module, buffers: [{ arrayStride: 16, attributes: [{ format: format as GPUVertexFormat, offset: 0, shaderLocation: 3 }] }] },
      fragment: { module, targets: [{ format: "rgba32float" }] },
      primitive: { topology: "point-list" },
    };
    if (unsupported.has(format)) {
      // The engine aborts on it: a validation error instead.
      assert.match((await validationErrorOf(device, () => device.createRenderPipeline(descriptor)))?.message ?? "", /not supported by this engine/);
      continue;
    }
    const pipeline = device.createRenderPipeline(descriptor);
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginRenderPass({ colorAttachments: [{ view: target.createView(), loadOp: "clear", storeOp: "store" }] });
    pass.setPipeline(pipeline);
    pass.setVertexBuffer(0, device.createBufferWithData(bytes, GPUBufferUsage.VERTEX));
    pass.draw(1);
    pass.end();
    device.queue.submit([encoder.finish()]);
    const got = [...new Float32Array(device.queue.readTextureSync({ texture: target }, [1, 1]))];
    if (got.some((v, i) => Math.abs(v - expected[i]) > 1e-3 * Math.max(1, Math.abs(expected[i])))) wrong.push(`${format}: got ${got}, expected ${expected}`);
  }
  assert.deepEqual(wrong, []);
});

const shader = /* wgsl */ `
override red: f32 = 0.0;
override green: f32 = 0.0;
@vertex fn vs(@builtin(vertex_index) i: u32) -> @builtin(position) vec4f {
  // A clockwise triangle (in framebuffer terms: y points up in clip space) over the whole target.
  var p = array(vec2f(-1, -1), vec2f(-1, 3), vec2f(3, -1));
  return vec4f(p[i], 0.5, 1);
}
@fragment fn fs() -> @location(0) vec4f { return vec4f(red, green, 1, 1); }
`;

function drawOnce(device: GPUDevice, pipeline: GPURenderPipeline, size = 4) {
  const target = renderTarget(device, size, size);
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginRenderPass({ colorAttachments: [{ view: target.createView(), loadOp: "clear", storeOp: "store", clearValue: [0, 0, 0, 0] }] });
  pass.setPipeline(pipeline);
  pass.draw(3);
  pass.end();
  device.queue.submit([encoder.finish()]);
  return readImage(device, target);
}

test("override constants, write masks, front face and culling", () => {
  const device = testDevice();
  const module = device.createShaderModule({ code: shader });
  const make = (extra: Partial<GPURenderPipelineDescriptor>, constants: Record<string, number> = {}, writeMask?: number) =>
    device.createRenderPipeline({
      layout: "auto",
      vertex: { module },
      fragment: { module, constants, targets: [{ format: "rgba8unorm", writeMask }] },
      ...extra,
    });
  assert.deepEqual(pixel(drawOnce(device, make({}, { red: 1, green: 0.5 })), 1, 1), [255, 128, 255, 255], "constants");
  assert.deepEqual(pixel(drawOnce(device, make({}, { red: 1 }, GPUColorWrite.RED | GPUColorWrite.ALPHA)), 1, 1), [255, 0, 0, 255], "write mask");
  // The triangle winds clockwise: "ccw" front + cull back removes it, "cw" front keeps it.
  assert.deepEqual(pixel(drawOnce(device, make({ primitive: { cullMode: "back" } })), 1, 1), [0, 0, 0, 0], "culled");
  assert.deepEqual(pixel(drawOnce(device, make({ primitive: { cullMode: "back", frontFace: "cw" } })), 1, 1), [0, 0, 255, 255], "kept");
  assert.deepEqual(pixel(drawOnce(device, make({ primitive: { cullMode: "front" } })), 1, 1), [0, 0, 255, 255], "front culling keeps a back face");
});

test("primitive topologies, a strip index format and multisample state", () => {
  const device = testDevice();
  const module = device.createShaderModule({ code: shader });
  for (const topology of ["point-list", "line-list", "line-strip", "triangle-list", "triangle-strip"] as const) {
    const stripIndexFormat = topology.endsWith("strip") ? ("uint32" as const) : undefined;
    const p = device.createRenderPipeline({
      layout: "auto",
      vertex: { module },
      fragment: { module, targets: [{ format: "rgba8unorm" }] },
      primitive: { topology, stripIndexFormat },
    });
    assert.ok(p instanceof GPURenderPipeline, topology);
  }
  const ms = device.createRenderPipeline({
    layout: "auto",
    vertex: { module },
    fragment: { module, targets: [{ format: "rgba8unorm" }] },
    multisample: { count: 4, mask: 0xf, alphaToCoverageEnabled: true },
  });
  assert.ok(ms instanceof GPURenderPipeline);
});

test('layout "auto" and getBindGroupLayout; an index past maxBindGroups is a validation error', async () => {
  const device = testDevice();
  const module = device.createShaderModule({
    code: `@group(1) @binding(2) var<uniform> tint: vec4f;
      @vertex fn vs() -> @builtin(position) vec4f { return vec4f(0, 0, 0, 1); }
      @fragment fn fs() -> @location(0) vec4f { return tint; }`,
  });
  const pipeline = device.createRenderPipeline({ layout: "auto", vertex: { module }, fragment: { module, targets: [{ format: "rgba8unorm" }] } });
  const layout = pipeline.getBindGroupLayout(1);
  const uniform = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM });
  assert.equal(await validationErrorOf(device, () => device.createBindGroup({ layout, entries: [{ binding: 2, resource: { buffer: uniform } }] })), null);
  assert.ok((await validationErrorOf(device, () => pipeline.getBindGroupLayout(device.limits.maxBindGroups))) instanceof GPUValidationError);
  assert.throws(() => pipeline.getBindGroupLayout(-1), TypeError);
});

test("createRenderPipelineAsync resolves, rejects with a GPUPipelineError, and has a sync twin", async () => {
  const device = testDevice();
  const module = device.createShaderModule({ code: shader });
  const descriptor: GPURenderPipelineDescriptor = { layout: "auto", vertex: { module }, fragment: { module, targets: [{ format: "rgba8unorm" }] } };
  assert.ok((await device.createRenderPipelineAsync(descriptor)) instanceof GPURenderPipeline);
  assert.ok(device.createRenderPipelineAsyncSync(descriptor) instanceof GPURenderPipeline);
  await assert.rejects(
    device.createRenderPipelineAsync({ ...descriptor, vertex: { module, entryPoint: "nope" } }),
    (e: unknown) => e instanceof GPUPipelineError && e.reason === "validation",
  );
  // Inputs wgpu-native aborts on reject as well, with the spec's reason.
  await assert.rejects(
    device.createRenderPipelineAsync({ ...descriptor, depthStencil: { format: "depth24plus" } }),
    (e: unknown) => e instanceof GPUPipelineError && /depthWriteEnabled/.test(e.message),
  );
  await assert.rejects(device.createRenderPipelineAsync(undefined as never), TypeError);
});

test("inputs wgpu-native aborts on are validation errors: depthWriteEnabled/depthCompare missing, unknown write mask bits", async () => {
  const device = testDevice();
  const module = device.createShaderModule({ code: shader });
  const make = (extra: Partial<GPURenderPipelineDescriptor>) => () =>
    device.createRenderPipeline({ layout: "auto", vertex: { module }, fragment: { module, targets: [{ format: "rgba8unorm" }] }, ...extra });
  const message = async (fn: () => void) => (await validationErrorOf(device, fn))?.message ?? "no error";
  assert.match(await message(make({ depthStencil: { format: "depth24plus" } })), /depthWriteEnabled is required/);
  assert.match(await message(make({ depthStencil: { format: "depth32float", depthWriteEnabled: true } })), /depthCompare is required/);
  assert.match(
    await message(make({ depthStencil: { format: "depth24plus-stencil8", depthWriteEnabled: false, stencilFront: { depthFailOp: "replace" } } })),
    /depthCompare is required/,
  );
  assert.equal(await message(make({ depthStencil: { format: "depth24plus", depthWriteEnabled: false } })), "no error");
  assert.equal(await message(make({ depthStencil: { format: "stencil8" } })), "no error");
  assert.match(await message(make({ depthStencil: { format: "stencil8", depthWriteEnabled: true } })), /no depth aspect/); // found by render-fuzz
  assert.match(await message(make({ fragment: { module, targets: [{ format: "rgba8unorm", writeMask: 0x10 }] } })), /writeMask/);
  assert.match(await message(make({ depthStencil: { format: "rgba8unorm", depthWriteEnabled: false } })), /depth or stencil format/);
  // The spec's checks that wgpu-core 29 leaves out.
  assert.match(await message(make({ vertex: { module, buffers: Array(device.limits.maxVertexBuffers + 1).fill(null) } })), /more than maxVertexBuffers/);
  assert.match(await message(make({ multisample: { count: 1, alphaToCoverageEnabled: true } })), /count above 1/);
  assert.match(
    await message(
      make({
        fragment: undefined,
        depthStencil: { format: "depth24plus", depthWriteEnabled: true, depthCompare: "less" },
        multisample: { count: 4, alphaToCoverageEnabled: true },
      }),
    ),
    /needs a fragment stage/,
  );
  // The engine's own validation errors pass through.
  assert.match(await message(make({ multisample: { count: 3 } })), /[Ss]ample count/);
  assert.match(await message(make({ primitive: { stripIndexFormat: "uint16" } })), /[Ss]trip ?[Ii]ndex ?[Ff]ormat/);
});

test("bad JavaScript arguments are TypeErrors naming the member", () => {
  const device = testDevice();
  const module = device.createShaderModule({ code: shader });
  const base = { layout: "auto" as const, vertex: { module }, fragment: { module, targets: [{ format: "rgba8unorm" as const }] } };
  assert.throws(() => device.createRenderPipeline({ ...base, layout: undefined as never }), /layout is required/);
  assert.throws(() => device.createRenderPipeline({ ...base, vertex: undefined as never }), /vertex is required/);
  assert.throws(() => device.createRenderPipeline({ ...base, primitive: { topology: "quads" as never } }), /primitive.topology/);
  assert.throws(
    () =>
      device.createRenderPipeline({
        ...base,
        vertex: { module, buffers: [{ arrayStride: 4, attributes: [{ format: "float33" as never, offset: 0, shaderLocation: 0 }] }] },
      }),
    /attributes\[0\]: format/,
  );
  assert.throws(
    () => device.createRenderPipeline({ ...base, fragment: { module, targets: [{ format: "rgba8unorm", blend: { color: {} } as never }] } }),
    /blend.alpha is required/,
  );
  assert.throws(
    () => device.createRenderPipeline({ ...base, depthStencil: { format: "depth24plus", depthWriteEnabled: true, depthCompare: "less", depthBiasClamp: NaN } }),
    /depthBiasClamp/,
  );
  assert.throws(
    () => device.createRenderPipeline({ ...base, fragment: { module, constants: { red: "x" as never }, targets: [{ format: "rgba8unorm" }] } }),
    /constants.red/,
  );
});
