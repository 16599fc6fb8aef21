// wgpu-ts in a browser (the package's `browser` export condition): the page's own WebGPU
// (navigator.gpu) with wgpu-ts's extras added (browser/extras.ts), and the helpers that work
// there. It never loads koffi, node: modules or the native backend.
/// <reference types="@webgpu/types" preserve="true" />
/// <reference lib="esnext.disposable" preserve="true" />
import { installExtras } from "./browser/extras.ts";
import "./browser/types.ts";

installExtras();

const g = globalThis as Partial<typeof globalThis>;

/** The root object of WebGPU: the page's navigator.gpu (undefined where the browser has no WebGPU). */
export const gpu: GPU = g.navigator?.gpu as GPU;

// The page's own interface classes, so that `instanceof` holds for every object the browser makes.
export const GPU = g.GPU!;
export const GPUAdapter = g.GPUAdapter!;
export const GPUAdapterInfo = g.GPUAdapterInfo!;
export const GPUBindGroup = g.GPUBindGroup!;
export const GPUBindGroupLayout = g.GPUBindGroupLayout!;
export const GPUBuffer = g.GPUBuffer!;
export const GPUCanvasContext = g.GPUCanvasContext!;
export const GPUCommandBuffer = g.GPUCommandBuffer!;
export const GPUCommandEncoder = g.GPUCommandEncoder!;
export const GPUCompilationInfo = g.GPUCompilationInfo!;
export const GPUCompilationMessage = g.GPUCompilationMessage!;
export const GPUComputePassEncoder = g.GPUComputePassEncoder!;
export const GPUComputePipeline = g.GPUComputePipeline!;
export const GPUDevice = g.GPUDevice!;
export const GPUDeviceLostInfo = g.GPUDeviceLostInfo!;
export const GPUError = g.GPUError!;
export const GPUInternalError = g.GPUInternalError!;
export const GPUOutOfMemoryError = g.GPUOutOfMemoryError!;
export const GPUPipelineError = g.GPUPipelineError!;
export const GPUPipelineLayout = g.GPUPipelineLayout!;
export const GPUQuerySet = g.GPUQuerySet!;
export const GPUQueue = g.GPUQueue!;
export const GPURenderBundle = g.GPURenderBundle!;
export const GPURenderBundleEncoder = g.GPURenderBundleEncoder!;
export const GPURenderPassEncoder = g.GPURenderPassEncoder!;
export const GPURenderPipeline = g.GPURenderPipeline!;
export const GPUSampler = g.GPUSampler!;
export const GPUShaderModule = g.GPUShaderModule!;
export const GPUSupportedFeatures = (g as Record<string, unknown>).GPUSupportedFeatures as { prototype: GPUSupportedFeatures };
export const GPUSupportedLimits = g.GPUSupportedLimits!;
export const GPUTexture = g.GPUTexture!;
export const GPUTextureView = g.GPUTextureView!;
export const GPUUncapturedErrorEvent = g.GPUUncapturedErrorEvent!;
export const GPUValidationError = g.GPUValidationError!;
export const WGSLLanguageFeatures = (g as Record<string, unknown>).WGSLLanguageFeatures as { prototype: WGSLLanguageFeatures };

export { GPUBufferUsage, GPUColorWrite, GPUMapMode, GPUShaderStage, GPUTextureUsage } from "./api/constants.ts";
export { apiDiff, type ApiDiff } from "./api/api-diff.ts";
export { copyBlock, textureFormatInfo, textureFormats, type CopyBlock, type FormatKind, type TextureFormatInfo } from "./api/texture-formats.ts";
export { limitNames, type LimitName } from "./api/adapter-info.ts";
export { computeWithBuffers, getDefaultDevice } from "./browser/utils.ts";
export type { ComputeOptions, OutputSpec, TypedArray, TypedArrayConstructor } from "./utils/compute-core.ts";
export { compareImages, type ImageDiff, type RgbaImage } from "./utils/image-compare.ts";
export { readCanvas } from "./canvas/read-canvas.ts";

/** Which build this is: "browser" here, "native" in Node.js (wgpu-ts/auto tells which it picked). */
export const backend: "browser" | "native" = "browser";

/** In a browser, navigator.gpu and the interface classes are already there: this only makes sure the extras are. */
export function installGlobals(): void {
  installExtras();
}
