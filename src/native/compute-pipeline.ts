// GPUComputePipeline: https://www.w3.org/TR/webgpu/#gpucomputepipeline
import { dict } from "../api/check.ts";
import { layout } from "./ffi/generated/webgpu.ts";
import type { Scratch } from "./convert/scratch.ts";
import { PipelineBase, createPipeline, createPipelineAsync, createPipelineAsyncSync, writeProgrammableStage, type PipelineKind } from "./pipeline.ts";
import type { GPUDevice } from "./device.ts";

export class GPUComputePipeline extends PipelineBase {
  constructor(device: GPUDevice, handle: bigint | null, label: string) {
    super(device, handle, "ComputePipeline", label);
  }

  declare readonly __brand: "GPUComputePipeline";
}

const computeKind: PipelineKind<GPUComputePipelineDescriptor, GPUComputePipeline> = {
  kind: "ComputePipeline",
  write(s: Scratch, ctx: string, d: GPUComputePipelineDescriptor, label: string, layoutHandle: bigint | null): number {
    const L = layout.WGPUComputePipelineDescriptor;
    const off = s.alloc(L.$size);
    s.stringView(off + L.label, label);
    s.ptr(off + L.layout, layoutHandle);
    writeProgrammableStage(s, off + L.compute, `${ctx}: compute`, dict(ctx, "compute", d.compute, true), layout.WGPUComputeState);
    return off;
  },
  entryPointOffset: layout.WGPUComputePipelineDescriptor.compute + layout.WGPUComputeState.entryPoint,
  make: (device, handle, label) => new GPUComputePipeline(device, handle, label),
};

export function createComputePipeline(device: GPUDevice, descriptor: GPUComputePipelineDescriptor): GPUComputePipeline {
  return createPipeline(device, computeKind, descriptor);
}

/** Async pipeline creation; where the engine lacks it, a synchronous one whose errors reject. */
export function createComputePipelineAsync(device: GPUDevice, descriptor: GPUComputePipelineDescriptor): Promise<GPUComputePipeline> {
  return createPipelineAsync(device, computeKind, descriptor);
}

export function createComputePipelineAsyncSync(device: GPUDevice, descriptor: GPUComputePipelineDescriptor): GPUComputePipeline {
  return createPipelineAsyncSync(device, computeKind, descriptor);
}
