// GPUComputePassEncoder: https://www.w3.org/TR/webgpu/#gpucomputepassencoder
// The pass methods are hot paths: check the arguments, then record the command into the pass's
// stream (replay/recorder.ts), or call the engine directly where no replay helper is built.
// No allocation per call either way.
import { dict, u32, u64 } from "../api/check.ts";
import { WGPU, layout } from "./ffi/generated/webgpu.ts";
import type { Scratch } from "./convert/scratch.ts";
import { writeBufferBytes } from "./convert/buffer-source.ts";
import { ABANDON, EMIT_HANDLE, HANDLE, NativeObject, PASS_ENDED, TRACK_USE, handleOf } from "./object.ts";
import type { GPUCommandEncoder } from "./command-encoder.ts";
import { MAX_COMMAND_WORDS, OP, Recorder } from "./replay/recorder.ts";
import type { GPUDevice } from "./device.ts";
import { rt } from "./runtime.ts";
import { GPUBindGroup, emptyBindGroup } from "./binding.ts";
import { GPUBuffer } from "./buffer.ts";
import { GPUComputePipeline } from "./compute-pipeline.ts";
import { GPUQuerySet } from "./query-set.ts";
import { debugLabel, popDebugGroup } from "./debug-commands.ts";

/** Writes a GPUComputePassTimestampWrites / GPURenderPassTimestampWrites and returns its address. */
export function writeTimestampWrites(s: Scratch, ctx: string, value: GPUComputePassTimestampWrites): bigint {
  const t = dict(ctx, "timestampWrites", value, true);
  const L = layout.WGPUPassTimestampWrites;
  const off = s.alloc(L.$size);
  s.ptr(off + L.querySet, handleOf(ctx, "timestampWrites.querySet", t.querySet, GPUQuerySet));
  s.u32(off + L.beginningOfPassWriteIndex, u32(ctx, "timestampWrites.beginningOfPassWriteIndex", t.beginningOfPassWriteIndex, WGPU.QUERY_SET_INDEX_UNDEFINED));
  s.u32(off + L.endOfPassWriteIndex, u32(ctx, "timestampWrites.endOfPassWriteIndex", t.endOfPassWriteIndex, WGPU.QUERY_SET_INDEX_UNDEFINED));
  return s.addr(off);
}

/** Dynamic offsets are copied here, so that `setBindGroup` allocates nothing. */
let dynamicOffsets = new Uint32Array(64);

/**
 * The dynamic offsets of a setBindGroup call, in both of its forms (a sequence, or a
 * Uint32Array with start and length), copied into the shared array; returns their count.
 */
export function collectDynamicOffsets(ctx: string, offsets: Iterable<number> | Uint32Array | undefined, start: unknown, length: unknown): number {
  if (offsets === undefined || offsets === null) return 0;
  if (offsets instanceof Uint32Array) {
    const s = u64(ctx, "dynamicOffsetsDataStart", start);
    const n = u32(ctx, "dynamicOffsetsDataLength", length);
    if (s + n > offsets.length) throw new RangeError(`${ctx}: dynamicOffsetsDataStart + dynamicOffsetsDataLength (${s} + ${n}) is past the end of dynamicOffsetsData (${offsets.length})`);
    if (n > dynamicOffsets.length) dynamicOffsets = new Uint32Array(n);
    dynamicOffsets.set(offsets.subarray(s, s + n));
    return n;
  }
  let n = 0;
  for (const v of offsets as Iterable<number>) {
    if (n === dynamicOffsets.length) {
      const bigger = new Uint32Array(n * 2);
      bigger.set(dynamicOffsets);
      dynamicOffsets = bigger;
    }
    dynamicOffsets[n] = u32(ctx, `dynamicOffsets[${n}]`, v);
    n++;
  }
  return n;
}

export function dynamicOffsetsArray(): Uint32Array {
  return dynamicOffsets;
}

export class GPUComputePassEncoder extends NativeObject {
  readonly #encoder: GPUCommandEncoder;
  readonly #device: GPUDevice;
  /** The command stream while the pass is open and the replay helper is there; null: direct calls. */
  #rec: Recorder | null;

  constructor(encoder: GPUCommandEncoder, device: GPUDevice, handle: bigint | null, label: string) {
    super({ handle, kind: "ComputePassEncoder", label });
    this.#encoder = encoder;
    this.#device = device;
    this.#rec = Recorder.begin(handle, false);
  }

  /** Replays what is recorded, before a command that goes to the engine directly. */
  #flush(): void {
    this.#rec?.flush();
  }

  /** @internal The encoder finished with this pass still open: its commands no longer matter. */
  [ABANDON](): void {
    this.#rec?.discard();
    this.#rec = null;
  }

  setPipeline(pipeline: GPUComputePipeline): undefined {
    const ctx = "GPUComputePassEncoder.setPipeline";
    const rec = this.#rec;
    if (rec !== null) {
      if (!(pipeline instanceof GPUComputePipeline)) handleOf(ctx, "pipeline", pipeline, GPUComputePipeline);
      const p = rec.room(3);
      rec.w[p] = OP.SET_PIPELINE;
      pipeline[EMIT_HANDLE](rec.w, p + 1);
      rec.keep(pipeline);
      rec.pos = p + 3;
      return undefined;
    }
    rt().fns.wgpuComputePassEncoderSetPipeline(this[HANDLE], handleOf(ctx, "pipeline", pipeline, GPUComputePipeline));
    return undefined;
  }

  setBindGroup(index: GPUIndex32, bindGroup: GPUBindGroup | null, dynamicOffsets?: Iterable<GPUBufferDynamicOffset> | Uint32Array, dynamicOffsetsDataStart?: GPUSize64, dynamicOffsetsDataLength?: GPUSize32): undefined {
    const ctx = "GPUComputePassEncoder.setBindGroup";
    const i = index >>> 0 === index ? index : u32(ctx, "index", index);
    const group = bindGroup === null ? emptyBindGroup(this.#device) : bindGroup;
    if (!(group instanceof GPUBindGroup)) handleOf(ctx, "bindGroup", group, GPUBindGroup);
    this.#encoder[TRACK_USE](group);
    const n = dynamicOffsets === undefined ? 0 : collectDynamicOffsets(ctx, dynamicOffsets, dynamicOffsetsDataStart, dynamicOffsetsDataLength);
    const rec = this.#rec;
    if (rec !== null && n <= MAX_COMMAND_WORDS - 4) {
      const p = rec.room(4 + n);
      const w = rec.w;
      w[p] = OP.SET_BIND_GROUP | (n << 8);
      w[p + 1] = i;
      group[EMIT_HANDLE](w, p + 2);
      if (n !== 0) w.set(dynamicOffsetsArray().subarray(0, n), p + 4);
      rec.keep(group);
      rec.pos = p + 4 + n;
      return undefined;
    }
    this.#flush();
    rt().fns.wgpuComputePassEncoderSetBindGroup(this[HANDLE], i, group[HANDLE], n, n ? dynamicOffsetsArray() : null);
    return undefined;
  }

  dispatchWorkgroups(workgroupCountX: GPUSize32, workgroupCountY: GPUSize32 = 1, workgroupCountZ: GPUSize32 = 1): undefined {
    const ctx = "GPUComputePassEncoder.dispatchWorkgroups";
    const x = workgroupCountX >>> 0 === workgroupCountX ? workgroupCountX : u32(ctx, "workgroupCountX", workgroupCountX);
    const y = workgroupCountY >>> 0 === workgroupCountY ? workgroupCountY : u32(ctx, "workgroupCountY", workgroupCountY);
    const z = workgroupCountZ >>> 0 === workgroupCountZ ? workgroupCountZ : u32(ctx, "workgroupCountZ", workgroupCountZ);
    const rec = this.#rec;
    if (rec !== null) {
      const p = rec.room(4);
      const w = rec.w;
      w[p] = OP.DISPATCH;
      w[p + 1] = x;
      w[p + 2] = y;
      w[p + 3] = z;
      rec.pos = p + 4;
      return undefined;
    }
    rt().fns.wgpuComputePassEncoderDispatchWorkgroups(this[HANDLE], x, y, z);
    return undefined;
  }

  dispatchWorkgroupsIndirect(indirectBuffer: GPUBuffer, indirectOffset: GPUSize64): undefined {
    const ctx = "GPUComputePassEncoder.dispatchWorkgroupsIndirect";
    const buffer = handleOf(ctx, "indirectBuffer", indirectBuffer, GPUBuffer);
    const offset = u64(ctx, "indirectOffset", indirectOffset);
    this.#encoder[TRACK_USE](indirectBuffer);
    const rec = this.#rec;
    if (rec !== null) {
      const p = rec.room(5);
      const w = rec.w;
      w[p] = OP.DISPATCH_INDIRECT;
      indirectBuffer[EMIT_HANDLE](w, p + 1);
      w[p + 3] = offset % 0x100000000;
      w[p + 4] = Math.floor(offset / 0x100000000);
      rec.keep(indirectBuffer);
      rec.pos = p + 5;
      return undefined;
    }
    rt().fns.wgpuComputePassEncoderDispatchWorkgroupsIndirect(this[HANDLE], buffer, offset);
    return undefined;
  }

  /** https://www.w3.org/TR/webgpu/#dom-gpubindingcommandsmixin-setimmediates */
  setImmediates(rangeOffset: GPUSize32, data: AllowSharedBufferSource, dataOffset?: GPUSize64, dataSize?: GPUSize64): undefined {
    const ctx = "GPUComputePassEncoder.setImmediates";
    const offset = u32(ctx, "rangeOffset", rangeOffset);
    const bytes = writeBufferBytes(ctx, data, dataOffset, dataSize);
    this.#flush();
    rt().fns.wgpuComputePassEncoderSetImmediates(this[HANDLE], offset, bytes, bytes.byteLength);
    return undefined;
  }

  end(): undefined {
    const rec = this.#rec;
    if (rec !== null) {
      this.#rec = null;
      rec.close();
    }
    this.#encoder[PASS_ENDED](this);
    rt().fns.wgpuComputePassEncoderEnd(this[HANDLE]);
    return undefined;
  }

  pushDebugGroup(groupLabel: string): undefined {
    this.#flush();
    debugLabel("ComputePassEncoder", "PushDebugGroup", this[HANDLE], groupLabel);
    return undefined;
  }

  popDebugGroup(): undefined {
    this.#flush();
    popDebugGroup("ComputePassEncoder", this[HANDLE]);
    return undefined;
  }

  insertDebugMarker(markerLabel: string): undefined {
    this.#flush();
    debugLabel("ComputePassEncoder", "InsertDebugMarker", this[HANDLE], markerLabel);
    return undefined;
  }

  declare readonly __brand: "GPUComputePassEncoder";
}
