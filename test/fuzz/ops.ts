// The API fuzzer's table of operations: one line per method. `target` is the class whose pooled
// object the method is called on (GPUDevice and GPUQueue are the world's own); the result, if it
// is a GPU object, joins the pool. Rendering operations are added here, one line each.
import fc from "fast-check";
import { bufferUsage, bytes, dict, index, label, mapMode, maybe, offset, oneOf, optional, ref, seq, size, small, wgsl, wrong } from "./values.ts";

export interface Op {
  target: string;
  /** A method name, "=member" for a setter, or "dispose" for [Symbol.dispose]. */
  method: string;
  args: fc.Arbitrary<unknown>[];
  weight: number;
}

const op = (target: string, method: string, args: fc.Arbitrary<unknown>[] = [], weight = 2): Op => ({ target, method, args, weight });

const bufferType = oneOf("uniform", "storage", "read-only-storage");
const layoutEntry = dict({
  binding: index,
  visibility: maybe(fc.constantFrom(1, 2, 4, 6, 7, 0)),
  buffer: dict({ type: bufferType, hasDynamicOffset: fc.boolean(), minBindingSize: small }),
  storageTexture: dict({ format: oneOf("rgba8unorm", "r32float", "nope") }),
});
const bufferBinding = fc.oneof(dict({ buffer: ref("GPUBuffer"), offset, size: optional(size) }), ref("GPUBuffer", ["GPUBindGroup"]));
const stage = dict({ module: ref("GPUShaderModule", ["GPUBuffer"]), entryPoint: optional(oneOf("main", "nope")), constants: optional(maybe(fc.dictionary(fc.string({ maxLength: 3 }), maybe(fc.double()))) as fc.Arbitrary<unknown>) });
const pipelineLayout = maybe(fc.oneof(fc.constant("auto"), ref("GPUPipelineLayout")) as fc.Arbitrary<unknown>);
const timestampWrites = dict({ querySet: ref("GPUQuerySet"), beginningOfPassWriteIndex: optional(index), endOfPassWriteIndex: optional(index) });

export const ops: Op[] = [
  // GPUDevice
  op("GPUDevice", "createBuffer", [dict({ size, usage: bufferUsage, mappedAtCreation: maybe(fc.boolean()), label })], 6),
  op("GPUDevice", "createBufferWithData", [bytes, bufferUsage, label]),
  op("GPUDevice", "createShaderModule", [dict({ code: wgsl, label })]),
  op("GPUDevice", "createBindGroupLayout", [dict({ entries: seq(layoutEntry, 3), label })]),
  op("GPUDevice", "createPipelineLayout", [dict({ bindGroupLayouts: seq(fc.oneof(ref("GPUBindGroupLayout"), fc.constant(null)), 3), label })]),
  op("GPUDevice", "createBindGroup", [dict({ layout: ref("GPUBindGroupLayout", ["GPUPipelineLayout"]), entries: seq(dict({ binding: index, resource: bufferBinding }), 3), label })], 3),
  op("GPUDevice", "createComputePipeline", [dict({ layout: pipelineLayout, compute: stage, label })]),
  op("GPUDevice", "createComputePipelineAsyncSync", [dict({ layout: pipelineLayout, compute: stage })], 1),
  op("GPUDevice", "createComputePipelineAsync", [dict({ layout: pipelineLayout, compute: stage })], 1),
  op("GPUDevice", "createCommandEncoder", [optional(dict({ label }))], 6),
  op("GPUDevice", "createQuerySet", [dict({ type: oneOf("occlusion", "timestamp"), count: small, label })], 1),
  op("GPUDevice", "pushErrorScope", [oneOf("validation", "out-of-memory", "internal")]),
  op("GPUDevice", "popErrorScopeSync"),
  op("GPUDevice", "popErrorScope", [], 1),
  op("GPUDevice", "destroy", [], 0.05),
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
  ...["GPUBuffer", "GPUBindGroup", "GPUCommandEncoder", "GPUComputePassEncoder", "GPUCommandBuffer", "GPUComputePipeline", "GPUShaderModule", "GPUQuerySet", "GPUBindGroupLayout"].flatMap((k) => [
    op(k, "dispose", [], 0.7),
    op(k, "=label", [maybe(fc.string({ maxLength: 5 }))], 0.3),
  ]),
  op("GPUDevice", "=onuncapturederror", [wrong], 0.2),
];

/** One step of a program: which operation, on which pooled object, with what arguments. */
export interface Step {
  op: number;
  target: number;
  args: unknown[];
}

export const step: fc.Arbitrary<Step> = fc.oneof(
  ...ops.map((o, i) => ({ arbitrary: fc.record({ op: fc.constant(i), target: fc.nat(7), args: fc.tuple(...o.args) as fc.Arbitrary<unknown[]> }), weight: Math.max(1, Math.round(o.weight * 10)) })),
);
