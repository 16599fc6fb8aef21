// Property tests: random render pipeline descriptors and random command sequences in render
// passes and render bundles (valid or not) never crash the process: every call works, raises a
// validation error, or throws a TypeError/RangeError. wgpu-native aborts on many of these inputs
// when they reach it (see render-guards.test.ts); this looks for the ones nobody listed.
import { test } from "node:test";
import fc from "fast-check";
import { GPUBufferUsage, GPUShaderStage, GPUTextureUsage, type GPUDevice } from "../src/index.ts";
import { answers, testDevice } from "./helpers/gpu.ts";

type Infer<A> = A extends fc.Arbitrary<infer T> ? T : never;
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const runs = { numRuns: Number(process.env.FUZZ_RUNS ?? 60), seed: Number(process.env.FUZZ_SEED ?? 3) };

const code = /* wgsl */ `
@group(0) @binding(0) var<uniform> u: vec4f;
@vertex fn vs(@builtin(vertex_index) i: u32) -> @builtin(position) vec4f { return vec4f(f32(i & 1u), f32(i >> 1u), 0.5, 1); }
@vertex fn vsa(@location(0) p: vec2f, @location(1) q: vec4f) -> @builtin(position) vec4f { return vec4f(p, q.x, 1); }
@fragment fn fs() -> @location(0) vec4f { return u; }
@fragment fn fs2() -> @location(0) vec4f { return vec4f(1); }
`;

const colorFormat = fc.constantFrom("rgba8unorm", "bgra8unorm", "r32float", "rgba8snorm", "r8uint", "depth24plus", "nope");
const depthFormat = fc.constantFrom("depth24plus", "depth24plus-stencil8", "depth32float", "stencil8", "depth16unorm", "rgba8unorm", "depth32float-stencil8");
const compare = maybe(fc.constantFrom("never", "less", "equal", "always", "greater-equal"));
const stencilOp = maybe(fc.constantFrom("keep", "zero", "replace", "invert", "increment-wrap"));
const blendComponent = fc.record({
  operation: maybe(fc.constantFrom("add", "subtract", "min", "max")),
  srcFactor: maybe(fc.constantFrom("one", "zero", "src-alpha", "constant", "src1", "dst")),
  dstFactor: maybe(fc.constantFrom("one", "zero", "one-minus-src-alpha", "src1-alpha")),
});
const attribute = fc.record({
  format: fc.constantFrom("float32x2", "float32x4", "unorm8x4", "uint32", "unorm8x4-bgra", "float16x2"),
  offset: fc.constantFrom(0, 4, 8, 2, 64),
  shaderLocation: fc.constantFrom(0, 1, 2, 20),
});

const pipelineDescriptor = fc.record({
  vertexEntry: fc.constantFrom("vs", "vsa"),
  buffers: maybe(
    fc.array(
      fc.option(
        fc.record({
          arrayStride: fc.constantFrom(0, 8, 16, 6, 4096),
          stepMode: maybe(fc.constantFrom("vertex", "instance")),
          attributes: fc.array(attribute, { maxLength: 3 }),
        }),
        { nil: null },
      ),
      { maxLength: 3 },
    ),
  ),
  primitive: maybe(
    fc.record({
      topology: maybe(fc.constantFrom("point-list", "line-list", "line-strip", "triangle-list", "triangle-strip")),
      stripIndexFormat: maybe(fc.constantFrom("uint16", "uint32")),
      frontFace: maybe(fc.constantFrom("ccw", "cw")),
      cullMode: maybe(fc.constantFrom("none", "front", "back")),
      unclippedDepth: maybe(fc.boolean()),
    }),
  ),
  depthStencil: maybe(
    fc.record({
      format: depthFormat,
      depthWriteEnabled: maybe(fc.boolean()),
      depthCompare: compare,
      stencilFront: maybe(fc.record({ compare, failOp: stencilOp, depthFailOp: stencilOp, passOp: stencilOp })),
      stencilReadMask: maybe(fc.constantFrom(0, 0xff, 0xffffffff)),
      depthBias: maybe(fc.integer({ min: -10, max: 10 })),
      depthBiasSlopeScale: maybe(fc.double({ min: -2, max: 2, noNaN: true })),
    }),
  ),
  multisample: maybe(
    fc.record({ count: maybe(fc.constantFrom(1, 4, 3, 0)), mask: maybe(fc.constantFrom(0, 1, 0xffffffff)), alphaToCoverageEnabled: maybe(fc.boolean()) }),
  ),
  fragment: maybe(
    fc.record({
      entryPoint: fc.constantFrom("fs", "fs2", "nope"),
      targets: fc.array(
        fc.option(
          fc.record({
            format: colorFormat,
            blend: maybe(fc.record({ color: blendComponent, alpha: blendComponent })),
            writeMask: maybe(fc.constantFrom(0, 0xf, 0x5, 0x10)),
          }),
          { nil: null },
        ),
        { maxLength: 3 },
      ),
      constants: maybe(fc.constantFrom({}, { nope: 1 })),
    }),
  ),
});

function makePipeline(device: GPUDevice, module: GPUShaderModule, d: Infer<typeof pipelineDescriptor>): GPURenderPipeline {
  return device.createRenderPipeline({
    layout: "auto",
    vertex: { module, entryPoint: d.vertexEntry, buffers: d.buffers as GPUVertexBufferLayout[] },
    primitive: d.primitive as GPUPrimitiveState,
    depthStencil: d.depthStencil as GPUDepthStencilState,
    multisample: d.multisample,
    fragment: d.fragment && {
      module,
      ...d.fragment,
      constants: d.fragment.constants as Record<string, number>,
      targets: d.fragment.targets as GPUColorTargetState[],
    },
  });
}

test("random render pipeline descriptors never crash", () => {
  const device = testDevice();
  const module = device.createShaderModule({ code });
  fc.assert(
    fc.property(pipelineDescriptor, (d) => answers(device, () => void makePipeline(device, module, d))),
    { ...runs, numRuns: runs.numRuns * 3 },
  );
});

const index = fc.constantFrom(0, 1, 2, 9, 40);
const count = fc.constantFrom(0, 1, 3, 6, 100);
const offset = fc.constantFrom(0, 4, 2, 256, 1 << 20);
const command = fc.oneof(
  fc.record({ op: fc.constant("setPipeline" as const), which: fc.nat(4) }),
  fc.record({
    op: fc.constant("setBindGroup" as const),
    index,
    which: fc.nat(2),
    offsets: maybe(fc.array(fc.constantFrom(0, 256, 3, 1 << 20), { maxLength: 2 })),
  }),
  fc.record({ op: fc.constant("setVertexBuffer" as const), index, which: fc.nat(2), offset: maybe(offset), size: maybe(fc.constantFrom(0, 8, 64, 1 << 20)) }),
  fc.record({
    op: fc.constant("setIndexBuffer" as const),
    which: fc.nat(2),
    format: fc.constantFrom("uint16", "uint32"),
    offset: maybe(offset),
    size: maybe(fc.constantFrom(0, 6, 64, 1 << 20)),
  }),
  fc.record({ op: fc.constant("draw" as const), a: count, b: maybe(fc.constantFrom(0, 1, 4)), c: maybe(count), d: maybe(fc.constantFrom(0, 2)) }),
  fc.record({
    op: fc.constant("drawIndexed" as const),
    a: count,
    b: maybe(fc.constantFrom(0, 1, 4)),
    c: maybe(count),
    d: maybe(fc.constantFrom(0, -1, 5)),
    e: maybe(fc.constantFrom(0, 2)),
  }),
  fc.record({ op: fc.constantFrom("drawIndirect" as const, "drawIndexedIndirect" as const), which: fc.nat(2), offset }),
  fc.record({ op: fc.constantFrom("pushDebugGroup" as const, "popDebugGroup" as const, "insertDebugMarker" as const) }),
  fc.record({ op: fc.constant("setImmediates" as const), offset: fc.constantFrom(0, 4, 3), size: fc.constantFrom(4, 16) }),
);
const passCommand = fc.oneof(
  command,
  fc.record({
    op: fc.constant("setViewport" as const),
    v: fc.tuple(
      fc.constantFrom(0, 1, -1),
      fc.constantFrom(0, 2),
      fc.constantFrom(0, 4, 100),
      fc.constantFrom(4, -1),
      fc.constantFrom(0, 0.5, 2),
      fc.constantFrom(1, 0.25),
    ),
  }),
  fc.record({
    op: fc.constant("setScissorRect" as const),
    v: fc.tuple(fc.constantFrom(0, 3, 100), fc.constantFrom(0, 1), fc.constantFrom(0, 4, 9), fc.constantFrom(1, 4)),
  }),
  fc.record({ op: fc.constant("setBlendConstant" as const), v: fc.constantFrom<GPUColor>([0, 0, 0, 1], { r: 1, g: 0, b: 0, a: 1 }, [2, -1, 0, 1]) }),
  fc.record({ op: fc.constant("setStencilReference" as const), v: fc.constantFrom(0, 1, 0xffffffff) }),
  fc.record({ op: fc.constantFrom("beginOcclusionQuery" as const), v: fc.constantFrom(0, 1, 7) }),
  fc.record({ op: fc.constantFrom("endOcclusionQuery" as const) }),
  fc.record({ op: fc.constant("executeBundles" as const), n: fc.nat(2) }),
);
type Command = Infer<typeof passCommand>;

/** A pool of objects the random commands pick from. */
function pool(device: GPUDevice) {
  const module = device.createShaderModule({ code });
  const layout = device.createBindGroupLayout({ entries: [{ binding: 0, visibility: GPUShaderStage.FRAGMENT, buffer: { hasDynamicOffset: true } }] });
  const uniform = device.createBuffer({ size: 512, usage: GPUBufferUsage.UNIFORM });
  const buffer = device.createBuffer({ size: 256, usage: GPUBufferUsage.VERTEX | GPUBufferUsage.INDEX | GPUBufferUsage.INDIRECT });
  const wrongUsage = device.createBuffer({ size: 256, usage: GPUBufferUsage.COPY_DST });
  const fragment = (format: GPUTextureFormat) => ({ module, entryPoint: "fs", targets: [{ format }] });
  const pipelineLayout = device.createPipelineLayout({ bindGroupLayouts: [layout] });
  let pipelines: GPURenderPipeline[] = [];
  answers(device, () => {
    pipelines = [
      device.createRenderPipeline({ layout: pipelineLayout, vertex: { module }, fragment: fragment("rgba8unorm") }),
      device.createRenderPipeline({
        layout: pipelineLayout,
        vertex: {
          module,
          entryPoint: "vsa",
          buffers: [
            { arrayStride: 8, attributes: [{ format: "float32x2", offset: 0, shaderLocation: 0 }] },
            { arrayStride: 16, stepMode: "instance", attributes: [{ format: "float32x4", offset: 0, shaderLocation: 1 }] },
          ],
        },
        fragment: fragment("rgba8unorm"),
      }),
      device.createRenderPipeline({
        layout: pipelineLayout,
        vertex: { module },
        fragment: fragment("rgba8unorm"),
        primitive: { topology: "triangle-strip", stripIndexFormat: "uint32" },
        depthStencil: { format: "depth24plus", depthWriteEnabled: true, depthCompare: "less" },
      }),
      device.createRenderPipeline({ layout: pipelineLayout, vertex: { module }, fragment: fragment("bgra8unorm") }),
      device.createRenderPipeline({
        layout: "auto",
        vertex: { module },
        fragment: fragment("rgba8unorm"),
        depthStencil: { format: "depth24plus" } as GPUDepthStencilState,
      }), // invalid
    ];
  });
  const groups = [device.createBindGroup({ layout, entries: [{ binding: 0, resource: { buffer: uniform, size: 16 } }] }), null];
  return { pipelines, groups, buffers: [buffer, wrongUsage, null] };
}

function apply(e: GPURenderPassEncoder | GPURenderBundleEncoder, c: Command, p: ReturnType<typeof pool>, bundles: GPURenderBundle[]): void {
  const pass = e as GPURenderPassEncoder;
  switch (c.op) {
    case "setPipeline":
      return e.setPipeline(p.pipelines[c.which % p.pipelines.length]);
    case "setBindGroup":
      return e.setBindGroup(c.index, p.groups[c.which % 2], c.offsets);
    case "setVertexBuffer":
      return e.setVertexBuffer(c.index, p.buffers[c.which], c.offset, c.size);
    case "setIndexBuffer":
      return e.setIndexBuffer(p.buffers[c.which % 2]!, c.format as GPUIndexFormat, c.offset, c.size);
    case "draw":
      return e.draw(c.a, c.b, c.c, c.d);
    case "drawIndexed":
      return e.drawIndexed(c.a, c.b, c.c, c.d, c.e);
    case "drawIndirect":
      return e.drawIndirect(p.buffers[c.which % 2]!, c.offset);
    case "drawIndexedIndirect":
      return e.drawIndexedIndirect(p.buffers[c.which % 2]!, c.offset);
    case "pushDebugGroup":
      return e.pushDebugGroup("g");
    case "popDebugGroup":
      return e.popDebugGroup();
    case "insertDebugMarker":
      return e.insertDebugMarker("m");
    case "setImmediates":
      return e.setImmediates(c.offset, new Uint8Array(c.size));
    case "setViewport":
      return pass.setViewport(c.v[0], c.v[1], c.v[2], c.v[3], c.v[4], c.v[5]);
    case "setScissorRect":
      return pass.setScissorRect(c.v[0], c.v[1], c.v[2], c.v[3]);
    case "setBlendConstant":
      return pass.setBlendConstant(c.v);
    case "setStencilReference":
      return pass.setStencilReference(c.v);
    case "beginOcclusionQuery":
      return pass.beginOcclusionQuery(c.v);
    case "endOcclusionQuery":
      return pass.endOcclusionQuery();
    case "executeBundles":
      return pass.executeBundles(bundles.slice(0, c.n));
  }
}

test("random render bundles, then random passes executing them, never crash", () => {
  const device = testDevice();
  const p = pool(device);
  const color = device.createTexture({ size: [4, 4], format: "rgba8unorm", usage: GPUTextureUsage.RENDER_ATTACHMENT });
  const depth = device.createTexture({ size: [4, 4], format: "depth24plus", usage: GPUTextureUsage.RENDER_ATTACHMENT });
  const occlusion = device.createQuerySet({ type: "occlusion", count: 2 });
  const bundleDescriptor = fc.record({
    colorFormats: fc.array(fc.option(colorFormat, { nil: null }), { maxLength: 2 }),
    depthStencilFormat: maybe(depthFormat),
    sampleCount: maybe(fc.constantFrom(1, 4, 3)),
    depthReadOnly: maybe(fc.boolean()),
  });
  fc.assert(
    fc.property(
      fc.array(fc.tuple(bundleDescriptor, fc.array(command, { maxLength: 8 })), { maxLength: 2 }),
      fc.array(passCommand, { maxLength: 12 }),
      fc.boolean(),
      (bundleSpecs, commands, withDepth) => {
        const bundles: GPURenderBundle[] = [];
        for (const [descriptor, list] of bundleSpecs) {
          answers(device, () => {
            const b = device.createRenderBundleEncoder(descriptor as GPURenderBundleEncoderDescriptor);
            for (const c of list) answers(device, () => apply(b, c, p, []));
            bundles.push(b.finish());
          });
        }
        answers(device, () => {
          const encoder = device.createCommandEncoder();
          const pass = encoder.beginRenderPass({
            colorAttachments: [{ view: color.createView(), loadOp: "clear", storeOp: "store" }],
            depthStencilAttachment: withDepth ? { view: depth.createView(), depthLoadOp: "clear", depthStoreOp: "store", depthClearValue: 1 } : undefined,
            occlusionQuerySet: occlusion,
          });
          for (const c of commands) answers(device, () => apply(pass, c, p, bundles));
          pass.end();
          device.queue.submit([encoder.finish()]);
        });
      },
    ),
    runs,
  );
  device.queue.onSubmittedWorkDoneSync();
});

test("random render pass descriptors (attachments, ops, clear values, read-only, queries) never crash", () => {
  const device = testDevice();
  const tex = (format: GPUTextureFormat, extra: Partial<GPUTextureDescriptor> = {}) =>
    device.createTexture({
      size: [4, 4, extra.dimension === "3d" ? 2 : 1],
      format,
      usage: GPUTextureUsage.RENDER_ATTACHMENT | (extra.sampleCount ? 0 : GPUTextureUsage.TEXTURE_BINDING),
      ...extra,
    });
  const destroyed = tex("rgba8unorm");
  const colorViews = [
    tex("rgba8unorm").createView(),
    tex("bgra8unorm").createView(),
    tex("r32float").createView(),
    tex("rgba8unorm", { sampleCount: 4 }).createView(),
    tex("rgba8unorm", { dimension: "3d" }).createView(),
    tex("depth24plus").createView(),
    tex("rgba8unorm", { size: [8, 8] }).createView(),
    destroyed.createView(),
  ];
  destroyed.destroy();
  const depthViews = [
    tex("depth24plus").createView(),
    tex("depth24plus-stencil8").createView(),
    tex("stencil8").createView(),
    tex("depth32float").createView(),
    tex("rgba8unorm").createView(),
    tex("depth24plus", { sampleCount: 4 }).createView(),
  ];
  const querySets = [device.createQuerySet({ type: "occlusion", count: 2 }), ...(device.features.has("timestamp-query") ? [] : [])];
  const op = maybe(fc.constantFrom("load", "clear"));
  const store = maybe(fc.constantFrom("store", "discard"));
  const colorAttachment = fc.record({
    view: fc.nat(colorViews.length - 1),
    resolveTarget: maybe(fc.nat(colorViews.length - 1)),
    depthSlice: maybe(fc.constantFrom(0, 1, 5)),
    loadOp: op,
    storeOp: store,
    clearValue: maybe(fc.constantFrom<GPUColor>([0, 0, 0, 1], { r: 2, g: -1, b: 0.5, a: 1 }, [1, 2, 3])),
  });
  const descriptor = fc.record({
    colors: fc.array(fc.option(colorAttachment, { nil: null }), { maxLength: 3 }),
    depth: maybe(
      fc.record({
        view: fc.nat(depthViews.length - 1),
        depthLoadOp: op,
        depthStoreOp: store,
        depthClearValue: maybe(fc.constantFrom(0, 1, 2, -1, 0.5)),
        depthReadOnly: maybe(fc.boolean()),
        stencilLoadOp: op,
        stencilStoreOp: store,
        stencilClearValue: maybe(fc.constantFrom(0, 255, 4096)),
        stencilReadOnly: maybe(fc.boolean()),
      }),
    ),
    occlusion: fc.boolean(),
    maxDrawCount: maybe(fc.constantFrom(0, 1, 50000000)),
  });
  fc.assert(
    fc.property(descriptor, (d) =>
      answers(device, () => {
        const encoder = device.createCommandEncoder();
        const pass = encoder.beginRenderPass({
          colorAttachments: d.colors.map(
            (c) =>
              c &&
              ({
                ...c,
                view: colorViews[c.view],
                resolveTarget: c.resolveTarget === undefined ? undefined : colorViews[c.resolveTarget],
              } as GPURenderPassColorAttachment),
          ),
          depthStencilAttachment: d.depth && { ...d.depth, view: depthViews[d.depth.view] },
          occlusionQuerySet: d.occlusion ? querySets[0] : undefined,
          maxDrawCount: d.maxDrawCount,
        });
        pass.end();
        device.queue.submit([encoder.finish()]);
      }),
    ),
    { ...runs, numRuns: runs.numRuns * 3 },
  );
});
