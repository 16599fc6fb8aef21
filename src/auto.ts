// wgpu-ts/auto: the browser backend where the page has WebGPU (navigator.gpu), the native one in
// Node.js, Deno and Bun (Deno has a navigator.gpu of its own: wgpu-ts's native engines still serve
// it). A bundler that targets browsers takes dist/browser.js straight through the `browser`
// condition; this module decides at run time for everything else, loading only the backend chosen.
// Its exports are what both backends have (browser.ts's names, which index.ts has too).
/// <reference types="@webgpu/types" preserve="true" />
/// <reference lib="esnext.disposable" preserve="true" />
const g = globalThis as { Deno?: unknown; Bun?: unknown; process?: { versions?: { node?: string } }; navigator?: { gpu?: unknown } };
const serverRuntime = g.Deno !== undefined || g.Bun !== undefined || g.process?.versions?.node !== undefined;

type Common = typeof import("./browser.ts");
const chosen = (!serverRuntime && g.navigator?.gpu ? await import("./browser.ts") : await import("./index.ts")) as unknown as Common;

export const {
  /** Which backend wgpu-ts/auto picked. */
  backend,
  gpu,
  apiDiff,
  compareImages,
  computeWithBuffers,
  copyBlock,
  getDefaultDevice,
  installGlobals,
  limitNames,
  readCanvas,
  textureFormatInfo,
  textureFormats,
  GPUBufferUsage,
  GPUColorWrite,
  GPUMapMode,
  GPUShaderStage,
  GPUTextureUsage,
  GPU,
  GPUAdapter,
  GPUAdapterInfo,
  GPUBindGroup,
  GPUBindGroupLayout,
  GPUBuffer,
  GPUCanvasContext,
  GPUCommandBuffer,
  GPUCommandEncoder,
  GPUCompilationInfo,
  GPUCompilationMessage,
  GPUComputePassEncoder,
  GPUComputePipeline,
  GPUDevice,
  GPUDeviceLostInfo,
  GPUError,
  GPUInternalError,
  GPUOutOfMemoryError,
  GPUPipelineError,
  GPUPipelineLayout,
  GPUQuerySet,
  GPUQueue,
  GPURenderBundle,
  GPURenderBundleEncoder,
  GPURenderPassEncoder,
  GPURenderPipeline,
  GPUSampler,
  GPUShaderModule,
  GPUSupportedFeatures,
  GPUSupportedLimits,
  GPUTexture,
  GPUTextureView,
  GPUUncapturedErrorEvent,
  GPUValidationError,
  WGSLLanguageFeatures,
} = chosen;
