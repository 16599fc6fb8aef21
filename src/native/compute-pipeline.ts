// GPUComputePipeline: https://www.w3.org/TR/webgpu/#gpucomputepipeline
import { dict } from "../api/check.ts";
import { layout } from "./ffi/generated/webgpu.ts";
import type { Scratch } from "./convert/scratch.ts";
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
import { GPUShaderModule, WGSL_CODE, WGSL_SCAN } from "./shader-module.ts";
import { workgroupStorageSize } from "../api/wgsl-module.ts";
import type { GPUDevice } from "./device.ts";

export class GPUComputePipeline extends PipelineBase {
  constructor(device: GPUDevice, handle: bigint | null, label: string) {
    super(device, handle, "ComputePipeline", label);
  }

  declare readonly __brand: "GPUComputePipeline";
}

/**
 * maxComputeWorkgroupStorageSize, which wgpu 29 does not check at pipeline creation
 * (gfx-rs/wgpu#8946); Dawn does, and the same check there changes nothing but the message.
 */
function checkWorkgroupStorage(stage: GPUProgrammableStage, problems: string[], device: GPUDevice): void {
  const module = stage.module;
  if (!(module instanceof GPUShaderModule) || !module[WGSL_CODE].includes("workgroup")) return;
  const scan = module[WGSL_SCAN];
  const entryPoint = stage.entryPoint == null ? undefined : String(stage.entryPoint);
  const used = workgroupStorageSize(scan, entryPoint, (stage.constants ?? {}) as Record<string, number>);
  const limit = device.limits.maxComputeWorkgroupStorageSize;
  if (used !== null && used > limit) problems.push(`compute uses ${used} bytes of workgroup storage, more than maxComputeWorkgroupStorageSize (${limit})`);
}

const computeKind: PipelineKind<GPUComputePipelineDescriptor, GPUComputePipeline> = {
  kind: "ComputePipeline",
  write(s: Scratch, ctx: string, d: GPUComputePipelineDescriptor, label: string, layoutHandle: bigint | null, problems, device): number {
    const L = layout.WGPUComputePipelineDescriptor;
    const off = s.alloc(L.$size);
    s.stringView(off + L.label, label);
    s.ptr(off + L.layout, layoutHandle);
    const compute = dict(ctx, "compute", d.compute, true) as GPUProgrammableStage;
    writeProgrammableStage(s, off + L.compute, `${ctx}: compute`, compute, layout.WGPUComputeState);
    checkWorkgroupStorage(compute, problems, device);
    checkAutoLayoutGroups(compute, "compute", layoutHandle, problems, device);
    checkSamplingPairs(compute, "compute", d.layout, problems);
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
