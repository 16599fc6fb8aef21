// The API fuzzer's table of operations: one line per method. `target` is the class whose pooled
// object the method is called on (GPUDevice and GPUQueue are the world's own); the result, if it
// is a GPU object, joins the pool. Rendering operations are added here, one line each.
import fc from "fast-check";
import * as native from "../../src/extras.ts";
import type { GPUBuffer, GPUDevice } from "../../src/index.ts";
import { nativeRuntime } from "../../src/native/index.ts";
import {
  bufferUsage,
  bytes,
  dict,
  extent,
  index,
  label,
  mapMode,
  maybe,
  offset,
  oneOf,
  optional,
  ref,
  seq,
  size,
  small,
  textureFormat,
  textureUsage,
  wgsl,
  wrong,
} from "./values.ts";

export interface Op {
  target: string;
  /** A method name, "=member" for a setter, or "dispose" for [Symbol.dispose]; a function's name with `fn`. */
  method: string;
  args: fc.Arbitrary<unknown>[];
  weight: number;
  /** A function taking the target first (the `wgpu-ts/native` extras), instead of a method. */
  fn?: (target: never, ...args: never[]) => unknown;
}

const op = (target: string, method: string, args: fc.Arbitrary<unknown>[] = [], weight = 2): Op => ({ target, method, args, weight });
const fnOp = (target: string, fn: (target: never, ...args: never[]) => unknown, args: fc.Arbitrary<unknown>[], weight = 1): Op => ({
  target,
  method: fn.name,
  args,
  weight,
  fn,
});

const bufferType = oneOf("uniform", "storage", "read-only-storage");
const layoutEntry = dict({
  binding: index,
  visibility: maybe(fc.constantFrom(1, 2, 4, 6, 7, 0)),
  buffer: dict({ type: bufferType, hasDynamicOffset: fc.boolean(), minBindingSize: small }),
  storageTexture: dict({ format: oneOf("rgba8unorm", "r32float", "nope") }),
});
const bufferBinding = fc.oneof(dict({ buffer: ref("GPUBuffer"), offset, size: optional(size) }), ref("GPUBuffer", ["GPUBindGroup"]));
const stage = dict({
  module: ref("GPUShaderModule", ["GPUBuffer"]),
  entryPoint: optional(oneOf("main", "nope")),
  constants: optional(maybe(fc.dictionary(fc.string({ maxLength: 3 }), maybe(fc.double()))) as fc.Arbitrary<unknown>),
});
const pipelineLayout = maybe(fc.oneof(fc.constant("auto"), ref("GPUPipelineLayout")) as fc.Arbitrary<unknown>);
const texelCopyTexture = dict({
  texture: ref("GPUTexture", ["GPUTextureView", "GPUBuffer"]),
  mipLevel: optional(index),
  origin: optional(extent),
  aspect: optional(oneOf("all", "depth-only", "stencil-only")),
});
const texelCopyBuffer = dict({
  buffer: ref("GPUBuffer"),
  offset: optional(offset),
  bytesPerRow: optional(maybe(fc.constantFrom(256, 512, 16, 0))),
  rowsPerImage: optional(small),
});
const dataLayout = dict({ offset: optional(offset), bytesPerRow: optional(maybe(fc.constantFrom(16, 64, 256, 3))), rowsPerImage: optional(small) });
const colorTarget = dict({
  format: textureFormat,
  writeMask: optional(maybe(fc.nat(0x1f))),
  blend: optional(
    dict({ color: dict({ operation: oneOf("add", "max"), srcFactor: oneOf("one", "src-alpha"), dstFactor: oneOf("zero", "one") }), alpha: dict({}) }),
  ),
});
const vertexBuffers = seq(
  fc.oneof(
    fc.constant(null),
    dict({
      arrayStride: small,
      stepMode: optional(oneOf("vertex", "instance")),
      attributes: seq(dict({ format: oneOf("float32x2", "float32x4", "uint32", "nope"), offset: small, shaderLocation: index }), 2),
    }),
  ),
  2,
);
const renderPipeline = dict({
  layout: pipelineLayout,
  vertex: dict({ module: ref("GPUShaderModule"), entryPoint: optional(oneOf("vs", "main", "fs")), buffers: optional(vertexBuffers) }),
  fragment: optional(
    dict({ module: ref("GPUShaderModule"), entryPoint: optional(oneOf("fs", "vs")), targets: seq(fc.oneof(colorTarget, fc.constant(null)), 2) }),
  ),
  primitive: optional(
    dict({
      topology: oneOf("triangle-list", "point-list", "line-strip"),
      stripIndexFormat: optional(oneOf("uint16", "uint32")),
      cullMode: optional(oneOf("none", "back")),
    }),
  ),
  depthStencil: optional(
    dict({ format: textureFormat, depthWriteEnabled: optional(maybe(fc.boolean())), depthCompare: optional(oneOf("less", "always", "nope")) }),
  ),
  multisample: optional(dict({ count: maybe(fc.constantFrom(1, 4, 2, 0)), mask: optional(small) })),
  label,
});
const colorAttachment = dict({
  view: ref("GPUTextureView", ["GPUTexture"]),
  loadOp: oneOf("clear", "load"),
  storeOp: oneOf("store", "discard"),
  clearValue: optional(maybe(fc.oneof(fc.constant([0, 0, 0, 1]), fc.constant({ r: 1, g: 0, b: 0, a: 1 })) as fc.Arbitrary<unknown>)),
  resolveTarget: optional(ref("GPUTextureView")),
  depthSlice: optional(index),
});
const renderPassDescriptor = dict({
  colorAttachments: seq(fc.oneof(colorAttachment, fc.constant(null)), 2),
  depthStencilAttachment: optional(
    dict({
      view: ref("GPUTextureView"),
      depthLoadOp: optional(oneOf("clear", "load")),
      depthStoreOp: optional(oneOf("store", "discard")),
      depthClearValue: optional(maybe(fc.double())),
      depthReadOnly: optional(fc.boolean()),
    }),
  ),
  occlusionQuerySet: optional(ref("GPUQuerySet")),
  label,
});
const timestampWrites = dict({ querySet: ref("GPUQuerySet"), beginningOfPassWriteIndex: optional(index), endOfPassWriteIndex: optional(index) });

/** Commands shared by render passes and render bundle encoders. */
const renderCommands = (target: string): Op[] => [
  op(target, "setPipeline", [ref("GPURenderPipeline", ["GPUComputePipeline"])], 4),
  op(target, "setBindGroup", [index, fc.oneof(ref("GPUBindGroup"), fc.constant(null)), optional(seq(small, 3))], 2),
  op(target, "setVertexBuffer", [index, fc.oneof(ref("GPUBuffer"), fc.constant(null)), optional(offset), optional(size)], 3),
  op(target, "setIndexBuffer", [ref("GPUBuffer"), oneOf("uint16", "uint32"), optional(offset), optional(size)], 3),
  op(target, "draw", [small, optional(small), optional(small), optional(small)], 4),
  op(target, "drawIndexed", [small, optional(small), optional(small), optional(maybe(fc.integer({ min: -8, max: 8 }))), optional(small)], 3),
  op(target, "drawIndirect", [ref("GPUBuffer"), offset], 2),
  op(target, "drawIndexedIndirect", [ref("GPUBuffer"), offset], 2),
  op(target, "pushDebugGroup", [maybe(fc.string({ maxLength: 4 }))], 0.5),
  op(target, "popDebugGroup", [], 0.5),
  op(target, "insertDebugMarker", [maybe(fc.string({ maxLength: 4 }))], 0.5),
];

/** Textures, samplers, render pipelines, passes and bundles (issue 3). */
const renderingOps: Op[] = [
  op(
    "GPUDevice",
    "createTexture",
    [
      dict({
        size: extent,
        format: textureFormat,
        usage: textureUsage,
        dimension: optional(oneOf("1d", "2d", "3d")),
        mipLevelCount: optional(maybe(fc.constantFrom(1, 2, 0, 9))),
        sampleCount: optional(maybe(fc.constantFrom(1, 4, 0, 3))),
        viewFormats: optional(seq(textureFormat, 2)),
        label,
      }),
    ],
    4,
  ),
  op(
    "GPUDevice",
    "createSampler",
    [
      optional(
        dict({
          addressModeU: optional(oneOf("repeat", "clamp-to-edge")),
          magFilter: optional(oneOf("linear", "nearest")),
          lodMinClamp: optional(maybe(fc.double())),
          lodMaxClamp: optional(maybe(fc.double())),
          compare: optional(oneOf("less", "never")),
          maxAnisotropy: optional(maybe(fc.constantFrom(1, 4, 16, 0, 1000))),
        }),
      ),
    ],
    1,
  ),
  op("GPUDevice", "createRenderPipeline", [renderPipeline], 3),
  op("GPUDevice", "createRenderPipelineAsyncSync", [renderPipeline], 1),
  op(
    "GPUDevice",
    "createRenderBundleEncoder",
    [
      dict({
        colorFormats: seq(fc.oneof(textureFormat, fc.constant(null)), 2),
        depthStencilFormat: optional(textureFormat),
        sampleCount: optional(maybe(fc.constantFrom(1, 4, 0))),
        depthReadOnly: optional(fc.boolean()),
        label,
      }),
    ],
    3,
  ),
  op(
    "GPUTexture",
    "createView",
    [
      optional(
        dict({
          format: optional(textureFormat),
          dimension: optional(oneOf("2d", "2d-array", "cube", "3d")),
          baseMipLevel: optional(index),
          mipLevelCount: optional(index),
          baseArrayLayer: optional(index),
          arrayLayerCount: optional(index),
          aspect: optional(oneOf("all", "depth-only")),
          usage: optional(textureUsage),
        }),
      ),
    ],
    4,
  ),
  op("GPUTexture", "destroy", [], 1),
  op("GPURenderPipeline", "getBindGroupLayout", [index], 1),
  op("GPUCommandEncoder", "beginRenderPass", [renderPassDescriptor], 5),
  op("GPUCommandEncoder", "copyBufferToTexture", [texelCopyBuffer, texelCopyTexture, extent], 1),
  op("GPUCommandEncoder", "copyTextureToBuffer", [texelCopyTexture, texelCopyBuffer, extent], 1),
  op("GPUCommandEncoder", "copyTextureToTexture", [texelCopyTexture, texelCopyTexture, extent], 1),
  op("GPUQueue", "writeTexture", [texelCopyTexture, bytes, dataLayout, extent], 2),
  op("GPUQueue", "readTextureSync", [texelCopyTexture], 1),
  ...renderCommands("GPURenderPassEncoder"),
  op("GPURenderPassEncoder", "setViewport", [small, small, small, small, maybe(fc.double({ min: 0, max: 1 })), maybe(fc.double({ min: 0, max: 1 }))], 1),
  op("GPURenderPassEncoder", "setScissorRect", [small, small, small, small], 1),
  op(
    "GPURenderPassEncoder",
    "setBlendConstant",
    [maybe(fc.oneof(fc.constant([0, 0, 0, 0]), fc.constant({ r: 0, g: 1, b: 0, a: 1 }), fc.constant([1, 2])) as fc.Arbitrary<unknown>)],
    1,
  ),
  op("GPURenderPassEncoder", "setStencilReference", [small], 1),
  op("GPURenderPassEncoder", "beginOcclusionQuery", [index], 1),
  op("GPURenderPassEncoder", "endOcclusionQuery", [], 1),
  op("GPURenderPassEncoder", "executeBundles", [seq(ref("GPURenderBundle", ["GPUCommandBuffer"]), 2)], 2),
  op("GPURenderPassEncoder", "end", [], 5),
  ...renderCommands("GPURenderBundleEncoder"),
  op("GPURenderBundleEncoder", "finish", [optional(dict({ label }))], 4),
];

/** `wgpu-ts/native` (issue 6): each checks the device's features first. */
const statisticNames = seq(oneOf("vertex-shader-invocations", "clipperInvocations", "fragment_shader_invocations", "computeShaderInvocations", "nope"), 3);
const nativeOps: Op[] = [
  fnOp("GPUDevice", native.createStatisticsQuerySet, [small, statisticNames, label]),
  fnOp("GPUDevice", native.createPipelineLayout, [
    dict({
      bindGroupLayouts: seq(ref("GPUBindGroupLayout"), 2),
      pushConstantLayouts: optional(seq(dict({ stages: maybe(fc.nat(7)), start: small, end: small }), 2)),
      immediateSize: optional(small),
    }),
  ]),
  fnOp("GPUDevice", native.createShaderModuleSPIRV, [
    dict({
      code: maybe(
        fc.oneof(
          fc.nat(16).map((n) => new Uint32Array(n)),
          fc.constant(new Uint32Array([0x07230203, 0x10000, 0, 1, 0])),
        ),
      ),
    }),
  ]),
  fnOp("GPUComputePassEncoder", native.setPushConstants, [maybe(fc.nat(7)), small, small, bytes, optional(offset)]),
  fnOp("GPURenderPassEncoder", native.setImmediates, [small, bytes]),
  fnOp("GPURenderPassEncoder", native.multiDrawIndirect, [ref("GPUBuffer"), offset, small]),
  fnOp("GPURenderPassEncoder", native.multiDrawIndexedIndirect, [ref("GPUBuffer"), offset, small]),
  fnOp("GPURenderPassEncoder", native.multiDrawIndirectCount, [ref("GPUBuffer"), offset, ref("GPUBuffer"), offset, small]),
  fnOp("GPUComputePassEncoder", native.beginPipelineStatisticsQuery, [ref("GPUQuerySet"), index], 2),
  fnOp("GPUComputePassEncoder", native.endPipelineStatisticsQuery, [], 2),
  fnOp("GPURenderPassEncoder", native.beginPipelineStatisticsQuery, [ref("GPUQuerySet"), index]),
  fnOp("GPURenderPassEncoder", native.endPipelineStatisticsQuery, []),
  fnOp("GPUCommandEncoder", native.writeTimestamp, [ref("GPUQuerySet"), index], 2),
  fnOp("GPUComputePassEncoder", native.writeTimestamp, [ref("GPUQuerySet"), index]),
  fnOp("GPUQuerySet", native.pipelineStatisticNames, []),
  fnOp("GPUQuerySet", native.readPipelineStatistics, [maybe(fc.nat(8).map((n) => new BigUint64Array(n)) as fc.Arbitrary<unknown>), optional(small)]),
  fnOp("GPUQueue", native.getTimestampPeriod, []),
];

/** Aliases of mapped ranges made by transfer(), where the runtime allows it (issue 14, class 2). */
const aliases: ArrayBuffer[] = [];

/** getMappedRange, then transfer() of the range: refused (the detach key) or an alias of JS memory (a copy). */
function transferMappedRange(buffer: GPUBuffer, offset?: number, size?: number): void {
  const range = buffer.getMappedRange(offset, size);
  const transfer = (range as { transfer?: () => ArrayBuffer }).transfer;
  if (!transfer) return;
  try {
    aliases.push(transfer.call(range));
    if (aliases.length > 16) aliases.shift();
  } catch (e) {
    if (!(e instanceof TypeError)) throw e; // not detachable by user code: the spec's answer
  }
}

/** Reads and writes every alias made so far: must never touch freed memory. */
function touchAliases(): void {
  for (const a of aliases) {
    const bytes = new Uint8Array(a);
    for (let i = 0; i < bytes.length; i += 64) bytes[i] = (bytes[i] + 1) & 0xff;
  }
}

/**
 * Command buffers finished and dropped, never submitted (issue 14, class 7). An engine that keeps
 * them (EngineBehaviour.keepsUnsubmitted: wgpu-native 29, ~100 KiB each, and each holds its device
 * for good) gets one a call, not up to 64 (5000 programs: peak RSS 1720 -> 1518 MiB).
 */
function dropUnsubmitted(device: GPUDevice, count: unknown): void {
  const most = nativeRuntime().behaviour.keepsUnsubmitted ? 1 : 64;
  const n = typeof count === "number" && count >= 0 ? Math.min(count, most) : 1;
  for (let i = 0; i < n; i++) device.createCommandEncoder().finish();
}

export const ops: Op[] = [
  ...renderingOps,
  fnOp("GPUBuffer", transferMappedRange as never, [optional(offset), optional(size)], 2),
  fnOp("GPUDevice", touchAliases as never, [], 1),
  fnOp("GPUDevice", dropUnsubmitted as never, [small], 1),
  ...nativeOps,
  // GPUDevice
  op("GPUDevice", "createBuffer", [dict({ size, usage: bufferUsage, mappedAtCreation: maybe(fc.boolean()), label })], 6),
  op("GPUDevice", "createBufferWithData", [bytes, bufferUsage, label]),
  op("GPUDevice", "createShaderModule", [dict({ code: wgsl, label })]),
  op("GPUDevice", "createBindGroupLayout", [dict({ entries: seq(layoutEntry, 3), label })]),
  op("GPUDevice", "createPipelineLayout", [dict({ bindGroupLayouts: seq(fc.oneof(ref("GPUBindGroupLayout"), fc.constant(null)), 3), label })]),
  op(
    "GPUDevice",
    "createBindGroup",
    [dict({ layout: ref("GPUBindGroupLayout", ["GPUPipelineLayout"]), entries: seq(dict({ binding: index, resource: bufferBinding }), 3), label })],
    3,
  ),
  op("GPUDevice", "createComputePipeline", [dict({ layout: pipelineLayout, compute: stage, label })]),
  op("GPUDevice", "createComputePipelineAsyncSync", [dict({ layout: pipelineLayout, compute: stage })], 1),
  op("GPUDevice", "createComputePipelineAsync", [dict({ layout: pipelineLayout, compute: stage })], 1),
  op("GPUDevice", "createCommandEncoder", [optional(dict({ label }))], 6),
  op("GPUDevice", "createQuerySet", [dict({ type: oneOf("occlusion", "timestamp"), count: small, label })], 1),
  op("GPUDevice", "pushErrorScope", [oneOf("validation", "out-of-memory", "internal")]),
  op("GPUDevice", "popErrorScopeSync"),
  op("GPUDevice", "popErrorScope", [], 1),
  op("GPUDevice", "destroy", [], 0.2),
  // GPUQueue
  op("GPUQueue", "submit", [seq(ref("GPUCommandBuffer", ["GPUCommandEncoder", "GPUBuffer"]), 3)], 6),
  op("GPUQueue", "writeBuffer", [ref("GPUBuffer"), offset, bytes, optional(offset), optional(size)], 4),
  op("GPUQueue", "onSubmittedWorkDoneSync", [], 1),
  op("GPUQueue", "onSubmittedWorkDone", [], 1),
  op("GPUQueue", "readBufferSync", [ref("GPUBuffer"), optional(offset), optional(size)], 1),
  // GPUBuffer
  op("GPUBuffer", "mapSync", [mapMode, optional(offset), optional(size)], 3),
  op("GPUBuffer", "mapAsync", [mapMode, optional(offset), optional(size)], 2),
  op("GPUBuffer", "getMappedRange", [optional(offset), optional(size)], 3),
  op("GPUBuffer", "readMapped", [optional(offset), optional(size)]),
  op("GPUBuffer", "writeMapped", [bytes, optional(offset)]),
  op("GPUBuffer", "unmap", [], 3),
  op("GPUBuffer", "destroy", [], 2),
  // Shader modules and pipelines
  op("GPUShaderModule", "getCompilationInfoSync", [], 1),
  op("GPUComputePipeline", "getBindGroupLayout", [index]),
  // GPUCommandEncoder
  op("GPUCommandEncoder", "beginComputePass", [optional(dict({ label, timestampWrites: optional(timestampWrites) }))], 5),
  op("GPUCommandEncoder", "copyBufferToBuffer", [ref("GPUBuffer"), offset, ref("GPUBuffer"), offset, optional(size)], 2),
  op("GPUCommandEncoder", "copyBufferToBuffer", [ref("GPUBuffer"), ref("GPUBuffer"), optional(size)], 1),
  op("GPUCommandEncoder", "clearBuffer", [ref("GPUBuffer"), optional(offset), optional(size)], 2),
  op("GPUCommandEncoder", "resolveQuerySet", [ref("GPUQuerySet"), index, index, ref("GPUBuffer"), offset], 1),
  op("GPUCommandEncoder", "pushDebugGroup", [maybe(fc.string({ maxLength: 4 }))], 1),
  op("GPUCommandEncoder", "popDebugGroup", [], 1),
  op("GPUCommandEncoder", "insertDebugMarker", [maybe(fc.string({ maxLength: 4 }))], 1),
  op("GPUCommandEncoder", "finish", [optional(dict({ label }))], 6),
  // GPUComputePassEncoder
  op("GPUComputePassEncoder", "setPipeline", [ref("GPUComputePipeline", ["GPUBuffer"])], 4),
  op("GPUComputePassEncoder", "setBindGroup", [index, fc.oneof(ref("GPUBindGroup"), fc.constant(null)), optional(seq(small, 3))], 4),
  op("GPUComputePassEncoder", "setBindGroup", [index, ref("GPUBindGroup"), maybe(fc.constant(new Uint32Array(4))), small, small], 1),
  op("GPUComputePassEncoder", "dispatchWorkgroups", [small, optional(small), optional(small)], 4),
  op("GPUComputePassEncoder", "dispatchWorkgroupsIndirect", [ref("GPUBuffer"), offset], 2),
  op("GPUComputePassEncoder", "setImmediates", [small, bytes, optional(offset), optional(size)], 1),
  op("GPUComputePassEncoder", "pushDebugGroup", [maybe(fc.string({ maxLength: 4 }))], 1),
  op("GPUComputePassEncoder", "popDebugGroup", [], 1),
  op("GPUComputePassEncoder", "insertDebugMarker", [maybe(fc.string({ maxLength: 4 }))], 1),
  op("GPUComputePassEncoder", "end", [], 5),
  // Query sets
  op("GPUQuerySet", "destroy", [], 1),
  // Any object: labels and early release
  ...[
    "GPUBuffer",
    "GPUBindGroup",
    "GPUCommandEncoder",
    "GPUComputePassEncoder",
    "GPUCommandBuffer",
    "GPUComputePipeline",
    "GPUShaderModule",
    "GPUQuerySet",
    "GPUBindGroupLayout",
    "GPUTexture",
    "GPUTextureView",
    "GPUSampler",
    "GPURenderPipeline",
    "GPURenderPassEncoder",
    "GPURenderBundleEncoder",
    "GPURenderBundle",
  ].flatMap((k) => [op(k, "dispose", [], 0.7), op(k, "=label", [maybe(fc.string({ maxLength: 5 }))], 0.3)]),
  op("GPUDevice", "=onuncapturederror", [wrong], 0.2),
];

/** One step of a program: which operation, on which pooled object, with what arguments. */
export interface Step {
  op: number;
  target: number;
  args: unknown[];
}

export const step: fc.Arbitrary<Step> = fc.oneof(
  ...ops.map((o, i) => ({
    arbitrary: fc.record({ op: fc.constant(i), target: fc.nat(7), args: fc.tuple(...o.args) as fc.Arbitrary<unknown[]> }),
    weight: Math.max(1, Math.round(o.weight * 10)),
  })),
);
