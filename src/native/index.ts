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
export { liveObjectBytes, liveObjectCounts } from "./object.ts";
export { rt as nativeRuntime, isLoaded as isNativeLoaded } from "./runtime.ts";
export { pump } from "./pump.ts";
export { engineObjectCounts } from "./extras/engine.ts";
export type { EngineRegistryCounts } from "./extras/wgpu-native.ts";
