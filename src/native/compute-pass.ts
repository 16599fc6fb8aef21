// GPUComputePassEncoder: https://www.w3.org/TR/webgpu/#gpucomputepassencoder
// The pass methods are hot paths: check the arguments, then call; no allocation per call.
// Binding and debug commands come from EncoderCommands (pass-encoder.ts).
import { u32, u64 } from "../api/check.ts";
import { HANDLE, TRACK_USE, handleOf } from "./object.ts";
import type { GPUCommandEncoder } from "./command-encoder.ts";
import type { GPUDevice } from "./device.ts";
import { rt } from "./runtime.ts";
import type { GPUBindGroup, SubmitChecked } from "./binding.ts";
import { GPUBuffer } from "./buffer.ts";
import { GPUComputePipeline } from "./compute-pipeline.ts";
import { EncoderCommands, INVALIDATE, USES, nativeEmitter, type CommandEmitter } from "./pass-encoder.ts";

const EMITTED = ["SetBindGroup", "SetImmediates"] as const;

export class GPUComputePassEncoder extends EncoderCommands {
  readonly #encoder: GPUCommandEncoder;

  constructor(encoder: GPUCommandEncoder, device: GPUDevice, handle: bigint | null, label: string) {
    super(device, handle, "ComputePassEncoder", label, nativeEmitter<CommandEmitter>("ComputePassEncoder", EMITTED));
    this.#encoder = encoder;
  }

  [USES](resource: SubmitChecked | GPUBindGroup): void {
    this.#encoder[TRACK_USE](resource);
  }

  [INVALIDATE](message: string): void {
    this.#encoder[INVALIDATE](message);
  }

  setPipeline(pipeline: GPUComputePipeline): undefined {
    rt().fns.wgpuComputePassEncoderSetPipeline(this[HANDLE], handleOf("GPUComputePassEncoder.setPipeline", "pipeline", pipeline, GPUComputePipeline));
    return undefined;
  }

  dispatchWorkgroups(workgroupCountX: GPUSize32, workgroupCountY: GPUSize32 = 1, workgroupCountZ: GPUSize32 = 1): undefined {
    const ctx = "GPUComputePassEncoder.dispatchWorkgroups";
    const x = typeof workgroupCountX === "number" && workgroupCountX >>> 0 === workgroupCountX ? workgroupCountX : u32(ctx, "workgroupCountX", workgroupCountX);
    const y = typeof workgroupCountY === "number" && workgroupCountY >>> 0 === workgroupCountY ? workgroupCountY : u32(ctx, "workgroupCountY", workgroupCountY);
    const z = typeof workgroupCountZ === "number" && workgroupCountZ >>> 0 === workgroupCountZ ? workgroupCountZ : u32(ctx, "workgroupCountZ", workgroupCountZ);
    rt().fns.wgpuComputePassEncoderDispatchWorkgroups(this[HANDLE], x, y, z);
    return undefined;
  }

  dispatchWorkgroupsIndirect(indirectBuffer: GPUBuffer, indirectOffset: GPUSize64): undefined {
    const ctx = "GPUComputePassEncoder.dispatchWorkgroupsIndirect";
    const buffer = handleOf(ctx, "indirectBuffer", indirectBuffer, GPUBuffer);
    this.#encoder[TRACK_USE](indirectBuffer);
    rt().fns.wgpuComputePassEncoderDispatchWorkgroupsIndirect(this[HANDLE], buffer, u64(ctx, "indirectOffset", indirectOffset));
    return undefined;
  }

  end(): undefined {
    rt().fns.wgpuComputePassEncoderEnd(this[HANDLE]);
    return undefined;
  }

  declare readonly __brand: "GPUComputePassEncoder";
}
