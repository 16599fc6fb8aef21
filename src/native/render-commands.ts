// GPURenderCommandsMixin (https://www.w3.org/TR/webgpu/#gpurendercommandsmixin), shared by the
// render pass (emitting into the engine) and the render bundle encoder (recording). Hot paths:
// check the arguments, then emit; no allocation per call.
import { enumValue, i32, u32, u64 } from "../api/check.ts";
import { GPUIndexFormat } from "./ffi/generated/string-enums.ts";
import { HANDLE, handleOf } from "./object.ts";
import { layout } from "./ffi/generated/webgpu.ts";
import { withScratch } from "./convert/scratch.ts";
import { rt } from "./runtime.ts";
import { GPUBuffer } from "./buffer.ts";
import { GPURenderPipeline, INSTANCE_SLOTS, UNUSED_SLOTS, VERTEX_SLOTS } from "./render-pipeline.ts";
import { GPUBufferUsage } from "../api/constants.ts";
import type { GPUDevice } from "./device.ts";
import { CTX, DEVICE, EMIT, EncoderCommands, INVALIDATE, USES, type CommandEmitter } from "./pass-encoder.ts";

/** The render commands, with the signatures of wgpuRenderPassEncoder* / wgpuRenderBundleEncoder*. */
export interface RenderEmitter extends CommandEmitter {
  setPipeline(h: bigint, pipeline: bigint): void;
  setVertexBuffer(h: bigint, slot: number, buffer: bigint, offset: number, size: number): void;
  setIndexBuffer(h: bigint, buffer: bigint, format: number, offset: number, size: number): void;
  draw(h: bigint, vertexCount: number, instanceCount: number, firstVertex: number, firstInstance: number): void;
  drawIndexed(h: bigint, indexCount: number, instanceCount: number, firstIndex: number, baseVertex: number, firstInstance: number): void;
  drawIndirect(h: bigint, buffer: bigint, offset: number): void;
  drawIndexedIndirect(h: bigint, buffer: bigint, offset: number): void;
}

const COLOR_CHANNELS = ["r", "g", "b", "a"] as const;

/**
 * A render pass the engine just began, given the spec's initial state where the engine has none:
 * wgpu-core 29 has no blend constant until it is set ("Blend constant needs to be set" at a draw
 * with a constant blend factor), where the spec's starts at [0, 0, 0, 0].
 */
export function startRenderPass(pass: bigint): void {
  if (!rt().behaviour.blendConstantUnset) return;
  withScratch((s) => {
    const off = s.alloc(layout.WGPUColor.$size);
    for (const c of COLOR_CHANNELS) s.f64(off + layout.WGPUColor[c], 0);
    rt().fns.wgpuRenderPassEncoderSetBlendConstant(pass, s.addr(off));
  });
}

/** The C functions both a render pass and a render bundle encoder have, for nativeEmitter. */
export const RENDER_EMITTED = [
  "SetBindGroup",
  "SetImmediates",
  "SetPipeline",
  "SetVertexBuffer",
  "SetIndexBuffer",
  "Draw",
  "DrawIndexed",
  "DrawIndirect",
  "DrawIndexedIndirect",
] as const;

const placeholders = new WeakMap<GPUDevice, GPUBuffer>();

function placeholderBuffer(device: GPUDevice): GPUBuffer {
  let b = placeholders.get(device);
  if (!b) placeholders.set(device, (b = device.createBuffer({ size: 4, usage: GPUBufferUsage.VERTEX, label: "wgpu-ts unused vertex slot" })));
  return b;
}

type DrawKind = "draw" | "indexed" | "indirect" | "indexedIndirect";

/** Forgets the bound pipeline and buffers (after executeBundles, per the spec). */
export const RESET_STATE = Symbol("wgpu-ts.resetRenderState");
/** The draws recorded (the spec's [[drawCount]]), for a render pass's maxDrawCount, which wgpu-native does not check. */
export const DRAW_COUNT = Symbol("wgpu-ts.drawCount");

export abstract class RenderCommands extends EncoderCommands<RenderEmitter> {
  /** Vertex buffer slots the current pipeline reads, and those of them stepped per instance. */
  #pipelineSlots = 0;
  #instanceSlots = 0;
  /**
   * Slots bound to an empty range (size 0), or set to null: wgpu-native aborts on a zero size,
   * so such a binding stays in JS, and the draw checks are made here, as the spec has them.
   */
  #emptySlots = 0;
  #nullSlots = 0;
  #emptyIndex = false;
  /** The current pipeline's null slots, and the slots the engine has a buffer bound at. */
  #pipelineUnused = 0;
  #boundSlots = 0;
  #draws = 0;

  /** The draws recorded so far; executeBundles adds its bundles'. */
  get [DRAW_COUNT](): number {
    return this.#draws;
  }

  set [DRAW_COUNT](count: number) {
    this.#draws = count;
  }

  /** Forgets the bound state (executeBundles does, per the spec). */
  [RESET_STATE](): void {
    this.#pipelineSlots = 0;
    this.#instanceSlots = 0;
    this.#emptySlots = 0;
    this.#nullSlots = 0;
    this.#emptyIndex = false;
    this.#pipelineUnused = 0;
    this.#boundSlots = 0;
  }

  setPipeline(pipeline: GPURenderPipeline): undefined {
    const handle = handleOf(this[CTX].setPipeline, "pipeline", pipeline, GPURenderPipeline);
    this.#pipelineSlots = pipeline[VERTEX_SLOTS];
    this.#instanceSlots = pipeline[INSTANCE_SLOTS];
    this.#pipelineUnused = pipeline[UNUSED_SLOTS];
    this[EMIT].setPipeline(this[HANDLE], handle);
    return undefined;
  }

  /** https://www.w3.org/TR/webgpu/#dom-gpurendercommandsmixin-setvertexbuffer */
  setVertexBuffer(slot: GPUIndex32, buffer: GPUBuffer | null, offset?: GPUSize64, size?: GPUSize64): undefined {
    const ctx = this[CTX].setVertexBuffer;
    const s = typeof slot === "number" && slot >>> 0 === slot ? slot : u32(ctx, "slot", slot);
    // Numbers first, the handle after: no user code (valueOf) runs between the handle and the call.
    const o = offset === undefined ? 0 : u64(ctx, "offset", offset);
    const explicitSize = size === undefined ? -1 : u64(ctx, "size", size);
    if (buffer === null || buffer === undefined) return this.#emptySlot(ctx, s, true);
    const handle = handleOf(ctx, "buffer", buffer, GPUBuffer);
    const n = explicitSize === -1 ? buffer.size - o : explicitSize;
    if (n <= 0) {
      if (n < 0) this[INVALIDATE](`${ctx}: offset (${o}) is past the end of the buffer (${buffer.size} bytes)`);
      return this.#emptySlot(ctx, s, false);
    }
    if (s < 32) {
      this.#emptySlots &= ~(1 << s);
      this.#nullSlots &= ~(1 << s);
      this.#boundSlots |= 1 << s;
    }
    this[USES](buffer);
    this[EMIT].setVertexBuffer(this[HANDLE], s, handle, o, n);
    return undefined;
  }

  #emptySlot(ctx: string, slot: number, isNull: boolean): undefined {
    if (slot >= this[DEVICE].limits.maxVertexBuffers) {
      this[INVALIDATE](`${ctx}: slot (${slot}) must be below maxVertexBuffers (${this[DEVICE].limits.maxVertexBuffers})`);
    } else if (isNull) {
      this.#nullSlots |= 1 << slot;
      this.#emptySlots &= ~(1 << slot);
    } else {
      this.#emptySlots |= 1 << slot;
      this.#nullSlots &= ~(1 << slot);
    }
    return undefined;
  }

  /** https://www.w3.org/TR/webgpu/#dom-gpurendercommandsmixin-setindexbuffer */
  setIndexBuffer(buffer: GPUBuffer, indexFormat: GPUIndexFormat, offset?: GPUSize64, size?: GPUSize64): undefined {
    const ctx = this[CTX].setIndexBuffer;
    const format = enumValue(ctx, "indexFormat", indexFormat, GPUIndexFormat);
    const o = offset === undefined ? 0 : u64(ctx, "offset", offset);
    const explicitSize = size === undefined ? -1 : u64(ctx, "size", size);
    const handle = handleOf(ctx, "buffer", buffer, GPUBuffer);
    const n = explicitSize === -1 ? buffer.size - o : explicitSize;
    if (n <= 0) {
      if (n < 0) this[INVALIDATE](`${ctx}: offset (${o}) is past the end of the buffer (${buffer.size} bytes)`);
      this.#emptyIndex = true;
      return undefined;
    }
    this.#emptyIndex = false;
    this[USES](buffer);
    // wgpu-core 29 panics zero-filling a never-written index buffer range that starts off a
    // multiple of 4 (memory_init.rs, at submit; uint16 indices allow offset 2): the same range
    // from the multiple of 4 below is set first, so that its zero-fill covers this one.
    if (o % 4 !== 0) this[EMIT].setIndexBuffer(this[HANDLE], handle, format, o - (o % 4), n + (o % 4));
    this[EMIT].setIndexBuffer(this[HANDLE], handle, format, o, n);
    return undefined;
  }

  /** Binds a 4-byte placeholder at the pipeline's null slots that have no buffer (wgpu-core 29 wants one there). */
  #bindPlaceholders(): void {
    const missing = this.#pipelineUnused & ~this.#boundSlots;
    const placeholder = placeholderBuffer(this[DEVICE]);
    for (let slot = 0; slot < 32; slot++) {
      if (missing & (1 << slot)) this[EMIT].setVertexBuffer(this[HANDLE], slot, placeholder[HANDLE], 0, 4);
    }
    this.#boundSlots |= missing;
  }

  /**
   * The spec's draw checks where a binding stays in JS (null or size 0): a slot the pipeline reads
   * set to null is missing; an empty one is out of bounds once the draw steps over it (vertex
   * slots for draw, instance slots for draw and drawIndexed, the index buffer for drawIndexed;
   * indirect draws check no ranges). False when the draw is invalid or reads an empty binding
   * (valid, and nothing to read: skipped).
   */
  #canDraw(ctx: string, kind: DrawKind, vertexStrides: number, instanceStrides: number, indexStrides: number): boolean {
    const missing = this.#nullSlots & this.#pipelineSlots;
    const empty = this.#emptySlots & this.#pipelineSlots;
    const indexEmpty = (kind === "indexed" || kind === "indexedIndirect") && this.#emptyIndex;
    if (!missing && !empty && !indexEmpty) return true;
    let problem: string | null = null;
    if (missing) problem = `vertex buffer slot ${31 - Math.clz32(missing & -missing)} is set to null`;
    else if (kind === "draw" && empty & ~this.#instanceSlots && vertexStrides > 0) problem = "it reads a vertex buffer bound to no data (size 0)";
    else if ((kind === "draw" || kind === "indexed") && empty & this.#instanceSlots && instanceStrides > 0)
      problem = "it reads an instance buffer bound to no data (size 0)";
    else if (kind === "indexed" && indexEmpty && indexStrides > 0) problem = "it reads an index buffer bound to no data (size 0)";
    if (problem) this[INVALIDATE](`${ctx}: ${problem}`);
    return false;
  }

  draw(vertexCount: GPUSize32, instanceCount: GPUSize32 = 1, firstVertex: GPUSize32 = 0, firstInstance: GPUSize32 = 0): undefined {
    const ctx = this[CTX].draw;
    const a = typeof vertexCount === "number" && vertexCount >>> 0 === vertexCount ? vertexCount : u32(ctx, "vertexCount", vertexCount);
    const b = typeof instanceCount === "number" && instanceCount >>> 0 === instanceCount ? instanceCount : u32(ctx, "instanceCount", instanceCount);
    const c = typeof firstVertex === "number" && firstVertex >>> 0 === firstVertex ? firstVertex : u32(ctx, "firstVertex", firstVertex);
    const d = typeof firstInstance === "number" && firstInstance >>> 0 === firstInstance ? firstInstance : u32(ctx, "firstInstance", firstInstance);
    this.#draws++;
    if ((this.#emptySlots | this.#nullSlots) !== 0 && !this.#canDraw(ctx, "draw", c + a, d + b, 0)) return undefined;
    if ((this.#pipelineUnused & ~this.#boundSlots) !== 0) this.#bindPlaceholders();
    this[EMIT].draw(this[HANDLE], a, b, c, d);
    return undefined;
  }

  drawIndexed(
    indexCount: GPUSize32,
    instanceCount: GPUSize32 = 1,
    firstIndex: GPUSize32 = 0,
    baseVertex: GPUSignedOffset32 = 0,
    firstInstance: GPUSize32 = 0,
  ): undefined {
    const ctx = this[CTX].drawIndexed;
    const a = typeof indexCount === "number" && indexCount >>> 0 === indexCount ? indexCount : u32(ctx, "indexCount", indexCount);
    const b = typeof instanceCount === "number" && instanceCount >>> 0 === instanceCount ? instanceCount : u32(ctx, "instanceCount", instanceCount);
    const c = typeof firstIndex === "number" && firstIndex >>> 0 === firstIndex ? firstIndex : u32(ctx, "firstIndex", firstIndex);
    const d = typeof baseVertex === "number" && (baseVertex | 0) === baseVertex ? baseVertex : i32(ctx, "baseVertex", baseVertex);
    const e = typeof firstInstance === "number" && firstInstance >>> 0 === firstInstance ? firstInstance : u32(ctx, "firstInstance", firstInstance);
    this.#draws++;
    if (((this.#emptySlots | this.#nullSlots) !== 0 || this.#emptyIndex) && !this.#canDraw(ctx, "indexed", 0, e + b, c + a)) return undefined;
    if ((this.#pipelineUnused & ~this.#boundSlots) !== 0) this.#bindPlaceholders();
    this[EMIT].drawIndexed(this[HANDLE], a, b, c, d, e);
    return undefined;
  }

  drawIndirect(indirectBuffer: GPUBuffer, indirectOffset: GPUSize64): undefined {
    const ctx = this[CTX].drawIndirect;
    const offset = u64(ctx, "indirectOffset", indirectOffset);
    const buffer = handleOf(ctx, "indirectBuffer", indirectBuffer, GPUBuffer);
    this.#draws++;
    if ((this.#emptySlots | this.#nullSlots) !== 0 && !this.#canDraw(ctx, "indirect", 0, 0, 0)) return undefined;
    if ((this.#pipelineUnused & ~this.#boundSlots) !== 0) this.#bindPlaceholders();
    this[USES](indirectBuffer);
    this[EMIT].drawIndirect(this[HANDLE], buffer, offset);
    return undefined;
  }

  drawIndexedIndirect(indirectBuffer: GPUBuffer, indirectOffset: GPUSize64): undefined {
    const ctx = this[CTX].drawIndexedIndirect;
    const offset = u64(ctx, "indirectOffset", indirectOffset);
    const buffer = handleOf(ctx, "indirectBuffer", indirectBuffer, GPUBuffer);
    this.#draws++;
    if (((this.#emptySlots | this.#nullSlots) !== 0 || this.#emptyIndex) && !this.#canDraw(ctx, "indexedIndirect", 0, 0, 0)) return undefined;
    if ((this.#pipelineUnused & ~this.#boundSlots) !== 0) this.#bindPlaceholders();
    this[USES](indirectBuffer);
    this[EMIT].drawIndexedIndirect(this[HANDLE], buffer, offset);
    return undefined;
  }
}
