// GPUBindGroupLayout, GPUPipelineLayout and GPUBindGroup (https://www.w3.org/TR/webgpu/#bindings).
import { bool, dict, describe, enumValue, integer, label as checkLabel, sequence, typeError, u32, u64 } from "../api/check.ts";
import {
  GPUBufferBindingType,
  GPUSamplerBindingType,
  GPUStorageTextureAccess,
  GPUTextureSampleType,
  GPUTextureViewDimension,
} from "./ffi/generated/string-enums.ts";
import { WGPU, WGPUSType, layout } from "./ffi/generated/webgpu.ts";
import { withScratch, type Scratch } from "./convert/scratch.ts";
import { textureFormat } from "./convert/texture.ts";
import { BOUND_BUFFERS, HANDLE, NativeObject, ROUTE_ERROR, SUBMIT_PROBLEM, ON_RELEASE, handleOf, isDeviceMismatch } from "./object.ts";
import { GROUP_MAPPINGS, POOL_MAPPINGS, mapLimitMessage, nearMapLimit } from "./map-limit.ts";
import { captureEngineErrors } from "./device-events.ts";
import { GPUOutOfMemoryError, GPUValidationError } from "../api/errors.ts";
import { rt } from "./runtime.ts";
import { GPUBuffer } from "./buffer.ts";
import type { GPUDevice } from "./device.ts";

/** By binding number, a layout's texture sampleTypes and sampler types: what pipeline.ts checks texture-sampler pairs against. */
export const SAMPLING = Symbol("wgpu-ts.sampling");
export type Sampling = ReadonlyMap<number, { sampleType?: string; samplerType?: string }>;

export class GPUBindGroupLayout extends NativeObject {
  /** Empty for a layout made elsewhere (getBindGroupLayout): then nothing is checked against it. */
  readonly [SAMPLING]: Sampling;
  constructor(handle: bigint | null, label: string, sampling: Sampling = new Map()) {
    super({ handle, kind: "BindGroupLayout", label });
    this[SAMPLING] = sampling;
  }
  declare readonly __brand: "GPUBindGroupLayout";
}

/** A pipeline layout's group layouts, in order. */
export const GROUP_LAYOUTS = Symbol("wgpu-ts.groupLayouts");

export class GPUPipelineLayout extends NativeObject {
  readonly [GROUP_LAYOUTS]: readonly GPUBindGroupLayout[];
  constructor(handle: bigint | null, label: string, groups: readonly GPUBindGroupLayout[] = []) {
    super({ handle, kind: "PipelineLayout", label });
    this[GROUP_LAYOUTS] = groups;
  }
  declare readonly __brand: "GPUPipelineLayout";
}

/** What a submit checks: buffers (mapped, destroyed) and texture views (texture destroyed). */
export interface SubmitChecked {
  [SUBMIT_PROBLEM](): string | null;
}

export class GPUBindGroup extends NativeObject {
  readonly [BOUND_BUFFERS]: readonly SubmitChecked[];
  constructor(handle: bigint | null, label: string, buffers: SubmitChecked[], queue: bigint) {
    super({ handle, kind: "BindGroup", label, tickQueue: queue });
    this[BOUND_BUFFERS] = buffers;
  }
  declare readonly __brand: "GPUBindGroup";
}

/** Resources other than buffers (texture views, samplers, external textures) are added by their classes. */
const resourceWriters: ((s: Scratch, entry: number, resource: unknown) => boolean)[] = [];

/** Lets another module (textures, samplers) accept its objects as bind group resources. */
export function addBindingResource(writer: (s: Scratch, entry: number, resource: unknown) => boolean): void {
  resourceWriters.push(writer);
}

/** GPUShaderStage.VERTEX | FRAGMENT | COMPUTE: wgpu-native panics on other visibility bits. */
const ALL_STAGES = 0x7;

/** Writes one entry; returns a validation problem the engine would abort on, or null. */
function writeLayoutEntry(s: Scratch, off: number, ctx: string, e: GPUBindGroupLayoutEntry, device: GPUDevice): string | null {
  const E = layout.WGPUBindGroupLayoutEntry;
  s.u32(off + E.binding, u32(ctx, "binding", e.binding));
  const visibility = integer(ctx, "visibility", e.visibility, 0xffffffff);
  s.u64(off + E.visibility, visibility & ALL_STAGES);
  let kinds = 0;
  if (e.buffer !== undefined) {
    kinds++;
    const b = dict(ctx, "buffer", e.buffer);
    const B = E.buffer;
    s.u32(off + B + layout.WGPUBufferBindingLayout.type, enumValue(ctx, "buffer.type", b.type, GPUBufferBindingType, "uniform"));
    s.u32(off + B + layout.WGPUBufferBindingLayout.hasDynamicOffset, bool(b.hasDynamicOffset) ? 1 : 0);
    s.u64(off + B + layout.WGPUBufferBindingLayout.minBindingSize, u64(ctx, "buffer.minBindingSize", b.minBindingSize, 0));
  }
  if (e.sampler !== undefined) {
    kinds++;
    const b = dict(ctx, "sampler", e.sampler);
    s.u32(off + E.sampler + layout.WGPUSamplerBindingLayout.type, enumValue(ctx, "sampler.type", b.type, GPUSamplerBindingType, "filtering"));
  }
  if (e.texture !== undefined) {
    kinds++;
    const t = dict(ctx, "texture", e.texture);
    const T = layout.WGPUTextureBindingLayout;
    s.u32(off + E.texture + T.sampleType, enumValue(ctx, "texture.sampleType", t.sampleType, GPUTextureSampleType, "float"));
    s.u32(off + E.texture + T.viewDimension, enumValue(ctx, "texture.viewDimension", t.viewDimension, GPUTextureViewDimension, "2d"));
    s.u32(off + E.texture + T.multisampled, bool(t.multisampled) ? 1 : 0);
  }
  if (e.storageTexture !== undefined) {
    kinds++;
    const t = dict(ctx, "storageTexture", e.storageTexture);
    const T = layout.WGPUStorageTextureBindingLayout;
    s.u32(off + E.storageTexture + T.access, enumValue(ctx, "storageTexture.access", t.access, GPUStorageTextureAccess, "write-only"));
    s.u32(off + E.storageTexture + T.format, textureFormat(ctx, "storageTexture.format", t.format, device));
    s.u32(off + E.storageTexture + T.viewDimension, enumValue(ctx, "storageTexture.viewDimension", t.viewDimension, GPUTextureViewDimension, "2d"));
  }
  if (e.externalTexture !== undefined) {
    // A texture view binds to it (the spec's GPUTextureView for an external texture); there is no GPUExternalTexture.
    if (!rt().behaviour.externalTextureLayouts) typeError(ctx, "externalTexture", "is not supported by this engine (wgpu-native has no external textures)");
    dict(ctx, "externalTexture", e.externalTexture);
    kinds++;
    const X = layout.WGPUExternalTextureBindingLayout;
    const chained = s.alloc(X.$size);
    s.u32(chained + X.chain + layout.WGPUChainedStruct.sType, WGPUSType.ExternalTextureBindingLayout);
    s.ptr(off + E.nextInChain, s.addr(chained));
  }
  if (kinds !== 1) typeError(ctx, "entry", `must have exactly one of buffer, sampler, texture, storageTexture, externalTexture (has ${kinds})`);
  return visibility & ~ALL_STAGES ? `${ctx}: visibility (0x${visibility.toString(16)}) has bits that are not GPUShaderStage flags` : null;
}

/** A layout the engine refuses without aborting (two entries with one binding number), for the invalid ones it would abort on. */
function invalidLayout(device: GPUDevice, label: string): bigint | null {
  return captureEngineErrors(device[HANDLE], () =>
    withScratch((s) => {
      const L = layout.WGPUBindGroupLayoutDescriptor;
      const E = layout.WGPUBindGroupLayoutEntry;
      const off = s.alloc(L.$size);
      s.stringView(off + L.label, label);
      const list = s.alloc(2 * E.$size);
      for (const at of [list, list + E.$size]) {
        s.u64(at + E.visibility, ALL_STAGES);
        s.u32(at + E.buffer + layout.WGPUBufferBindingLayout.type, GPUBufferBindingType.uniform);
      }
      s.u64(off + L.entryCount, 2);
      s.ptr(off + L.entries, s.addr(list));
      return rt().fns.wgpuDeviceCreateBindGroupLayout(device[HANDLE], s.addr(off));
    }),
  ).result;
}

export function createBindGroupLayout(device: GPUDevice, descriptor: GPUBindGroupLayoutDescriptor): GPUBindGroupLayout {
  const ctx = "GPUDevice.createBindGroupLayout";
  const d = dict(ctx, "descriptor", descriptor, true);
  const label = checkLabel(ctx, d.label);
  const entries = sequence(ctx, "entries", d.entries);
  let problem: string | null = null;
  const handle = withScratch((s) => {
    const L = layout.WGPUBindGroupLayoutDescriptor;
    const E = layout.WGPUBindGroupLayoutEntry;
    const off = s.alloc(L.$size);
    s.stringView(off + L.label, label);
    const list = s.alloc(E.$size * entries.length);
    entries.forEach((e, i) => (problem ??= writeLayoutEntry(s, list + i * E.$size, `${ctx}: entries[${i}]`, dict(ctx, `entries[${i}]`, e, true), device)));
    s.u64(off + L.entryCount, entries.length);
    s.ptr(off + L.entries, entries.length ? s.addr(list) : null);
    return problem ? null : rt().fns.wgpuDeviceCreateBindGroupLayout(device[HANDLE], s.addr(off));
  });
  if (problem) {
    const invalid = new GPUBindGroupLayout(invalidLayout(device, label), label);
    device[ROUTE_ERROR](new GPUValidationError(problem));
    return invalid;
  }
  const sampling = new Map<number, { sampleType?: string; samplerType?: string }>();
  for (const e of entries as GPUBindGroupLayoutEntry[]) {
    if (e.texture) sampling.set(Number(e.binding), { sampleType: e.texture.sampleType ?? "float" });
    else if (e.sampler) sampling.set(Number(e.binding), { samplerType: e.sampler.type ?? "filtering" });
  }
  return new GPUBindGroupLayout(handle, label, sampling);
}

export function createPipelineLayout(device: GPUDevice, descriptor: GPUPipelineLayoutDescriptor): GPUPipelineLayout {
  const ctx = "GPUDevice.createPipelineLayout";
  const d = dict(ctx, "descriptor", descriptor, true);
  const label = checkLabel(ctx, d.label);
  const immediateSize = u32(ctx, "immediateSize", (d as { immediateSize?: number }).immediateSize, 0);
  // A null layout is an empty one (wgpu-native takes no null handles).
  const groups = sequence(ctx, "bindGroupLayouts", d.bindGroupLayouts).map((l) => (l === null || l === undefined ? emptyBindGroupLayout(device) : l));
  const layouts = groups.map((l, i) => handleOf(ctx, `bindGroupLayouts[${i}]`, l, GPUBindGroupLayout));
  // The engine's own limit may be higher (behaviour.earlyCheckedLimits): over the device's, an
  // invalid layout (made of an invalid group layout, the engine's error dropped) and ours.
  const max = device.limits.maxBindGroups;
  const count = layouts.length;
  const over = count > max;
  if (over) layouts.splice(0, layouts.length, invalidLayout(device, label) ?? 0n);
  const create = () =>
    withScratch((s) => {
      const L = layout.WGPUPipelineLayoutDescriptor;
      const off = s.alloc(L.$size);
      s.stringView(off + L.label, label);
      const list = s.alloc(8 * layouts.length);
      layouts.forEach((h, i) => s.ptr(list + 8 * i, h));
      s.u64(off + L.bindGroupLayoutCount, layouts.length);
      s.ptr(off + L.bindGroupLayouts, layouts.length ? s.addr(list) : null);
      s.u32(off + L.immediateSize, immediateSize);
      return rt().fns.wgpuDeviceCreatePipelineLayout(device[HANDLE], s.addr(off));
    });
  const handle = over ? captureEngineErrors(device[HANDLE], create).result : create();
  if (over) device[ROUTE_ERROR](new GPUValidationError(`${ctx}: bindGroupLayouts has ${count} entries, more than maxBindGroups (${max})`));
  return new GPUPipelineLayout(handle, label, groups as GPUBindGroupLayout[]);
}

/** Returns a validation problem the engine would abort on instead of reporting, or null. */
function writeGroupEntry(s: Scratch, off: number, ctx: string, e: GPUBindGroupEntry, buffers: SubmitChecked[]): string | null {
  const E = layout.WGPUBindGroupEntry;
  s.u32(off + E.binding, u32(ctx, "binding", e.binding));
  const r = e.resource as unknown;
  if (r === undefined) typeError(ctx, "resource", "is required");
  // A bare GPUBuffer binds the whole buffer (GPUBindingResource in the current spec).
  const binding = r instanceof GPUBuffer ? { buffer: r } : (r as GPUBufferBinding);
  if (binding && typeof binding === "object" && "buffer" in binding) {
    s.ptr(off + E.buffer, handleOf(ctx, "resource.buffer", binding.buffer, GPUBuffer));
    buffers.push(binding.buffer as GPUBuffer);
    s.u64(off + E.offset, u64(ctx, "resource.offset", binding.offset, 0));
    const size = binding.size === undefined ? WGPU.WHOLE_SIZE : u64(ctx, "resource.size", binding.size);
    s.u64(off + E.size, size);
    // wgpu-native panics on a zero-sized binding ("invalid size").
    return size === 0 ? `${ctx}: resource.size is 0: a buffer binding must not be empty` : null;
  }
  for (const write of resourceWriters) {
    if (!write(s, off, r)) continue;
    if (typeof (r as Partial<SubmitChecked>)[SUBMIT_PROBLEM] === "function") buffers.push(r as SubmitChecked);
    return null;
  }
  typeError(ctx, "resource", `must be a GPUBuffer, a GPUBufferBinding, a GPUTexture, a GPUTextureView or a GPUSampler, got ${describe(r)}`);
}

/** `entries[i]` and the context of its members' errors, made once per index. */
const entryNameCache: { member: string; ctx: string }[] = [];
function entryNames(i: number): { member: string; ctx: string } {
  return (entryNameCache[i] ??= { member: `entries[${i}]`, ctx: `GPUDevice.createBindGroup: entries[${i}]` });
}

export function createBindGroup(device: GPUDevice, descriptor: GPUBindGroupDescriptor): GPUBindGroup {
  const ctx = "GPUDevice.createBindGroup";
  const d = dict(ctx, "descriptor", descriptor, true);
  const label = checkLabel(ctx, d.label);
  const layoutHandle = handleOf(ctx, "layout", d.layout, GPUBindGroupLayout);
  const entries = sequence(ctx, "entries", d.entries);
  const buffers: SubmitChecked[] = [];
  let problem: string | null = null;
  const create = (withEntries: boolean) =>
    withScratch((s) => {
      buffers.length = 0;
      const L = layout.WGPUBindGroupDescriptor;
      const E = layout.WGPUBindGroupEntry;
      const off = s.alloc(L.$size);
      s.stringView(off + L.label, label);
      s.ptr(off + L.layout, layoutHandle);
      const list = s.alloc(E.$size * entries.length);
      // Another device's resource is a validation error (the spec), the group then an invalid one.
      // Entries after the first problem are left unwritten. A plain loop, with each entry's names
      // made once per index: no closure nor string per call.
      for (let i = 0; i < entries.length && problem === null; i++) {
        const at = entryNames(i);
        try {
          problem = writeGroupEntry(s, list + i * E.$size, at.ctx, dict(ctx, at.member, entries[i], true), buffers);
        } catch (e) {
          if (!isDeviceMismatch(e)) throw e;
          problem = e.message;
        }
      }
      const count = withEntries ? entries.length : 0;
      s.u64(off + L.entryCount, count);
      s.ptr(off + L.entries, count ? s.addr(list) : null);
      return problem && withEntries ? null : rt().fns.wgpuDeviceCreateBindGroup(device[HANDLE], s.addr(off));
    });
  const groupLayout = d.layout as GPUBindGroupLayout; // checked by handleOf
  const firstOfLayout = !layoutsWithGroups.has(groupLayout);
  const outOfMappings = nearMapLimit(groupsWithMemory, firstOfLayout ? POOL_MAPPINGS : GROUP_MAPPINGS);
  const handle = outOfMappings ? null : create(true);
  if (problem || outOfMappings) {
    // An invalid group the engine accepts (no entries for the layout's), and the error it would not give.
    const { result } = captureEngineErrors(device[HANDLE], () => create(false));
    const group = new GPUBindGroup(result, label, buffers, device.queue[HANDLE]);
    device[ROUTE_ERROR](problem ? new GPUValidationError(problem) : new GPUOutOfMemoryError(mapLimitMessage(ctx)));
    return group;
  }
  const group = new GPUBindGroup(handle, label, buffers, device.queue[HANDLE]);
  groupsWithMemory++;
  if (firstOfLayout) layoutsWithGroups.add(groupLayout);
  group[ON_RELEASE](groupReleased);
  return group;
}

/** Valid bind groups alive: each holds a descriptor set in the driver (map-limit.ts). */
let groupsWithMemory = 0;
/**
 * Layouts that have had a group, and so a descriptor pool (map-limit.ts). Kept per JS object, not
 * per handle: Dawn frees a released layout's pool only after a later submit, while the engine may
 * already give its address to a new layout. Two objects of one engine layout count two pools.
 */
const layoutsWithGroups = new WeakSet<GPUBindGroupLayout>();
/** One function for every group's release hook: no closure per creation. */
const groupReleased = (): void => void groupsWithMemory--;

const emptyLayouts = new WeakMap<GPUDevice, GPUBindGroupLayout>();
const emptyGroups = new WeakMap<GPUDevice, GPUBindGroup>();

/** The device's empty bind group layout, standing in for a null one. */
export function emptyBindGroupLayout(device: GPUDevice): GPUBindGroupLayout {
  let l = emptyLayouts.get(device);
  if (!l) emptyLayouts.set(device, (l = createBindGroupLayout(device, { entries: [], label: "wgpu-ts empty layout" })));
  return l;
}

/** The device's empty bind group, which `setBindGroup(i, null)` sets (wgpu-native takes no null group). */
export function emptyBindGroup(device: GPUDevice): GPUBindGroup {
  let g = emptyGroups.get(device);
  if (!g) emptyGroups.set(device, (g = createBindGroup(device, { layout: emptyBindGroupLayout(device), entries: [], label: "wgpu-ts empty group" })));
  return g;
}
