// Native-only commands: immediates (push constants), pipeline statistics and timestamps inside
// encoders and passes, multi-draw. Each checks its arguments and the device's features, then
// calls the engine through extras/engine.ts.
import { dict, label as checkLabel, sequence, typeError, u32, u64, describe } from "../../api/check.ts";
import { GPUShaderStage } from "../../api/constants.ts";
import { WGPUPipelineStatisticName, layout } from "../ffi/generated/webgpu.ts";
import { withScratch } from "../convert/scratch.ts";
import { FLUSH_COMMANDS, HANDLE, TRACK_USE, handleOf } from "../object.ts";
import { DEVICE, USES } from "../pass-encoder.ts";
import { rt } from "../runtime.ts";
import { GPUBuffer } from "../buffer.ts";
import { GPUCommandEncoder } from "../command-encoder.ts";
import { GPUComputePassEncoder } from "../compute-pass.ts";
import { GPURenderPassEncoder } from "../render-pass.ts";
import { GPURenderBundleEncoder } from "../render-bundle.ts";
import { GPUQuerySet } from "../query-set.ts";
import { GPUQueue } from "../queue.ts";
import type { GPUDevice } from "../device.ts";
import type { GPUBindGroupLayout, GPUPipelineLayout } from "../binding.ts";
import { engineExtra, engineExtras, requireFeature } from "./engine.ts";
import type { PassKind } from "./wgpu-native.ts";

// ---------------------------------------------------------------------------------------------
// Passes: which kind, and the device they encode for.

/** A pass or bundle encoder as the extras see it: its kind, handle and device. */
interface PassInfo {
  kind: PassKind | "bundle";
  handle: bigint;
  device: GPUDevice;
  /** Records a buffer or query set the pass uses, for the submit checks (destroyed, mapped). */
  track(resource: GPUBuffer | GPUQuerySet): void;
}

const passClasses = new Map<abstract new (...args: never[]) => object, PassKind | "bundle">([
  [GPUComputePassEncoder, "compute"],
  [GPURenderPassEncoder, "render"],
  [GPURenderBundleEncoder, "bundle"],
]);

function passInfo(ctx: string, member: string, pass: unknown, kinds: readonly (PassKind | "bundle")[]): PassInfo {
  for (const [cls, kind] of passClasses) {
    if (pass instanceof cls && kinds.includes(kind)) {
      const p = pass as GPUComputePassEncoder;
      p[FLUSH_COMMANDS]?.(); // the extra's direct call comes after what the pass recorded
      return { kind, handle: p[HANDLE], device: p[DEVICE], track: (b) => p[USES](b) };
    }
  }
  const names = { compute: "GPUComputePassEncoder", render: "GPURenderPassEncoder", bundle: "GPURenderBundleEncoder" };
  return typeError(ctx, member, `must be a ${kinds.map((k) => names[k]).join(" or ")}, got ${describe(pass)}`);
}

// ---------------------------------------------------------------------------------------------
// Immediates (push constants)

export interface PushConstantLayout {
  /** GPUShaderStage flags; wgpu-native 29 has one range for all stages, so this is checked only. */
  visibility: GPUShaderStageFlags;
  start: number;
  end: number;
}

export interface NativePipelineLayoutDescriptor {
  label?: string;
  bindGroupLayouts: Iterable<GPUBindGroupLayout | null>;
  /** Bytes of immediate data (push constants) the pipelines may use. */
  immediateSize?: number;
  /** wgpu-py's form: the immediate size is the largest `end`. */
  pushConstantLayouts?: Iterable<PushConstantLayout>;
}

const ALL_STAGES = GPUShaderStage.VERTEX | GPUShaderStage.FRAGMENT | GPUShaderStage.COMPUTE;

function checkStages(ctx: string, member: string, v: unknown): number {
  const stages = u32(ctx, member, v);
  if (stages === 0 || (stages & ~ALL_STAGES) !== 0) typeError(ctx, member, `(${stages}) must be a non-empty combination of GPUShaderStage flags`);
  return stages;
}

/** Checks an immediate size against the device's feature and limit. */
function checkImmediateSize(ctx: string, device: GPUDevice, size: number): void {
  if (size === 0) return;
  requireFeature(ctx, device, engineExtras().features.immediates);
  if (size % 4 !== 0) throw new RangeError(`${ctx}: the immediate size (${size}) must be a multiple of 4`);
  const max = device.limits.maxImmediateSize;
  if (size > max) {
    throw new RangeError(
      `${ctx}: the immediate size (${size}) is above the device's maxImmediateSize (${max}); ask for more in requiredLimits (the adapter allows ${device.adapter.limits.maxImmediateSize})`,
    );
  }
}

/**
 * wgpu-py's `create_pipeline_layout`: a pipeline layout with an immediate (push-constant) range.
 *
 * @example
 * ```ts
 * import * as native from "wgpu-ts/native";
 * const device = adapter.requestDeviceSync({ requiredFeatures: ["immediates" as GPUFeatureName], requiredLimits: { maxImmediateSize: 16 } });
 * const layout = native.createPipelineLayout(device, { bindGroupLayouts: [], immediateSize: 16 });
 * // wgpu-py's form: { bindGroupLayouts: [], pushConstantLayouts: [{ visibility: GPUShaderStage.COMPUTE, start: 0, end: 16 }] }
 * const pipeline = device.createComputePipeline({ layout, compute: { module } });
 * ```
 */
export function createPipelineLayout(device: GPUDevice, descriptor: NativePipelineLayoutDescriptor): GPUPipelineLayout {
  const ctx = "createPipelineLayout";
  const d = dict(ctx, "descriptor", descriptor, true);
  let size = u32(ctx, "immediateSize", d.immediateSize, 0);
  sequence(ctx, "pushConstantLayouts", d.pushConstantLayouts, []).forEach((r, i) => {
    const m = `pushConstantLayouts[${i}]`;
    dict(ctx, m, r, true);
    checkStages(ctx, `${m}.visibility`, r.visibility);
    const start = u32(ctx, `${m}.start`, r.start);
    const end = u32(ctx, `${m}.end`, r.end);
    if (start % 4 !== 0 || end % 4 !== 0 || end <= start)
      throw new RangeError(`${ctx}: ${m} (${start}..${end}) must be a non-empty range with both ends multiples of 4`);
    size = Math.max(size, end);
  });
  checkImmediateSize(ctx, device, size);
  return device.createPipelineLayout({
    label: checkLabel(ctx, d.label),
    bindGroupLayouts: d.bindGroupLayouts,
    immediateSize: size,
  } as GPUPipelineLayoutDescriptor);
}

/**
 * Sets immediate data on a compute pass, render pass or render bundle encoder (the spec's setImmediates, feature-checked).
 *
 * @example
 * ```ts
 * // WGSL: var<immediate> c: vec4u;
 * pass.setPipeline(pipeline); // its layout from native.createPipelineLayout(device, { bindGroupLayouts: [], immediateSize: 16 })
 * native.setImmediates(pass, 0, new Uint32Array([1, 2, 3, 4]));
 * ```
 */
export function setImmediates(
  encoder: GPUComputePassEncoder | GPURenderPassEncoder | GPURenderBundleEncoder,
  rangeOffset: number,
  data: AllowSharedBufferSource,
  dataOffset?: number,
  dataSize?: number,
): void {
  const ctx = "setImmediates";
  const p = passInfo(ctx, "encoder", encoder, ["compute", "render", "bundle"]);
  requireFeature(ctx, p.device, engineExtras().features.immediates);
  (encoder as GPUComputePassEncoder).setImmediates(rangeOffset, data, dataOffset, dataSize);
}

/**
 * wgpu-py's `set_push_constants(pass, visibility, offset, size_in_bytes, data, data_offset)`:
 * `sizeInBytes` bytes of `data`, from byte `dataOffset`, to the immediates at `offset`.
 *
 * @example
 * ```ts
 * // 8 bytes of the array to the immediates at offset 0, visible to the compute stage
 * native.setPushConstants(pass, GPUShaderStage.COMPUTE, 0, 8, new Uint32Array([10, 3]));
 * ```
 */
export function setPushConstants(
  encoder: GPUComputePassEncoder | GPURenderPassEncoder | GPURenderBundleEncoder,
  visibility: GPUShaderStageFlags,
  offset: number,
  sizeInBytes: number,
  data: AllowSharedBufferSource,
  dataOffset = 0,
): void {
  const ctx = "setPushConstants";
  checkStages(ctx, "visibility", visibility);
  const bytes = ArrayBuffer.isView(data)
    ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    : data instanceof ArrayBuffer || data instanceof SharedArrayBuffer
      ? new Uint8Array(data)
      : typeError(ctx, "data", `must be an ArrayBuffer or a view, got ${describe(data)}`);
  setImmediates(encoder, u32(ctx, "offset", offset), bytes, u64(ctx, "dataOffset", dataOffset), u64(ctx, "sizeInBytes", sizeInBytes));
}

// ---------------------------------------------------------------------------------------------
// Multi-draw

function multiDrawArgs(ctx: string, pass: unknown, buffer: GPUBuffer, offset: unknown) {
  const p = passInfo(ctx, "renderPass", pass, ["render"]);
  const b = handleOf(ctx, "buffer", buffer, GPUBuffer);
  const o = u64(ctx, "offset", offset, 0);
  if (o % 4 !== 0) throw new RangeError(`${ctx}: offset (${o}) must be a multiple of 4`);
  p.track(buffer);
  return { p, b, o };
}

/**
 * wgpu-py's `multi_draw_indirect`: `count` draws whose arguments (16 bytes each) start at `offset`.
 *
 * @example
 * ```ts
 * // Three draws; each has 4 u32s in `args`: vertexCount, instanceCount, firstVertex, firstInstance
 * const args = device.createBufferWithData(new Uint32Array([3, 1, 0, 0, 3, 1, 3, 0, 3, 1, 6, 0]), GPUBufferUsage.INDIRECT);
 * native.multiDrawIndirect(renderPass, args, 0, 3);
 * ```
 */
export function multiDrawIndirect(renderPass: GPURenderPassEncoder, buffer: GPUBuffer, offset: number, count: number): void {
  multiDraw("multiDrawIndirect", renderPass, buffer, offset, count, false);
}

/**
 * wgpu-py's `multi_draw_indexed_indirect`: `count` indexed draws (20 bytes of arguments each).
 *
 * @example
 * ```ts
 * // Two indexed draws; each has 5 u32s: indexCount, instanceCount, firstIndex, baseVertex, firstInstance
 * const args = device.createBufferWithData(new Uint32Array([6, 1, 0, 0, 0, 6, 1, 6, 0, 0]), GPUBufferUsage.INDIRECT);
 * renderPass.setIndexBuffer(indices, "uint16");
 * native.multiDrawIndexedIndirect(renderPass, args, 0, 2);
 * ```
 */
export function multiDrawIndexedIndirect(renderPass: GPURenderPassEncoder, buffer: GPUBuffer, offset: number, count: number): void {
  multiDraw("multiDrawIndexedIndirect", renderPass, buffer, offset, count, true);
}

function multiDraw(ctx: string, pass: GPURenderPassEncoder, buffer: GPUBuffer, offset: number, count: number, indexed: boolean): void {
  const { p, b, o } = multiDrawArgs(ctx, pass, buffer, offset);
  const n = u32(ctx, "count", count);
  const feature = engineExtras().features.multiDrawIndirect;
  if (feature) requireFeature(ctx, p.device, feature);
  // wgpu-native 29 draws once for a count of 0; no draws is what 0 asks for.
  if (n === 0) return;
  engineExtra(ctx, "multiDrawIndirect")(p.handle, b, o, n, indexed);
}

/**
 * Draws as many as the u32 at `countBuffer[countBufferOffset]` says, at most `maxCount`.
 *
 * @example
 * ```ts
 * // As many of the (up to 8) draws in `args` as the u32 at byte 0 of `count` says
 * const count = device.createBufferWithData(new Uint32Array([2]), GPUBufferUsage.INDIRECT);
 * native.multiDrawIndirectCount(renderPass, args, 0, count, 0, 8);
 * ```
 */
export function multiDrawIndirectCount(
  renderPass: GPURenderPassEncoder,
  buffer: GPUBuffer,
  offset: number,
  countBuffer: GPUBuffer,
  countBufferOffset: number,
  maxCount: number,
): void {
  multiDrawCount("multiDrawIndirectCount", renderPass, buffer, offset, countBuffer, countBufferOffset, maxCount, false);
}

/**
 * The indexed form of multiDrawIndirectCount.
 *
 * @example
 * ```ts
 * renderPass.setIndexBuffer(indices, "uint32");
 * native.multiDrawIndexedIndirectCount(renderPass, args, 0, count, 0, 8);
 * ```
 */
export function multiDrawIndexedIndirectCount(
  renderPass: GPURenderPassEncoder,
  buffer: GPUBuffer,
  offset: number,
  countBuffer: GPUBuffer,
  countBufferOffset: number,
  maxCount: number,
): void {
  multiDrawCount("multiDrawIndexedIndirectCount", renderPass, buffer, offset, countBuffer, countBufferOffset, maxCount, true);
}

function multiDrawCount(
  ctx: string,
  pass: GPURenderPassEncoder,
  buffer: GPUBuffer,
  offset: number,
  countBuffer: GPUBuffer,
  countBufferOffset: number,
  maxCount: number,
  indexed: boolean,
): void {
  const { p, b, o } = multiDrawArgs(ctx, pass, buffer, offset);
  const cb = handleOf(ctx, "countBuffer", countBuffer, GPUBuffer);
  const co = u64(ctx, "countBufferOffset", countBufferOffset, 0);
  if (co % 4 !== 0) throw new RangeError(`${ctx}: countBufferOffset (${co}) must be a multiple of 4`);
  const n = u32(ctx, "maxCount", maxCount);
  requireFeature(ctx, p.device, engineExtras().features.multiDrawIndirectCount);
  p.track(countBuffer);
  engineExtra(ctx, "multiDrawIndirectCount")(p.handle, b, o, cb, co, n, indexed);
}

// ---------------------------------------------------------------------------------------------
// Pipeline statistics

/** wgpu-py's PipelineStatisticName; results come in this order, whatever order a set was made with. */
export const PipelineStatisticName = Object.freeze({
  VertexShaderInvocations: "vertex-shader-invocations",
  ClipperInvocations: "clipper-invocations",
  ClipperPrimitivesOut: "clipper-primitives-out",
  FragmentShaderInvocations: "fragment-shader-invocations",
  ComputeShaderInvocations: "compute-shader-invocations",
} as const);
export type PipelineStatisticName = (typeof PipelineStatisticName)[keyof typeof PipelineStatisticName];

const statisticValues = new Map<string, number>(
  Object.entries(WGPUPipelineStatisticName).map(([k, v]) => [PipelineStatisticName[k as keyof typeof PipelineStatisticName], v]),
);
const statisticsOf = new WeakMap<GPUQuerySet, PipelineStatisticName[]>();

/** "VertexShaderInvocations", "vertexShaderInvocations", "vertex_shader_invocations" -> "vertex-shader-invocations". */
function statisticName(ctx: string, member: string, v: unknown): PipelineStatisticName {
  const name =
    typeof v === "string"
      ? v
          .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
          .replace(/_/g, "-")
          .toLowerCase()
      : "";
  if (!statisticValues.has(name))
    typeError(
      ctx,
      member,
      `(${describe(v)}) must be one of ${[...statisticValues.keys()].map((k) => `"${k}"`).join(", ")} (or their camelCase or snake_case forms)`,
    );
  return name as PipelineStatisticName;
}

/**
 * A query set whose every query holds the chosen statistics, 8 bytes each, in the documented order.
 *
 * @example
 * ```ts
 * const device = adapter.requestDeviceSync({ requiredFeatures: ["pipeline-statistics-query" as GPUFeatureName] });
 * const stats = native.createStatisticsQuerySet(device, 1, ["compute_shader_invocations"]);
 * ```
 */
export function createStatisticsQuerySet(device: GPUDevice, count: number, statistics: Iterable<string>, label?: string): GPUQuerySet {
  const ctx = "createStatisticsQuerySet";
  const n = u32(ctx, "count", count);
  const names = [...new Set(sequence(ctx, "statistics", statistics).map((v, i) => statisticName(ctx, `statistics[${i}]`, v)))];
  if (names.length === 0) typeError(ctx, "statistics", "must name at least one statistic");
  const l = checkLabel(ctx, label);
  requireFeature(ctx, device, engineExtras().features.statistics);
  const write = engineExtra(ctx, "writeStatisticsQuerySet");
  const ordered = [...statisticValues].filter(([name]) => names.includes(name as PipelineStatisticName));
  const handle = withScratch((s) => {
    const L = layout.WGPUQuerySetDescriptor;
    const off = s.alloc(L.$size);
    s.stringView(off + L.label, l);
    s.u32(off + L.count, n);
    write(
      s,
      off,
      ordered.map(([, v]) => v),
    );
    return rt().fns.wgpuDeviceCreateQuerySet(device[HANDLE], s.addr(off));
  });
  const set = new GPUQuerySet(handle, l, "pipeline-statistics" as GPUQueryType, n, device.queue[HANDLE]);
  statisticsOf.set(
    set,
    ordered.map(([name]) => name as PipelineStatisticName),
  );
  return set;
}

/**
 * The statistics each query of a statistics query set holds, in the order the results come.
 *
 * @example
 * ```ts
 * const stats = native.createStatisticsQuerySet(device, 1, ["fragmentShaderInvocations", "vertex-shader-invocations"]);
 * native.pipelineStatisticNames(stats); // ["vertex-shader-invocations", "fragment-shader-invocations"]
 * ```
 */
export function pipelineStatisticNames(querySet: GPUQuerySet): PipelineStatisticName[] {
  return statisticNamesOf("pipelineStatisticNames", querySet);
}

function statisticNamesOf(ctx: string, querySet: GPUQuerySet): PipelineStatisticName[] {
  const names = statisticsOf.get(querySet);
  if (!names) typeError(ctx, "querySet", "was not made by createStatisticsQuerySet");
  return [...names];
}

/**
 * Reads resolved statistics (from resolveQuerySet) as one record per query: name -> count.
 * `data` holds `queryCount` queries from its start.
 *
 * @example
 * ```ts
 * encoder.resolveQuerySet(stats, 0, 1, resolveBuffer, 0); // resolveBuffer: QUERY_RESOLVE | COPY_SRC
 * device.queue.submit([encoder.finish()]);
 * const bytes = await device.queue.readBuffer(resolveBuffer);
 * native.readPipelineStatistics(stats, bytes); // [{ "compute-shader-invocations": 64n }]
 * ```
 */
export function readPipelineStatistics(
  querySet: GPUQuerySet,
  data: ArrayBuffer | ArrayBufferView,
  queryCount?: number,
): Record<PipelineStatisticName, bigint>[] {
  const ctx = "readPipelineStatistics";
  const names = statisticNamesOf(ctx, querySet);
  if (!ArrayBuffer.isView(data) && !(data instanceof ArrayBuffer)) typeError(ctx, "data", `must be an ArrayBuffer or a view of one, got ${describe(data)}`);
  const bytes = ArrayBuffer.isView(data) ? data : new Uint8Array(data);
  const values = new BigUint64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength - (bytes.byteLength % 8)));
  const n = queryCount === undefined ? Math.floor(values.length / names.length) : u32(ctx, "queryCount", queryCount);
  if (n * names.length > values.length)
    throw new RangeError(`readPipelineStatistics: data holds ${values.length} values, fewer than ${n} queries of ${names.length}`);
  return Array.from(
    { length: n },
    (_, q) => Object.fromEntries(names.map((name, i) => [name, values[q * names.length + i]])) as Record<PipelineStatisticName, bigint>,
  );
}

function statisticsPass(ctx: string, pass: unknown): PassInfo & { kind: PassKind } {
  const p = passInfo(ctx, "pass", pass, ["compute", "render"]);
  requireFeature(ctx, p.device, engineExtras().features.statistics);
  return p as PassInfo & { kind: PassKind };
}

/**
 * Starts collecting statistics into query `index` of `querySet` (a compute or render pass).
 *
 * @example
 * ```ts
 * const pass = encoder.beginComputePass();
 * native.beginPipelineStatisticsQuery(pass, stats, 0);
 * pass.setPipeline(pipeline);
 * pass.dispatchWorkgroups(64);
 * native.endPipelineStatisticsQuery(pass);
 * pass.end();
 * ```
 */
export function beginPipelineStatisticsQuery(pass: GPUComputePassEncoder | GPURenderPassEncoder, querySet: GPUQuerySet, index: number): void {
  const ctx = "beginPipelineStatisticsQuery";
  const p = statisticsPass(ctx, pass);
  const q = handleOf(ctx, "querySet", querySet, GPUQuerySet);
  if (!statisticsOf.has(querySet)) typeError(ctx, "querySet", "must be made by createStatisticsQuerySet");
  p.track(querySet);
  engineExtra(ctx, "beginPipelineStatisticsQuery")(p.kind, p.handle, q, u32(ctx, "index", index));
}

/**
 * Stops collecting statistics and writes them into the query begun last.
 *
 * @example
 * ```ts
 * native.beginPipelineStatisticsQuery(pass, stats, 0);
 * pass.draw(3);
 * native.endPipelineStatisticsQuery(pass);
 * ```
 */
export function endPipelineStatisticsQuery(pass: GPUComputePassEncoder | GPURenderPassEncoder): void {
  const ctx = "endPipelineStatisticsQuery";
  const p = statisticsPass(ctx, pass);
  engineExtra(ctx, "endPipelineStatisticsQuery")(p.kind, p.handle);
}

// ---------------------------------------------------------------------------------------------
// Timestamps

/**
 * Writes a timestamp into query `index` of a timestamp query set, from a command encoder or inside a pass.
 *
 * @example
 * ```ts
 * const device = adapter.requestDeviceSync({ requiredFeatures: ["timestamp-query", "timestamp-query-inside-encoders", "timestamp-query-inside-passes"] as GPUFeatureName[] });
 * const querySet = device.createQuerySet({ type: "timestamp", count: 2 });
 * native.writeTimestamp(encoder, querySet, 0); // between passes
 * const pass = encoder.beginComputePass();
 * native.writeTimestamp(pass, querySet, 1);    // inside a pass
 * ```
 */
export function writeTimestamp(encoderOrPass: GPUCommandEncoder | GPUComputePassEncoder | GPURenderPassEncoder, querySet: GPUQuerySet, index: number): void {
  const ctx = "writeTimestamp";
  const { features } = engineExtras();
  // The feature first: a device without it has no timestamp query set to pass.
  const p =
    encoderOrPass instanceof GPUCommandEncoder ? null : (passInfo(ctx, "encoderOrPass", encoderOrPass, ["compute", "render"]) as PassInfo & { kind: PassKind });
  if (p) requireFeature(ctx, p.device, features.timestampInsidePasses);
  else requireFeature(ctx, (encoderOrPass as GPUCommandEncoder)[DEVICE], features.timestampInsideEncoders);
  const q = handleOf(ctx, "querySet", querySet, GPUQuerySet);
  if (querySet.type !== "timestamp") typeError(ctx, "querySet", `must be a "timestamp" query set, got a "${querySet.type}" one`);
  const i = u32(ctx, "index", index);
  if (!p) {
    const encoder = encoderOrPass as GPUCommandEncoder;
    encoder[TRACK_USE](querySet);
    rt().fns.wgpuCommandEncoderWriteTimestamp(encoder[HANDLE], q, i);
    return;
  }
  p.track(querySet);
  engineExtra(ctx, "writeTimestampInPass")(p.kind, p.handle, q, i);
}

/**
 * Nanoseconds per timestamp tick on this queue (wgpu-native's wgpuQueueGetTimestampPeriod).
 *
 * @example
 * ```ts
 * const [start, end] = new BigInt64Array(await device.queue.readBuffer(resolved));
 * const nanoseconds = Number(end - start) * native.getTimestampPeriod(device.queue);
 * ```
 */
export function getTimestampPeriod(queue: GPUQueue): number {
  const ctx = "getTimestampPeriod";
  return engineExtra(ctx, "timestampPeriod")(handleOf(ctx, "queue", queue, GPUQueue));
}
