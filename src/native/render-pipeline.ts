// GPURenderPipeline: https://www.w3.org/TR/webgpu/#gpurenderpipeline
// The descriptor is converted here, member by member; inputs that wgpu-native aborts on become
// validation errors (see PipelineKind.write in pipeline.ts).
import { bool, dict, enumValue, finiteNumber, i32, integer, sequence, u32, u64 } from "../api/check.ts";
import {
  GPUBlendFactor,
  GPUBlendOperation,
  GPUCompareFunction,
  GPUCullMode,
  GPUFrontFace,
  GPUIndexFormat,
  GPUPrimitiveTopology,
  GPUStencilOperation,
  GPUVertexFormat,
  GPUVertexStepMode,
} from "./ffi/generated/string-enums.ts";
import { WGPUOptionalBool, layout } from "./ffi/generated/webgpu.ts";
import type { Scratch } from "./convert/scratch.ts";
import { textureFormat } from "./convert/texture.ts";
import {
  PipelineBase,
  checkAutoLayoutGroups,
  checkSamplingPairs,
  createPipeline,
  createPipelineAsync,
  createPipelineAsyncSync,
  writeProgrammableStage,
  type PipelineKind,
} from "./pipeline.ts";
import { rt } from "./runtime.ts";
import { GPUShaderModule, WGSL_CODE } from "./shader-module.ts";
import { fragmentOutputs, vertexOutputs, type FragmentOutput } from "../api/wgsl-interface.ts";
import { textureFormatInfo } from "../api/texture-formats.ts";
import type { GPUDevice } from "./device.ts";

/** The vertex buffer slots a render pipeline reads, as a bit mask. */
export const VERTEX_SLOTS = Symbol("wgpu-ts.vertexSlots");
/** Its null slots (unused in the spec; wgpu-core 29 still wants a buffer bound there), as a bit mask. */
export const UNUSED_SLOTS = Symbol("wgpu-ts.unusedSlots");
/** The slots of VERTEX_SLOTS whose stepMode is "instance", as a bit mask. */
export const INSTANCE_SLOTS = Symbol("wgpu-ts.instanceSlots");

export class GPURenderPipeline extends PipelineBase {
  readonly [VERTEX_SLOTS]: number;
  readonly [UNUSED_SLOTS]: number;
  readonly [INSTANCE_SLOTS]: number;

  constructor(device: GPUDevice, handle: bigint | null, label: string, [vertexSlots, unusedSlots, instanceSlots]: [number, number, number]) {
    super(device, handle, "RenderPipeline", label);
    this[VERTEX_SLOTS] = vertexSlots;
    this[UNUSED_SLOTS] = unusedSlots;
    this[INSTANCE_SLOTS] = instanceSlots;
  }

  declare readonly __brand: "GPURenderPipeline";
}

/** Finite float members (depthBiasSlopeScale, depthBiasClamp): WebIDL `float` rejects NaN and infinities. */
const float = finiteNumber;

/**
 * wgpu-core 29 (Vulkan) reads the attributes of the slots after a layout without attributes from
 * the wrong buffers (seen on lavapipe: [null, layout] draws from the buffer at slot 0). Such a
 * layout (a null one too) gets one attribute the shader cannot read: a uint8 at a location no
 * attribute of the pipeline has, from the top (a shader input needs an attribute, so a free
 * location is unread). Returns the locations to use, one per attribute-less slot, or [] when the
 * limit leaves no room (then the engine's behaviour stays).
 */
function padLocations(buffers: (GPUVertexBufferLayout | null | undefined)[], maxAttributes: number): number[] {
  // This runs before the members are checked (writeVertexBuffers names what is wrong): it reads
  // them without trusting their types.
  const attributesOf = (b: unknown): unknown[] => {
    const list = b && typeof b === "object" ? (b as { attributes?: unknown }).attributes : undefined;
    return list && typeof list === "object" && typeof (list as Iterable<unknown>)[Symbol.iterator] === "function" ? [...(list as Iterable<unknown>)] : [];
  };
  const empty = buffers.filter((b) => attributesOf(b).length === 0).length;
  if (empty === 0 || empty === buffers.length) return [];
  const used = new Set<number>();
  let count = 0;
  for (const b of buffers) {
    for (const a of attributesOf(b)) {
      const location = a && typeof a === "object" ? (a as { shaderLocation?: unknown }).shaderLocation : undefined;
      if (typeof location === "number") used.add(location);
      count++;
    }
  }
  const free: number[] = [];
  for (let l = maxAttributes - 1; l >= 0 && free.length < empty; l--) if (!used.has(l)) free.push(l);
  return count + empty <= maxAttributes && free.length === empty ? free : [];
}

function writeVertexBuffers(s: Scratch, off: number, ctx: string, buffers: (GPUVertexBufferLayout | null)[], problems: string[], maxAttributes: number): void {
  const V = layout.WGPUVertexState;
  const B = layout.WGPUVertexBufferLayout;
  const A = layout.WGPUVertexAttribute;
  if (buffers.length === 0) return;
  const list = s.alloc(B.$size * buffers.length);
  const pads = padLocations(buffers, maxAttributes);
  const pad = (at: number) => {
    const location = pads.pop();
    if (location === undefined) return;
    const attribute = s.alloc(A.$size);
    s.u32(attribute + A.format, GPUVertexFormat.uint8);
    s.u32(attribute + A.shaderLocation, location);
    s.u64(at + B.attributeCount, 1);
    s.ptr(at + B.attributes, s.addr(attribute));
  };
  buffers.forEach((b, i) => {
    const at = list + i * B.$size;
    const c = `${ctx}: vertex.buffers[${i}]`;
    if (b === null || b === undefined) {
      // An unused slot. wgpu-native aborts on stepMode Undefined with no attributes (webgpu.h's way
      // of saying "unused"), so it is a vertex buffer (the passes bind a placeholder there).
      s.u32(at + B.stepMode, GPUVertexStepMode.vertex);
      return pad(at);
    }
    const d = dict(c, "buffer", b, true);
    s.u32(at + B.stepMode, enumValue(c, "stepMode", d.stepMode, GPUVertexStepMode, "vertex"));
    s.u64(at + B.arrayStride, u64(c, "arrayStride", d.arrayStride));
    const attributes = sequence(c, "attributes", d.attributes);
    if (attributes.length === 0) return pad(at);
    const alist = s.alloc(A.$size * attributes.length);
    attributes.forEach((a, j) => {
      const ac = `${c}.attributes[${j}]`;
      const x = dict(ac, "attribute", a, true);
      const at2 = alist + j * A.$size;
      s.u32(at2 + A.format, enumValue(ac, "format", x.format, GPUVertexFormat));
      if (rt().behaviour.unsupportedVertexFormats.has(x.format)) {
        problems.push(`vertex.buffers[${i}].attributes[${j}].format "${x.format}" is not supported by this engine`);
        s.u32(at2 + A.format, GPUVertexFormat.unorm8x4);
      }
      s.u64(at2 + A.offset, u64(ac, "offset", x.offset));
      s.u32(at2 + A.shaderLocation, u32(ac, "shaderLocation", x.shaderLocation));
    });
    s.u64(at + B.attributeCount, attributes.length);
    s.ptr(at + B.attributes, s.addr(alist));
  });
  s.u64(off + V.bufferCount, buffers.length);
  s.ptr(off + V.buffers, s.addr(list));
}

function writePrimitive(s: Scratch, off: number, ctx: string, value: GPUPrimitiveState | undefined): void {
  const p = dict(ctx, "primitive", value);
  const P = layout.WGPUPrimitiveState;
  s.u32(off + P.topology, enumValue(ctx, "primitive.topology", p.topology, GPUPrimitiveTopology, "triangle-list"));
  if (p.stripIndexFormat !== undefined) s.u32(off + P.stripIndexFormat, enumValue(ctx, "primitive.stripIndexFormat", p.stripIndexFormat, GPUIndexFormat));
  s.u32(off + P.frontFace, enumValue(ctx, "primitive.frontFace", p.frontFace, GPUFrontFace, "ccw"));
  s.u32(off + P.cullMode, enumValue(ctx, "primitive.cullMode", p.cullMode, GPUCullMode, "none"));
  s.u32(off + P.unclippedDepth, bool(p.unclippedDepth) ? 1 : 0);
}

const hasDepth = (format: string) => format.startsWith("depth");
const hasStencil = (format: string) => format.includes("stencil");

function writeStencilFace(s: Scratch, off: number, ctx: string, member: string, value: GPUStencilFaceState | undefined): string {
  const f = dict(ctx, member, value);
  const F = layout.WGPUStencilFaceState;
  s.u32(off + F.compare, enumValue(ctx, `${member}.compare`, f.compare, GPUCompareFunction, "always"));
  s.u32(off + F.failOp, enumValue(ctx, `${member}.failOp`, f.failOp, GPUStencilOperation, "keep"));
  s.u32(off + F.depthFailOp, enumValue(ctx, `${member}.depthFailOp`, f.depthFailOp, GPUStencilOperation, "keep"));
  s.u32(off + F.passOp, enumValue(ctx, `${member}.passOp`, f.passOp, GPUStencilOperation, "keep"));
  return f.depthFailOp ?? "keep";
}

/** https://www.w3.org/TR/webgpu/#abstract-opdef-validating-gpudepthstencilstate */
function writeDepthStencil(s: Scratch, ctx: string, value: GPUDepthStencilState, problems: string[], device: GPUDevice): bigint {
  const d = dict(ctx, "depthStencil", value, true);
  const D = layout.WGPUDepthStencilState;
  const off = s.alloc(D.$size);
  const format = String(d.format);
  s.u32(off + D.format, textureFormat(ctx, "depthStencil.format", d.format, device));
  const frontDepthFail = writeStencilFace(s, off + D.stencilFront, ctx, "depthStencil.stencilFront", d.stencilFront);
  const backDepthFail = writeStencilFace(s, off + D.stencilBack, ctx, "depthStencil.stencilBack", d.stencilBack);
  const write = d.depthWriteEnabled === undefined ? undefined : bool(d.depthWriteEnabled);
  const compare = d.depthCompare === undefined ? undefined : enumValue(ctx, "depthStencil.depthCompare", d.depthCompare, GPUCompareFunction);
  // wgpu-native aborts on an undefined depthWriteEnabled or depthCompare, and on depth writes to
  // a format without depth: write values it takes, and report what the spec says is wrong.
  const depth = hasDepth(format);
  if (!depth && !hasStencil(format)) problems.push(`depthStencil.format ("${format}") must be a depth or stencil format`);
  else if (depth && write === undefined) problems.push(`depthStencil.depthWriteEnabled is required for the depth format "${format}"`);
  else if (depth && compare === undefined && (write || frontDepthFail !== "keep" || backDepthFail !== "keep")) {
    problems.push(`depthStencil.depthCompare is required for the depth format "${format}" when depth is written or a depthFailOp is not "keep"`);
  } else if (!depth && (write || (compare !== undefined && compare !== GPUCompareFunction.always))) {
    problems.push(`depthStencil.format ("${format}") has no depth aspect: depthWriteEnabled must be false and depthCompare "always" or left out`);
  }
  s.u32(off + D.depthWriteEnabled, write && depth ? WGPUOptionalBool.True : WGPUOptionalBool.False);
  s.u32(off + D.depthCompare, depth ? (compare ?? GPUCompareFunction.always) : GPUCompareFunction.always);
  s.u32(off + D.stencilReadMask, u32(ctx, "depthStencil.stencilReadMask", d.stencilReadMask, 0xffffffff));
  s.u32(off + D.stencilWriteMask, u32(ctx, "depthStencil.stencilWriteMask", d.stencilWriteMask, 0xffffffff));
  s.i32(off + D.depthBias, i32(ctx, "depthStencil.depthBias", d.depthBias, 0));
  s.f32(off + D.depthBiasSlopeScale, float(ctx, "depthStencil.depthBiasSlopeScale", d.depthBiasSlopeScale, 0));
  s.f32(off + D.depthBiasClamp, float(ctx, "depthStencil.depthBiasClamp", d.depthBiasClamp, 0));
  return s.addr(off);
}

function writeMultisample(s: Scratch, off: number, ctx: string, value: GPUMultisampleState | undefined): void {
  const m = dict(ctx, "multisample", value);
  const M = layout.WGPUMultisampleState;
  s.u32(off + M.count, u32(ctx, "multisample.count", m.count, 1));
  s.u32(off + M.mask, u32(ctx, "multisample.mask", m.mask, 0xffffffff));
  s.u32(off + M.alphaToCoverageEnabled, bool(m.alphaToCoverageEnabled) ? 1 : 0);
}

function writeBlendComponent(s: Scratch, off: number, ctx: string, member: string, value: GPUBlendComponent): void {
  const c = dict(ctx, member, value, true);
  const C = layout.WGPUBlendComponent;
  s.u32(off + C.operation, enumValue(ctx, `${member}.operation`, c.operation, GPUBlendOperation, "add"));
  s.u32(off + C.srcFactor, enumValue(ctx, `${member}.srcFactor`, c.srcFactor, GPUBlendFactor, "one"));
  s.u32(off + C.dstFactor, enumValue(ctx, `${member}.dstFactor`, c.dstFactor, GPUBlendFactor, "zero"));
}

/** One scan per module and entry point: a module reused by many pipelines is read once. */
const fragmentScans = new WeakMap<GPUShaderModule, Map<string | undefined, Map<number, FragmentOutput> | null>>();

function fragmentOutputsOf(module: GPUShaderModule, entryPoint: string | undefined): Map<number, FragmentOutput> | null {
  let byEntry = fragmentScans.get(module);
  if (!byEntry) fragmentScans.set(module, (byEntry = new Map()));
  let outputs = byEntry.get(entryPoint);
  if (outputs === undefined) byEntry.set(entryPoint, (outputs = fragmentOutputs(module[WGSL_CODE], entryPoint)));
  return outputs;
}

const SCALAR_OF_KIND: Record<string, string[]> = { float: ["f32", "f16"], "unfilterable-float": ["f32", "f16"], uint: ["u32"], sint: ["i32"] };

/**
 * The spec's rules between the fragment outputs and the color targets, which wgpu-native 29 does
 * not all check (https://www.w3.org/TR/webgpu/#abstract-opdef-validating-gpufragmentstate): a
 * target no output writes needs writeMask 0; an output's scalar type matches the format's sample
 * type, it has at least the format's components, and 4 when the color blend reads the source alpha.
 */
function checkFragmentOutputs(f: GPUFragmentState, problems: string[]): void {
  if (!(f.module instanceof GPUShaderModule)) return;
  const outputs = fragmentOutputsOf(f.module, f.entryPoint == null ? undefined : String(f.entryPoint));
  if (!outputs) return;
  [...f.targets].forEach((target, i) => {
    const info = target ? textureFormatInfo(String(target.format)) : undefined;
    const scalars = info && SCALAR_OF_KIND[info.kind];
    if (!target || !info || !scalars) return;
    const m = `fragment.targets[${i}]`;
    const output = outputs.get(i);
    if (!output) {
      if ((target.writeMask ?? 0xf) !== 0) problems.push(`${m}.writeMask must be 0: the fragment shader writes no output at @location(${i})`);
      return;
    }
    const type = output.components === 1 ? output.scalar : `vec${output.components}<${output.scalar}>`;
    const readsAlpha = [target.blend?.color?.srcFactor, target.blend?.color?.dstFactor].some((x) => /src1?-alpha/.test(String(x)));
    if (!scalars.includes(output.scalar)) problems.push(`${m}.format "${target.format}" (${info.kind}) does not take the ${type} output at @location(${i})`);
    else if (output.components < info.components)
      problems.push(`${m}.format "${target.format}" has ${info.components} components, more than the ${type} output at @location(${i})`);
    else if (readsAlpha && output.components < 4) problems.push(`${m}.blend.color reads the source alpha, which the ${type} output at @location(${i}) lacks`);
  });
}

function writeFragment(s: Scratch, ctx: string, value: GPUFragmentState, problems: string[], device: GPUDevice): bigint {
  const f = dict(ctx, "fragment", value, true);
  const F = layout.WGPUFragmentState;
  const T = layout.WGPUColorTargetState;
  const off = s.alloc(F.$size);
  writeProgrammableStage(s, off, `${ctx}: fragment`, f, F);
  const targets = sequence(ctx, "fragment.targets", f.targets);
  const list = s.alloc(T.$size * Math.max(1, targets.length));
  targets.forEach((t, i) => {
    if (t === null || t === undefined) return; // format Undefined: no target at this location
    const m = `fragment.targets[${i}]`;
    const at = list + i * T.$size;
    const target = dict(ctx, m, t, true);
    s.u32(at + T.format, textureFormat(ctx, `${m}.format`, target.format, device));
    if (target.blend !== undefined) {
      const b = dict(ctx, `${m}.blend`, target.blend, true);
      const B = layout.WGPUBlendState;
      const blend = s.alloc(B.$size);
      writeBlendComponent(s, blend + B.color, ctx, `${m}.blend.color`, b.color);
      writeBlendComponent(s, blend + B.alpha, ctx, `${m}.blend.alpha`, b.alpha);
      s.ptr(at + T.blend, s.addr(blend));
    }
    const mask = integer(ctx, `${m}.writeMask`, target.writeMask ?? 0xf, 0xffffffff);
    // Unknown bits: a validation error in the spec (and a safe mask for the engine).
    if (mask > 0xf) problems.push(`${m}.writeMask (0x${mask.toString(16)}) has bits outside GPUColorWrite.ALL`);
    s.u64(at + T.writeMask, mask & 0xf);
  });
  s.u64(off + F.targetCount, targets.length);
  s.ptr(off + F.targets, s.addr(list));
  if (problems.length === 0) checkFragmentOutputs(f as GPUFragmentState, problems);
  return s.addr(off);
}

/**
 * The spec's vertex output limits where clip_distances takes its share, which wgpu-native 29
 * leaves out (https://www.w3.org/TR/webgpu/#abstract-opdef-validating-inter-stage-interfaces):
 * ceil(size / 4) variables and locations fewer, and one variable fewer for "point-list". Without
 * clip_distances the engine's own checks are the spec's.
 */
function checkClipDistances(vertex: GPUVertexState, topology: unknown, problems: string[], device: GPUDevice): void {
  if (!(vertex.module instanceof GPUShaderModule)) return;
  const code = vertex.module[WGSL_CODE];
  if (!code.includes("clip_distances")) return;
  const outputs = vertexOutputs(code, vertex.entryPoint == null ? undefined : String(vertex.entryPoint));
  if (!outputs || outputs.clipDistances === 0) return;
  const limit = device.limits.maxInterStageShaderVariables;
  const clipSlots = Math.ceil(outputs.clipDistances / 4);
  const maxVariables = limit - clipSlots - (topology === "point-list" ? 1 : 0);
  const maxLocation = limit - 1 - clipSlots;
  const uses = `vertex uses clip_distances[${outputs.clipDistances}] (${clipSlots} of maxInterStageShaderVariables, ${limit})`;
  if (outputs.count > maxVariables) problems.push(`${uses} and ${outputs.count} user-defined outputs, more than the ${maxVariables} left`);
  else if (outputs.maxLocation > maxLocation) problems.push(`${uses} and an output at @location(${outputs.maxLocation}), above the ${maxLocation} left`);
}

/** Slots with a layout that has attributes, null slots, and the first ones stepped per instance, as bit masks (the descriptor was checked by write()). */
function vertexSlots(d: GPURenderPipelineDescriptor): [number, number, number] {
  let used = 0;
  let unused = 0;
  let instance = 0;
  [...(d.vertex.buffers ?? [])].forEach((b, i) => {
    if (i >= 32) return;
    if (b === null || b === undefined) unused |= 1 << i;
    else if ([...b.attributes].length > 0) {
      used |= 1 << i;
      if (b.stepMode === "instance") instance |= 1 << i;
    }
  });
  return [used, unused, instance];
}

const renderKind: PipelineKind<GPURenderPipelineDescriptor, GPURenderPipeline> = {
  kind: "RenderPipeline",
  write(s, ctx, d, label, layoutHandle, problems, device) {
    const L = layout.WGPURenderPipelineDescriptor;
    const off = s.alloc(L.$size);
    s.stringView(off + L.label, label);
    s.ptr(off + L.layout, layoutHandle);
    const vertex = dict(ctx, "vertex", d.vertex, true);
    writeProgrammableStage(s, off + L.vertex, `${ctx}: vertex`, vertex, layout.WGPUVertexState);
    const buffers = sequence(ctx, "vertex.buffers", vertex.buffers as Iterable<GPUVertexBufferLayout | null> | undefined, []);
    // wgpu-core 29 takes more layouts than the limit (and alpha to coverage without its conditions); the spec does not.
    if (buffers.length > device.limits.maxVertexBuffers)
      problems.push(`vertex.buffers has ${buffers.length} entries, more than maxVertexBuffers (${device.limits.maxVertexBuffers})`);
    writeVertexBuffers(s, off + L.vertex, ctx, buffers, problems, device.limits.maxVertexAttributes);
    writePrimitive(s, off + L.primitive, ctx, d.primitive);
    checkClipDistances(vertex as GPUVertexState, d.primitive?.topology, problems, device);
    checkAutoLayoutGroups(vertex as GPUVertexState, "vertex", layoutHandle, problems, device);
    if (d.fragment) checkAutoLayoutGroups(d.fragment, "fragment", layoutHandle, problems, device);
    checkSamplingPairs(vertex as GPUVertexState, "vertex", d.layout, problems);
    if (d.fragment) checkSamplingPairs(d.fragment, "fragment", d.layout, problems);
    if (d.depthStencil !== undefined) s.ptr(off + L.depthStencil, writeDepthStencil(s, ctx, d.depthStencil, problems, device));
    writeMultisample(s, off + L.multisample, ctx, d.multisample);
    if (d.multisample?.alphaToCoverageEnabled) {
      if ((d.multisample.count ?? 1) === 1) problems.push("multisample.alphaToCoverageEnabled needs multisample.count above 1");
      else if (!d.fragment) problems.push("multisample.alphaToCoverageEnabled needs a fragment stage");
    }
    if (d.fragment !== undefined && d.fragment !== null) s.ptr(off + L.fragment, writeFragment(s, ctx, d.fragment, problems, device));
    return off;
  },
  entryPointOffset: layout.WGPURenderPipelineDescriptor.vertex + layout.WGPUVertexState.entryPoint,
  make: (device, handle, label, d) => new GPURenderPipeline(device, handle, label, vertexSlots(d)),
};

export function createRenderPipeline(device: GPUDevice, descriptor: GPURenderPipelineDescriptor): GPURenderPipeline {
  return createPipeline(device, renderKind, descriptor);
}

/** wgpu-native lacks wgpuDeviceCreateRenderPipelineAsync: a synchronous creation whose errors reject. */
export function createRenderPipelineAsync(device: GPUDevice, descriptor: GPURenderPipelineDescriptor): Promise<GPURenderPipeline> {
  return createPipelineAsync(device, renderKind, descriptor);
}

export function createRenderPipelineAsyncSync(device: GPUDevice, descriptor: GPURenderPipelineDescriptor): GPURenderPipeline {
  return createPipelineAsyncSync(device, renderKind, descriptor);
}
