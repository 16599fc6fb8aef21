// installGlobals() and dawn.node's entry points (`create`, `globals`) for drop-in use.
import * as constants from "./api/constants.ts";
import * as errors from "./api/errors.ts";
import { GPUAdapterInfo, GPUSupportedFeatures, GPUSupportedLimits, WGSLLanguageFeatures } from "./api/adapter-info.ts";
import * as classes from "./native/index.ts";
import { gpu } from "./backend.ts";
import { GPUCanvasContext } from "./canvas/context.ts";

/** The interface classes and flag constants a browser puts on `globalThis`. */
export const globals = Object.freeze({
  GPU: classes.GPU,
  GPUAdapter: classes.GPUAdapter,
  GPUAdapterInfo,
  GPUBindGroup: classes.GPUBindGroup,
  GPUBindGroupLayout: classes.GPUBindGroupLayout,
  GPUBuffer: classes.GPUBuffer,
  GPUCommandBuffer: classes.GPUCommandBuffer,
  GPUCommandEncoder: classes.GPUCommandEncoder,
  GPUComputePassEncoder: classes.GPUComputePassEncoder,
  GPUComputePipeline: classes.GPUComputePipeline,
  GPUDevice: classes.GPUDevice,
  GPUPipelineLayout: classes.GPUPipelineLayout,
  GPUQuerySet: classes.GPUQuerySet,
  GPUQueue: classes.GPUQueue,
  GPURenderBundle: classes.GPURenderBundle,
  GPURenderBundleEncoder: classes.GPURenderBundleEncoder,
  GPURenderPassEncoder: classes.GPURenderPassEncoder,
  GPURenderPipeline: classes.GPURenderPipeline,
  GPUShaderModule: classes.GPUShaderModule,
  GPUTexture: classes.GPUTexture,
  GPUTextureView: classes.GPUTextureView,
  GPUSampler: classes.GPUSampler,
  GPUCanvasContext,
  GPUSupportedFeatures,
  GPUSupportedLimits,
  WGSLLanguageFeatures,
  GPUError: errors.GPUError,
  GPUValidationError: errors.GPUValidationError,
  GPUOutOfMemoryError: errors.GPUOutOfMemoryError,
  GPUInternalError: errors.GPUInternalError,
  GPUPipelineError: errors.GPUPipelineError,
  GPUUncapturedErrorEvent: errors.GPUUncapturedErrorEvent,
  GPUDeviceLostInfo: errors.GPUDeviceLostInfo,
  GPUCompilationInfo: errors.GPUCompilationInfo,
  GPUCompilationMessage: errors.GPUCompilationMessage,
  GPUBufferUsage: constants.GPUBufferUsage,
  GPUTextureUsage: constants.GPUTextureUsage,
  GPUShaderStage: constants.GPUShaderStage,
  GPUMapMode: constants.GPUMapMode,
  GPUColorWrite: constants.GPUColorWrite,
});

/**
 * Puts `navigator.gpu`, the interface classes and the flag constants on `globalThis`, so that
 * code written for a browser finds what it expects. Existing globals are left alone.
 */
export function installGlobals(): void {
  for (const [name, value] of Object.entries(globals)) {
    if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, writable: true, configurable: true });
  }
  const nav = (globalThis as { navigator?: object }).navigator;
  if (nav === undefined) {
    Object.defineProperty(globalThis, "navigator", { value: { gpu }, writable: true, configurable: true });
  } else if (!("gpu" in nav) || (nav as { gpu?: unknown }).gpu === undefined) {
    Object.defineProperty(nav, "gpu", { value: gpu, configurable: true, enumerable: true });
  }
}

/**
 * dawn.node's entry point: `create(flags)` returns a GPU. Flags are dawn.node's `key=value`
 * strings; wgpu-ts takes none yet and ignores them.
 */
export function create(flags: string[] = []): classes.GPU {
  if (!Array.isArray(flags)) throw new TypeError("create: flags must be an array of strings");
  return gpu;
}
