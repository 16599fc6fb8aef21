// Type conformance, checked by `npm run typecheck` (part of `npm test`): our objects are
// assignable to the standard interfaces of @webgpu/types, so browser code type-checks against them.
// Every interface is checked whole.
import type * as ours from "../../src/index.ts";

type Assert<T extends true> = T;
type Assignable<A, B> = [A] extends [B] ? true : false;

export type Checks = [
  Assert<Assignable<ours.GPU, GPU>>,
  Assert<Assignable<ours.GPUAdapter, GPUAdapter>>,
  Assert<Assignable<ours.GPUDevice, GPUDevice>>,
  Assert<Assignable<ours.GPUQueue, GPUQueue>>,
  Assert<Assignable<ours.GPUCommandEncoder, GPUCommandEncoder>>,
  Assert<Assignable<ours.GPURenderPipeline, GPURenderPipeline>>,
  Assert<Assignable<ours.GPURenderPassEncoder, GPURenderPassEncoder>>,
  Assert<Assignable<ours.GPURenderBundleEncoder, GPURenderBundleEncoder>>,
  Assert<Assignable<ours.GPURenderBundle, GPURenderBundle>>,
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
  Assert<Assignable<ours.GPUSupportedLimits, GPUSupportedLimits>>,
  Assert<Assignable<ours.GPUSupportedFeatures, GPUSupportedFeatures>>,
  Assert<Assignable<ours.GPUAdapterInfo, GPUAdapterInfo>>,
  Assert<Assignable<ours.GPUValidationError, GPUValidationError>>,
  Assert<Assignable<ours.GPUCompilationInfo, GPUCompilationInfo>>,
  Assert<Assignable<ours.GPUDeviceLostInfo, GPUDeviceLostInfo>>,
];
