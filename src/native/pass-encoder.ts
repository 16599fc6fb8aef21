// What the compute pass, the render pass and the render bundle encoder share: the binding commands
// (setBindGroup, setImmediates) and the debug commands, written once over an "emitter", a table of
// functions with the engine's signatures. A pass emits straight into the engine (the emitter is
// the C functions themselves); a bundle encoder's emitter records (render-bundle.ts). Each method
// is a thin "check the arguments, then emit" step: the emitter is also where a recorded command
// stream can come in later. Nothing here allocates per call.
import { describe, dict, str, typeError, u32, u64 } from "../api/check.ts";
import { WGPU, layout } from "./ffi/generated/webgpu.ts";
import { withScratch, type Scratch } from "./convert/scratch.ts";
import { writeBufferBytes } from "../api/buffer-source.ts";
import { HANDLE, NativeObject, handleOf } from "./object.ts";
import { rt } from "./runtime.ts";
import { GPUBindGroup, emptyBindGroup, type SubmitChecked } from "./binding.ts";
import { GPUQuerySet } from "./query-set.ts";
import type { GPUDevice } from "./device.ts";

/** Records a resource the commands use, for the submit checks (see GPUCommandBuffer). */
export const USES = Symbol("wgpu-ts.uses");
/** Makes the encoding invalid with a message: reported at finish, as the engine reports its own encoding errors. */
export const INVALIDATE = Symbol("wgpu-ts.invalidate");
/** Where a command encoder's commands go; a subclass may swap it (e.g. for a recorded command stream). */
export const EMIT = Symbol("wgpu-ts.emit");
/** The device of an encoder, for the subclasses' own checks. */
export const DEVICE = Symbol("wgpu-ts.device");

/** The binding and debug commands, with the signatures of wgpu<Kind>SetBindGroup and friends. */
export interface CommandEmitter {
  setBindGroup(h: bigint, index: number, group: bigint, count: number, offsets: Uint32Array | null): void;
  setImmediates(h: bigint, offset: number, data: ArrayBufferView, size: number): void;
  pushDebugGroup(h: bigint, label: string): void;
  popDebugGroup(h: bigint): void;
  insertDebugMarker(h: bigint, label: string): void;
}

type Fns = Record<string, (...args: never[]) => unknown>;

const emitters = new Map<string, unknown>();

/**
 * The engine's functions for `kind` ("ComputePassEncoder", "RenderPassEncoder"), by their names
 * without the prefix. Made once per kind (the engine stays for the process) and shared by every
 * pass: building it took about 5% of a small pass's time.
 */
export function nativeEmitter<T>(kind: string, names: readonly string[]): T {
  let emitter = emitters.get(kind);
  if (emitter === undefined) emitters.set(kind, (emitter = makeNativeEmitter(kind, names)));
  return emitter as T;
}

function makeNativeEmitter(kind: string, names: readonly string[]): unknown {
  const fns = rt().fns as unknown as Fns;
  const out: Record<string, unknown> = {};
  for (const n of names) out[n[0].toLowerCase() + n.slice(1)] = fns[`wgpu${kind}${n}`];
  const labelled = (fn: (h: bigint, sv: unknown) => void) => (h: bigint, label: string) => withScratch((s) => fn(h, s.stringViewValue(label)));
  out.pushDebugGroup = labelled(fns[`wgpu${kind}PushDebugGroup`] as (h: bigint, sv: unknown) => void);
  out.insertDebugMarker = labelled(fns[`wgpu${kind}InsertDebugMarker`] as (h: bigint, sv: unknown) => void);
  out.popDebugGroup = fns[`wgpu${kind}PopDebugGroup`];
  return out;
}

/** Writes a GPUComputePassTimestampWrites / GPURenderPassTimestampWrites and returns its address; the query set goes into `uses`. */
export function writeTimestampWrites(s: Scratch, ctx: string, value: GPUComputePassTimestampWrites, uses: { push(item: SubmitChecked): unknown }): bigint {
  const t = dict(ctx, "timestampWrites", value, true);
  const L = layout.WGPUPassTimestampWrites;
  const off = s.alloc(L.$size);
  s.ptr(off + L.querySet, handleOf(ctx, "timestampWrites.querySet", t.querySet, GPUQuerySet));
  uses.push(t.querySet as GPUQuerySet);
  s.u32(off + L.beginningOfPassWriteIndex, u32(ctx, "timestampWrites.beginningOfPassWriteIndex", t.beginningOfPassWriteIndex, WGPU.QUERY_SET_INDEX_UNDEFINED));
  s.u32(off + L.endOfPassWriteIndex, u32(ctx, "timestampWrites.endOfPassWriteIndex", t.endOfPassWriteIndex, WGPU.QUERY_SET_INDEX_UNDEFINED));
  return s.addr(off);
}

/** Dynamic offsets are copied here, so that `setBindGroup` allocates nothing. */
let offsetScratch = new Uint32Array(64);

/**
 * The dynamic offsets of a setBindGroup call, in both of its forms (a sequence, or a
 * Uint32Array with start and length), copied into the shared array; returns their count.
 */
export function collectDynamicOffsets(ctx: string, offsets: Iterable<number> | Uint32Array | undefined, start: unknown, length: unknown): number {
  if (offsets === undefined || offsets === null) return 0;
  if (offsets instanceof Uint32Array) {
    const s = u64(ctx, "dynamicOffsetsDataStart", start);
    const n = u32(ctx, "dynamicOffsetsDataLength", length);
    if (s + n > offsets.length)
      throw new RangeError(
        `${ctx}: dynamicOffsetsDataStart + dynamicOffsetsDataLength (${s} + ${n}) is past the end of dynamicOffsetsData (${offsets.length})`,
      );
    if (n > offsetScratch.length) offsetScratch = new Uint32Array(n);
    offsetScratch.set(offsets.subarray(s, s + n));
    return n;
  }
  if (typeof offsets !== "object" || typeof (offsets as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== "function") {
    typeError(ctx, "dynamicOffsets", `must be a sequence (an array or other iterable) or a Uint32Array, got ${describe(offsets)}`);
  }
  let n = 0;
  for (const v of offsets as Iterable<number>) {
    if (n === offsetScratch.length) {
      const bigger = new Uint32Array(n * 2);
      bigger.set(offsetScratch);
      offsetScratch = bigger;
    }
    offsetScratch[n] = u32(ctx, `dynamicOffsets[${n}]`, v);
    n++;
  }
  return n;
}

const METHODS = [
  "setBindGroup",
  "setImmediates",
  "pushDebugGroup",
  "insertDebugMarker",
  "setPipeline",
  "setVertexBuffer",
  "setIndexBuffer",
  "draw",
  "drawIndexed",
  "drawIndirect",
  "drawIndexedIndirect",
] as const;
/** "GPU<Kind>.<method>" for each method, made once per kind: error contexts cost no allocation per call. */
export type MethodContexts = Readonly<Record<(typeof METHODS)[number], string>>;
const contexts = new Map<string, MethodContexts>();

/** The error contexts of an encoder's methods (the same object for every encoder of a kind). */
export const CTX = Symbol("wgpu-ts.methodContexts");

function methodContexts(kind: string): MethodContexts {
  let c = contexts.get(kind);
  if (!c) contexts.set(kind, (c = Object.freeze(Object.fromEntries(METHODS.map((m) => [m, `GPU${kind}.${m}`])) as MethodContexts)));
  return c;
}

/** GPUBindingCommandsMixin and GPUDebugCommandsMixin over an emitter. */
export abstract class EncoderCommands<E extends CommandEmitter = CommandEmitter> extends NativeObject {
  [EMIT]: E;
  readonly [DEVICE]: GPUDevice;
  readonly [CTX]: MethodContexts;

  constructor(device: GPUDevice, handle: bigint | null, kind: string, label: string, emit: E) {
    super({ handle, kind, label });
    this[DEVICE] = device;
    this[CTX] = methodContexts(kind);
    this[EMIT] = emit;
    this.#maxBindGroups = device.limits.maxBindGroups;
  }

  /** The device's limit, read once: setBindGroup is a hot path. */
  readonly #maxBindGroups: number;

  abstract [USES](resource: SubmitChecked | GPUBindGroup): void;
  abstract [INVALIDATE](message: string): void;

  /** https://www.w3.org/TR/webgpu/#dom-gpubindingcommandsmixin-setbindgroup (both forms of the dynamic offsets) */
  setBindGroup(
    index: GPUIndex32,
    bindGroup: GPUBindGroup | null,
    dynamicOffsets?: Iterable<GPUBufferDynamicOffset> | Uint32Array,
    dynamicOffsetsDataStart?: GPUSize64,
    dynamicOffsetsDataLength?: GPUSize32,
  ): undefined {
    const i = typeof index === "number" && index >>> 0 === index ? index : u32(this[CTX].setBindGroup, "index", index);
    // The offsets first: their iterator may run user code, which must not come between the
    // group's handle and the call (guard.ts).
    const n =
      dynamicOffsets === undefined ? 0 : collectDynamicOffsets(this[CTX].setBindGroup, dynamicOffsets, dynamicOffsetsDataStart, dynamicOffsetsDataLength);
    const group = bindGroup === null ? emptyBindGroup(this[DEVICE]) : bindGroup;
    const groupHandle = handleOf(this[CTX].setBindGroup, "bindGroup", group, GPUBindGroup);
    // The engine's own limit may be higher (behaviour.earlyCheckedLimits): the spec's is the device's.
    if (i >= this.#maxBindGroups) {
      this[INVALIDATE](`${this[CTX].setBindGroup}: index (${i}) must be below maxBindGroups (${this.#maxBindGroups})`);
      return undefined;
    }
    this[USES](group);
    this[EMIT].setBindGroup(this[HANDLE], i, groupHandle, n, n ? offsetScratch : null);
    return undefined;
  }

  /** https://www.w3.org/TR/webgpu/#dom-gpubindingcommandsmixin-setimmediates */
  setImmediates(rangeOffset: GPUSize32, data: AllowSharedBufferSource, dataOffset?: GPUSize64, dataSize?: GPUSize64): undefined {
    const ctx = this[CTX].setImmediates;
    const offset = u32(ctx, "rangeOffset", rangeOffset);
    const bytes = writeBufferBytes(ctx, data, dataOffset, dataSize);
    this[EMIT].setImmediates(this[HANDLE], offset, bytes, bytes.byteLength);
    return undefined;
  }

  pushDebugGroup(groupLabel: string): undefined {
    this[EMIT].pushDebugGroup(this[HANDLE], str(this[CTX].pushDebugGroup, "groupLabel", groupLabel));
    return undefined;
  }

  popDebugGroup(): undefined {
    this[EMIT].popDebugGroup(this[HANDLE]);
    return undefined;
  }

  insertDebugMarker(markerLabel: string): undefined {
    this[EMIT].insertDebugMarker(this[HANDLE], str(this[CTX].insertDebugMarker, "markerLabel", markerLabel));
    return undefined;
  }
}
