// The native backend's public surface.
export { GPU } from "./gpu.ts";
export { GPUAdapter } from "./adapter.ts";
export { GPUDevice } from "./device.ts";
export { GPUBuffer } from "./buffer.ts";
export { GPUQueue } from "./queue.ts";
export { GPUShaderModule } from "./shader-module.ts";
export { GPUBindGroup, GPUBindGroupLayout, GPUPipelineLayout } from "./binding.ts";
export { GPUComputePipeline } from "./compute-pipeline.ts";
export { GPUCommandBuffer, GPUCommandEncoder } from "./command-encoder.ts";
export { GPUComputePassEncoder } from "./compute-pass.ts";
export { GPUQuerySet } from "./query-set.ts";
export { GPURenderPipeline } from "./render-pipeline.ts";
export { GPURenderPassEncoder } from "./render-pass.ts";
export { GPURenderBundle, GPURenderBundleEncoder } from "./render-bundle.ts";
export { GPUTexture, GPUTextureView } from "./texture.ts";
export { GPUSampler } from "./sampler.ts";
export { liveObjectBytes, liveObjectCounts } from "./object.ts";
export { rt as nativeRuntime, isLoaded as isNativeLoaded } from "./runtime.ts";
export { pump } from "./pump.ts";
export { engineObjectCounts } from "./extras/engine.ts";
export type { EngineRegistryCounts } from "./extras/wgpu-native.ts";
export { NativeSurface, type PresentMode, type SurfaceAlphaMode, type SurfaceCapabilities, type SurfaceConfiguration, type SurfaceSource } from "./surface.ts";

// Every entry point of these classes runs inside the guard (guard.ts).
import { guardClass } from "./guard.ts";
import { GPU as Root } from "./gpu.ts";
import { GPUAdapter as Adapter } from "./adapter.ts";
import { GPUDevice as Device } from "./device.ts";
import { GPUBuffer as Buffer } from "./buffer.ts";
import { GPUQueue as Queue } from "./queue.ts";
import { GPUShaderModule as ShaderModule } from "./shader-module.ts";
import { GPUBindGroup as BindGroup, GPUBindGroupLayout as BindGroupLayout, GPUPipelineLayout as PipelineLayout } from "./binding.ts";
import { GPUComputePipeline as ComputePipeline } from "./compute-pipeline.ts";
import { GPUCommandBuffer as CommandBuffer, GPUCommandEncoder as CommandEncoder } from "./command-encoder.ts";
import { GPUComputePassEncoder as ComputePass } from "./compute-pass.ts";
import { GPUQuerySet as QuerySet } from "./query-set.ts";
import { GPURenderPipeline as RenderPipeline } from "./render-pipeline.ts";
import { GPURenderPassEncoder as RenderPass } from "./render-pass.ts";
import { GPURenderBundle as RenderBundle, GPURenderBundleEncoder as RenderBundleEncoder } from "./render-bundle.ts";
import { GPUTexture as Texture, GPUTextureView as TextureView } from "./texture.ts";
import { GPUSampler as Sampler } from "./sampler.ts";
guardClass(Root, false);
for (const cls of [Adapter, Device, Buffer, Queue, ShaderModule, BindGroup, BindGroupLayout, PipelineLayout, ComputePipeline, CommandBuffer, CommandEncoder])
  guardClass(cls);
for (const cls of [ComputePass, QuerySet, RenderPipeline, RenderPass, RenderBundle, RenderBundleEncoder, Texture, TextureView, Sampler]) guardClass(cls);
