// GPUComputePassEncoder: https://www.w3.org/TR/webgpu/#gpucomputepassencoder
// The pass methods are hot paths: check the arguments, then emit, into the pass's recorded command
// stream (replay/recorder.ts) or, without the replay helper, straight into the engine; no
// allocation per call either way.
// Binding and debug commands come from EncoderCommands (pass-encoder.ts).
import { u32, u64 } from "../api/check.ts";
import { ABANDON, FLUSH_COMMANDS, PASS_ENDED, HANDLE, TRACK_USE, handleOf } from "./object.ts";
import type { GPUCommandEncoder } from "./command-encoder.ts";
import type { GPUDevice } from "./device.ts";
import { rt } from "./runtime.ts";
import type { GPUBindGroup, SubmitChecked } from "./binding.ts";
import { GPUBuffer } from "./buffer.ts";
import { GPUComputePipeline } from "./compute-pipeline.ts";
import { EMIT, EncoderCommands, INVALIDATE, USES, nativeEmitter, type CommandEmitter } from "./pass-encoder.ts";
import { PassStream } from "./replay/recorder.ts";

/** The compute commands, with the signatures of wgpuComputePassEncoder*. */
interface ComputeEmitter extends CommandEmitter {
  setPipeline(h: bigint, pipeline: bigint): void;
  dispatchWorkgroups(h: bigint, x: number, y: number, z: number): void;
  dispatchWorkgroupsIndirect(h: bigint, buffer: bigint, offset: number): void;
}

const EMITTED = ["SetBindGroup", "SetImmediates", "SetPipeline", "DispatchWorkgroups", "DispatchWorkgroupsIndirect"] as const;

export class GPUComputePassEncoder extends EncoderCommands<ComputeEmitter> {
  readonly #encoder: GPUCommandEncoder;
  /** The pass's command stream (replay/recorder.ts). */
  readonly #stream: PassStream<ComputeEmitter>;

  constructor(encoder: GPUCommandEncoder, device: GPUDevice, handle: bigint | null, label: string) {
    const direct = nativeEmitter<ComputeEmitter>("ComputePassEncoder", EMITTED);
    super(device, handle, "ComputePassEncoder", label, direct);
    this.#encoder = encoder;
    this.#stream = new PassStream(handle, this, false, direct);
    this[EMIT] = this.#stream.emitter;
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

  setPipeline(pipeline: GPUComputePipeline): undefined {
    this[EMIT].setPipeline(this[HANDLE], handleOf("GPUComputePassEncoder.setPipeline", "pipeline", pipeline, GPUComputePipeline));
    return undefined;
  }

  dispatchWorkgroups(workgroupCountX: GPUSize32, workgroupCountY: GPUSize32 = 1, workgroupCountZ: GPUSize32 = 1): undefined {
    const ctx = "GPUComputePassEncoder.dispatchWorkgroups";
    const x = typeof workgroupCountX === "number" && workgroupCountX >>> 0 === workgroupCountX ? workgroupCountX : u32(ctx, "workgroupCountX", workgroupCountX);
    const y = typeof workgroupCountY === "number" && workgroupCountY >>> 0 === workgroupCountY ? workgroupCountY : u32(ctx, "workgroupCountY", workgroupCountY);
    const z = typeof workgroupCountZ === "number" && workgroupCountZ >>> 0 === workgroupCountZ ? workgroupCountZ : u32(ctx, "workgroupCountZ", workgroupCountZ);
    this[EMIT].dispatchWorkgroups(this[HANDLE], x, y, z);
    return undefined;
  }

  dispatchWorkgroupsIndirect(indirectBuffer: GPUBuffer, indirectOffset: GPUSize64): undefined {
    const ctx = "GPUComputePassEncoder.dispatchWorkgroupsIndirect";
    const offset = u64(ctx, "indirectOffset", indirectOffset); // before the handle: valueOf is user code
    const buffer = handleOf(ctx, "indirectBuffer", indirectBuffer, GPUBuffer);
    this.#encoder[TRACK_USE](indirectBuffer);
    this[EMIT].dispatchWorkgroupsIndirect(this[HANDLE], buffer, offset);
    return undefined;
  }

  end(): undefined {
    const engineEnds = this.#encoder[PASS_ENDED](this);
    this[EMIT] = this.#stream.end();
    if (engineEnds) rt().fns.wgpuComputePassEncoderEnd(this[HANDLE]);
    return undefined;
  }

  declare readonly __brand: "GPUComputePassEncoder";
}
