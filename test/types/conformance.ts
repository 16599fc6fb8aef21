// Type conformance, checked by `npm run typecheck` (part of `npm test`): our objects are
// assignable to the standard interfaces of @webgpu/types, so browser code type-checks against them.
// Interfaces whose rendering members come with the rendering work (GPUAdapter, whose
// requestDevice returns a GPUDevice, GPUDevice, GPUQueue, GPUCommandEncoder) are checked for the
// compute members they share.
import type * as ours from "../../src/index.ts";

type Assert<T extends true> = T;
type Assignable<A, B> = [A] extends [B] ? true : false;

export type Checks = [
  Assert<Assignable<Pick<ours.GPUAdapter, "features" | "limits" | "info">, Pick<GPUAdapter, "features" | "limits" | "info">>>,
  Assert<Assignable<ours.GPUBuffer, GPUBuffer>>,
  Assert<Assignable<ours.GPUShaderModule, GPUShaderModule>>,
  Assert<Assignable<ours.GPUComputePipeline, GPUComputePipeline>>,
  Assert<Assignable<ours.GPUBindGroup, GPUBindGroup>>,
  Assert<Assignable<ours.GPUBindGroupLayout, GPUBindGroupLayout>>,
  Assert<Assignable<ours.GPUPipelineLayout, GPUPipelineLayout>>,
  Assert<Assignable<ours.GPUComputePassEncoder, GPUComputePassEncoder>>,
  Assert<Assignable<ours.GPUCommandBuffer, GPUCommandBuffer>>,
  Assert<Assignable<ours.GPUQuerySet, GPUQuerySet>>,
  Assert<Assignable<ours.GPUTexture, GPUTexture>>,
  Assert<Assignable<ours.GPUTextureView, GPUTextureView>>,
  Assert<Assignable<ours.GPUSampler, GPUSampler>>,
  Assert<Assignable<ours.GPUCanvasContext, GPUCanvasContext>>,
  Assert<Assignable<Pick<ours.GPUDevice, "createTexture" | "createSampler">, Pick<GPUDevice, "createTexture" | "createSampler">>>,
  Assert<Assignable<Pick<ours.GPUQueue, "writeTexture">, Pick<GPUQueue, "writeTexture">>>,
  Assert<Assignable<Pick<ours.GPUCommandEncoder, "copyBufferToTexture" | "copyTextureToBuffer" | "copyTextureToTexture">, Pick<GPUCommandEncoder, "copyBufferToTexture" | "copyTextureToBuffer" | "copyTextureToTexture">>>,
  Assert<Assignable<ours.GPUSupportedLimits, GPUSupportedLimits>>,
  Assert<Assignable<ours.GPUSupportedFeatures, GPUSupportedFeatures>>,
  Assert<Assignable<ours.GPUAdapterInfo, GPUAdapterInfo>>,
  Assert<Assignable<ours.GPUValidationError, GPUValidationError>>,
  Assert<Assignable<ours.GPUCompilationInfo, GPUCompilationInfo>>,
  Assert<Assignable<ours.GPUDeviceLostInfo, GPUDeviceLostInfo>>,
  Assert<Assignable<Pick<ours.GPUDevice, "createBuffer" | "createComputePipeline" | "createBindGroup" | "pushErrorScope" | "lost" | "limits" | "features">, Pick<GPUDevice, "createBuffer" | "createComputePipeline" | "createBindGroup" | "pushErrorScope" | "lost" | "limits" | "features">>>,
  Assert<Assignable<Pick<ours.GPUQueue, "submit" | "writeBuffer" | "onSubmittedWorkDone" | "label">, Pick<GPUQueue, "submit" | "writeBuffer" | "onSubmittedWorkDone" | "label">>>,
  Assert<Assignable<Pick<ours.GPUCommandEncoder, "beginComputePass" | "copyBufferToBuffer" | "clearBuffer" | "resolveQuerySet" | "finish">, Pick<GPUCommandEncoder, "beginComputePass" | "copyBufferToBuffer" | "clearBuffer" | "resolveQuerySet" | "finish">>>,
];
