// GPURenderPassEncoder: https://www.w3.org/TR/webgpu/#gpurenderpassencoder
// Render commands, binding and debug commands come from RenderCommands / EncoderCommands; the
// pass-only commands are here. Hot paths: check the arguments, then emit, into the pass's recorded
// command stream (replay/recorder.ts) or, without the replay helper, straight into the engine; no
// allocation per call either way.
import { bool, describe, dict, enumValue, finiteNumber, integer, sequence, typeError, u32 } from "../api/check.ts";
import { GPULoadOp, GPUStoreOp } from "./ffi/generated/string-enums.ts";
import { WGPU, WGPUSType, layout } from "./ffi/generated/webgpu.ts";
import { withScratch, type Scratch } from "./convert/scratch.ts";
import { ABANDON, FLUSH_COMMANDS, HANDLE, NOT_TAKEN, ON_DEVICE_MISMATCH, PASS_ENDED, TRACK_USE, handleOf } from "./object.ts";
import { rt } from "./runtime.ts";
import type { GPUBindGroup, SubmitChecked } from "./binding.ts";
import type { GPUCommandEncoder } from "./command-encoder.ts";
import type { GPUDevice } from "./device.ts";
import { GPUQuerySet } from "./query-set.ts";
import { GPUTexture, GPUTextureView } from "./texture.ts";
import { textureFormatInfo } from "../api/texture-formats.ts";
import { EMIT, INVALIDATE, USES, nativeEmitter, writeTimestampWrites } from "./pass-encoder.ts";
import { OP, PassStream, recordWords } from "./replay/recorder.ts";
import { DRAW_COUNT, RENDER_EMITTED, RESET_STATE, RenderCommands, startRenderPass, type RenderEmitter } from "./render-commands.ts";
import { BUNDLE_STATE, GPURenderBundle } from "./render-bundle.ts";

/** Writes a GPUColor (a dictionary {r, g, b, a} or a sequence of four numbers) as a WGPUColor at `off`. */
export function writeColor(s: Scratch, off: number, ctx: string, member: string, value: GPUColor): void {
  const C = layout.WGPUColor;
  let rgba: unknown[];
  if (value !== null && typeof value === "object" && Symbol.iterator in value) {
    rgba = [...(value as Iterable<unknown>)];
    if (rgba.length !== 4) typeError(ctx, member, `must have 4 components, got ${rgba.length}`);
  } else {
    const c = dict(ctx, member, value as GPUColorDict, true);
    rgba = [c.r, c.g, c.b, c.a];
  }
  const at = [C.r, C.g, C.b, C.a];
  rgba.forEach((v, i) => {
    if (v === undefined) typeError(ctx, `${member}.${"rgba"[i]}`, "is required");
    s.f64(off + at[i], finiteNumber(ctx, `${member}.${"rgba"[i]}`, v));
  });
}

/** A render pass attachment: a GPUTextureView, or a GPUTexture standing for its default view. */
function viewHandle(ctx: string, member: string, v: unknown, uses: SubmitChecked[]): bigint {
  if (v instanceof GPUTexture) {
    const view = v.createView();
    uses.push(view);
    return view[HANDLE];
  }
  const handle = handleOf(ctx, member, v, GPUTextureView);
  uses.push(v as GPUTextureView);
  return handle;
}

function writeColorAttachments(
  s: Scratch,
  off: number,
  ctx: string,
  attachments: (GPURenderPassColorAttachment | null | undefined)[],
  uses: SubmitChecked[],
  problems: string[],
): void {
  const A = layout.WGPURenderPassColorAttachment;
  const L = layout.WGPURenderPassDescriptor;
  const list = s.alloc(A.$size * Math.max(1, attachments.length));
  attachments.forEach((a, i) => {
    const at = list + i * A.$size;
    s.u32(at + A.depthSlice, WGPU.DEPTH_SLICE_UNDEFINED);
    if (a === null || a === undefined) return; // a hole: no view
    const m = `colorAttachments[${i}]`;
    const c = dict(ctx, m, a, true);
    const view = viewHandle(ctx, `${m}.view`, c.view, uses);
    // wgpu-core 29 panics on a color attachment (after the first) whose format has no color byte
    // cost (validation.rs: unwrap on None): depth/stencil, rgb9e5ufloat, compressed. The spec makes
    // it a validation error; the engine gets a hole there.
    const format = (c.view instanceof GPUTexture ? c.view : (c.view as GPUTextureView).texture).format;
    const info = textureFormatInfo(format);
    if (!info || info.hasDepth || info.hasStencil || info.kind === "compressed" || format === "rgb9e5ufloat") {
      problems.push(`${m}.view has the format "${format}", which is not color renderable`);
      return;
    }
    s.ptr(at + A.view, view);
    if (c.depthSlice !== undefined) {
      const slice = u32(ctx, `${m}.depthSlice`, c.depthSlice);
      // 2^32 - 1 is webgpu.h's "undefined": the engine would take it as not given. No view has that
      // many slices, and a 2D view takes none: always invalid.
      if (slice === WGPU.DEPTH_SLICE_UNDEFINED) problems.push(`${m}.depthSlice (${slice}) is past every view's depth (and a 2D view takes none)`);
      s.u32(at + A.depthSlice, slice);
    }
    if (c.resolveTarget !== undefined) {
      const resolve = viewHandle(ctx, `${m}.resolveTarget`, c.resolveTarget, uses);
      const target = c.resolveTarget instanceof GPUTexture ? c.resolveTarget : (c.resolveTarget as GPUTextureView).texture;
      // wgpu-core 29 panics resolving into a 3D texture (render.rs: unwrap on None); the spec
      // wants a 2D view there: the encoding fails, and the engine never sees that target.
      if (target.dimension === "3d") problems.push(`${m}.resolveTarget must be a 2D view (it is a view of a 3D texture)`);
      else s.ptr(at + A.resolveTarget, resolve);
    }
    s.u32(at + A.loadOp, enumValue(ctx, `${m}.loadOp`, c.loadOp, GPULoadOp));
    s.u32(at + A.storeOp, enumValue(ctx, `${m}.storeOp`, c.storeOp, GPUStoreOp));
    writeColor(s, at + A.clearValue, ctx, `${m}.clearValue`, c.clearValue ?? { r: 0, g: 0, b: 0, a: 0 });
  });
  s.u64(off + L.colorAttachmentCount, attachments.length);
  s.ptr(off + L.colorAttachments, s.addr(list));
}

function writeDepthStencilAttachment(s: Scratch, ctx: string, value: GPURenderPassDepthStencilAttachment, uses: SubmitChecked[]): bigint {
  const m = "depthStencilAttachment";
  const d = dict(ctx, m, value, true);
  const D = layout.WGPURenderPassDepthStencilAttachment;
  const off = s.alloc(D.$size);
  s.ptr(off + D.view, viewHandle(ctx, `${m}.view`, d.view, uses));
  if (d.depthLoadOp !== undefined) s.u32(off + D.depthLoadOp, enumValue(ctx, `${m}.depthLoadOp`, d.depthLoadOp, GPULoadOp));
  if (d.depthStoreOp !== undefined) s.u32(off + D.depthStoreOp, enumValue(ctx, `${m}.depthStoreOp`, d.depthStoreOp, GPUStoreOp));
  // NaN is webgpu.h's "undefined" clear value.
  s.f32(off + D.depthClearValue, d.depthClearValue === undefined ? NaN : finiteNumber(ctx, `${m}.depthClearValue`, d.depthClearValue));
  s.u32(off + D.depthReadOnly, bool(d.depthReadOnly) ? 1 : 0);
  if (d.stencilLoadOp !== undefined) s.u32(off + D.stencilLoadOp, enumValue(ctx, `${m}.stencilLoadOp`, d.stencilLoadOp, GPULoadOp));
  if (d.stencilStoreOp !== undefined) s.u32(off + D.stencilStoreOp, enumValue(ctx, `${m}.stencilStoreOp`, d.stencilStoreOp, GPUStoreOp));
  s.u32(off + D.stencilClearValue, u32(ctx, `${m}.stencilClearValue`, d.stencilClearValue, 0));
  s.u32(off + D.stencilReadOnly, bool(d.stencilReadOnly) ? 1 : 0);
  return s.addr(off);
}

/**
 * Writes a WGPURenderPassDescriptor and returns its address; `uses` receives the views and query
 * sets, for the submit checks, and `problems` the spec's validation errors the engine would abort on.
 */
export function writeRenderPassDescriptor(
  s: Scratch,
  ctx: string,
  d: GPURenderPassDescriptor,
  label: string,
  uses: SubmitChecked[],
  problems: string[],
): bigint {
  const L = layout.WGPURenderPassDescriptor;
  const off = s.alloc(L.$size);
  s.stringView(off + L.label, label);
  writeColorAttachments(s, off, ctx, sequence(ctx, "colorAttachments", d.colorAttachments), uses, problems);
  if (d.depthStencilAttachment !== undefined && d.depthStencilAttachment !== null)
    s.ptr(off + L.depthStencilAttachment, writeDepthStencilAttachment(s, ctx, d.depthStencilAttachment, uses));
  if (d.occlusionQuerySet !== undefined && d.occlusionQuerySet !== null) {
    s.ptr(off + L.occlusionQuerySet, handleOf(ctx, "occlusionQuerySet", d.occlusionQuerySet, GPUQuerySet));
    uses.push(d.occlusionQuerySet as GPUQuerySet);
  }
  if (d.timestampWrites !== undefined && d.timestampWrites !== null) s.ptr(off + L.timestampWrites, writeTimestampWrites(s, ctx, d.timestampWrites, uses));
  if (d.maxDrawCount !== undefined) {
    const M = layout.WGPURenderPassMaxDrawCount;
    const chain = s.alloc(M.$size);
    s.u32(chain + M.chain + 8, WGPUSType.RenderPassMaxDrawCount);
    s.u64(chain + M.maxDrawCount, integer(ctx, "maxDrawCount", d.maxDrawCount, Number.MAX_SAFE_INTEGER));
    s.ptr(off + L.nextInChain, s.addr(chain));
  }
  return s.addr(off);
}

export class GPURenderPassEncoder extends RenderCommands {
  readonly #encoder: GPUCommandEncoder;
  /** The pass's command stream (replay/recorder.ts). */
  readonly #stream: PassStream<RenderEmitter>;
  /** setStencilReference was called since the engine last had a pipeline set that reads it (see executeBundles). */
  #stencilReferenceUnsent = false;

  /** The descriptor's maxDrawCount (the spec's default: 50000000), checked at end(). */
  readonly #maxDrawCount: number;

  constructor(encoder: GPUCommandEncoder, device: GPUDevice, handle: bigint | null, label: string, maxDrawCount: number | undefined) {
    const direct = nativeEmitter<RenderEmitter>("RenderPassEncoder", RENDER_EMITTED);
    super(device, handle, "RenderPassEncoder", label, direct);
    this.#encoder = encoder;
    this.#maxDrawCount = Number(maxDrawCount ?? 50_000_000);
    this.#stream = new PassStream(handle, this, true, direct);
    this[EMIT] = this.#stream.emitter;
    if (handle) startRenderPass(handle);
  }

  /** @internal Replays the recorded commands before an extra's direct engine call. */
  [FLUSH_COMMANDS](): void {
    this.#stream.flush();
  }

  /** @internal The encoder finished with this pass still open. */
  [ABANDON](): void {
    this.#stream.abandon();
  }

  [USES](resource: SubmitChecked | GPUBindGroup): void {
    this.#encoder[TRACK_USE](resource);
  }

  [INVALIDATE](message: string): void {
    this.#encoder[INVALIDATE](message);
  }

  /** A bundle of another device invalidates the pass, as the spec has it (object.ts handleOf); none of the list runs. */
  [ON_DEVICE_MISMATCH](method: string, message: string): unknown {
    if (method !== "executeBundles") return NOT_TAKEN;
    this[INVALIDATE](message);
    return undefined;
  }

  setViewport(x: number, y: number, width: number, height: number, minDepth: number, maxDepth: number): undefined {
    // No array per call: the members are only gathered to name the bad one.
    if (
      !(Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(width) && Number.isFinite(height) && Number.isFinite(minDepth) && Number.isFinite(maxDepth))
    ) {
      const v = [x, y, width, height, minDepth, maxDepth];
      const i = v.findIndex((n) => !Number.isFinite(n));
      typeError("GPURenderPassEncoder.setViewport", ["x", "y", "width", "height", "minDepth", "maxDepth"][i], `must be a finite number, got ${describe(v[i])}`);
    }
    const h = this[HANDLE]; // a disposed pass throws here on both paths
    const rec = this.#stream.rec;
    if (rec !== null) {
      const p = rec.room(8);
      const f = rec.f32;
      rec.w[p] = OP.SET_VIEWPORT;
      f[p + 1] = x;
      f[p + 2] = y;
      f[p + 3] = width;
      f[p + 4] = height;
      f[p + 5] = minDepth;
      f[p + 6] = maxDepth;
      rec.pos = p + 8;
      return undefined;
    }
    rt().fns.wgpuRenderPassEncoderSetViewport(h, x, y, width, height, minDepth, maxDepth);
    return undefined;
  }

  setScissorRect(x: GPUIntegerCoordinate, y: GPUIntegerCoordinate, width: GPUIntegerCoordinate, height: GPUIntegerCoordinate): undefined {
    const ctx = "GPURenderPassEncoder.setScissorRect";
    const [a, b, c, d] = [u32(ctx, "x", x), u32(ctx, "y", y), u32(ctx, "width", width), u32(ctx, "height", height)];
    const h = this[HANDLE];
    if (!recordWords(this.#stream.rec, OP.SET_SCISSOR, a, b, c, d)) rt().fns.wgpuRenderPassEncoderSetScissorRect(h, a, b, c, d);
    return undefined;
  }

  /** https://www.w3.org/TR/webgpu/#dom-gpurenderpassencoder-setblendconstant (a GPUColor dictionary or sequence) */
  setBlendConstant(color: GPUColor): undefined {
    this.#stream.flush();
    withScratch((s) => {
      const off = s.alloc(layout.WGPUColor.$size);
      writeColor(s, off, "GPURenderPassEncoder.setBlendConstant", "color", color);
      rt().fns.wgpuRenderPassEncoderSetBlendConstant(this[HANDLE], s.addr(off));
    });
    return undefined;
  }

  setStencilReference(reference: GPUStencilValue): undefined {
    const r = u32("GPURenderPassEncoder.setStencilReference", "reference", reference);
    const h = this[HANDLE];
    this.#stencilReferenceUnsent = rt().behaviour.bundlesMissStencilReference;
    if (!recordWords(this.#stream.rec, OP.SET_STENCIL_REFERENCE, r, 0, 0, 0)) rt().fns.wgpuRenderPassEncoderSetStencilReference(h, r);
    return undefined;
  }

  beginOcclusionQuery(queryIndex: GPUSize32): undefined {
    const q = u32("GPURenderPassEncoder.beginOcclusionQuery", "queryIndex", queryIndex);
    const h = this[HANDLE];
    if (!recordWords(this.#stream.rec, OP.BEGIN_OCCLUSION_QUERY, q, 0, 0, 0)) rt().fns.wgpuRenderPassEncoderBeginOcclusionQuery(h, q);
    return undefined;
  }

  endOcclusionQuery(): undefined {
    const h = this[HANDLE];
    if (!recordWords(this.#stream.rec, OP.END_OCCLUSION_QUERY, 0, 0, 0, 0)) rt().fns.wgpuRenderPassEncoderEndOcclusionQuery(h);
    return undefined;
  }

  /** https://www.w3.org/TR/webgpu/#dom-gpurenderpassencoder-executebundles */
  executeBundles(bundles: Iterable<GPURenderBundle>): undefined {
    const ctx = "GPURenderPassEncoder.executeBundles";
    const list = sequence(ctx, "bundles", bundles);
    list.forEach((b, i) => handleOf(ctx, `bundles[${i}]`, b, GPURenderBundle));
    const handles: bigint[] = [];
    for (const b of list) {
      const state = b[BUNDLE_STATE];
      // An invalid bundle has no engine bundle: it stays out, and the encoding fails at finish.
      if (state.invalid) this[INVALIDATE](`${ctx}: ${b.label ? `GPURenderBundle "${b.label}"` : "a GPURenderBundle"} is invalid`);
      else handles.push(b[HANDLE]);
      this[DRAW_COUNT] += state.draws;
      for (const r of state.uses) this[USES](r);
    }
    this[RESET_STATE]();
    this.#stream.flush();
    // wgpu-core 29 sends the stencil reference to the driver only when a pipeline of the pass
    // that reads it is set, never for a bundle's: a bundle drew with a stale reference (the CTS's
    // occlusion_query,stencil in bundles). The bundles' pipelines, set first, send it; executing
    // the bundles clears the pass's pipeline anyway, as the spec has it.
    if (this.#stencilReferenceUnsent && handles.length) {
      this.#stencilReferenceUnsent = false;
      for (const b of list) if (!b[BUNDLE_STATE].invalid) for (const p of b[BUNDLE_STATE].pipelines) rt().fns.wgpuRenderPassEncoderSetPipeline(this[HANDLE], p);
    }
    withScratch((s) => {
      const at = s.alloc(8 * Math.max(1, handles.length));
      handles.forEach((h, i) => s.ptr(at + 8 * i, h));
      rt().fns.wgpuRenderPassEncoderExecuteBundles(this[HANDLE], handles.length, s.addr(at));
    });
    return undefined;
  }

  end(): undefined {
    if (this[DRAW_COUNT] > this.#maxDrawCount)
      this[INVALIDATE](`GPURenderPassEncoder.end: the pass has ${this[DRAW_COUNT]} draws, more than its maxDrawCount (${this.#maxDrawCount})`);
    const engineEnds = this.#encoder[PASS_ENDED](this);
    this[EMIT] = this.#stream.end();
    if (engineEnds) rt().fns.wgpuRenderPassEncoderEnd(this[HANDLE]);
    return undefined;
  }

  declare readonly __brand: "GPURenderPassEncoder";
}
