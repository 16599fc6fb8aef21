// wgpu-ts: WebGPU for TypeScript on Node.js. The public entry point.
/// <reference types="@webgpu/types" preserve="true" />
/// <reference lib="esnext.disposable" preserve="true" />
export { gpu } from "./backend.ts";
/** Which build this is: "native" here, "browser" in the browser build (wgpu-ts/auto tells which it picked). */
export const backend: "browser" | "native" = "native";
export {
  GPU,
  GPUAdapter,
  GPUBindGroup,
  GPUBindGroupLayout,
  GPUBuffer,
  GPUCommandBuffer,
  GPUCommandEncoder,
  GPUComputePassEncoder,
  GPUComputePipeline,
  GPUDevice,
  GPUPipelineLayout,
  GPUQuerySet,
  GPUQueue,
  GPURenderBundle,
  GPURenderBundleEncoder,
  GPURenderPassEncoder,
  GPURenderPipeline,
  GPUSampler,
  GPUShaderModule,
  GPUTexture,
  GPUTextureView,
} from "./backend.ts";
export { GPUAdapterInfo, GPUSupportedFeatures, GPUSupportedLimits, WGSLLanguageFeatures } from "./api/adapter-info.ts";
export { GPUBufferUsage, GPUColorWrite, GPUMapMode, GPUShaderStage, GPUTextureUsage } from "./api/constants.ts";
export {
  GPUCompilationInfo,
  GPUCompilationMessage,
  GPUDeviceLostInfo,
  GPUError,
  GPUInternalError,
  GPUOutOfMemoryError,
  GPUPipelineError,
  GPUUncapturedErrorEvent,
  GPUValidationError,
} from "./api/errors.ts";
export { apiDiff, type ApiDiff } from "./api/api-diff.ts";
export { getLogLevel, setLogLevel, setLogger, type LogLevel, type LogSink } from "./api/logger.ts";
export { copyBlock, textureFormatInfo, textureFormats, type TextureFormatInfo } from "./api/texture-formats.ts";
export { installGlobals, create, globals } from "./globals.ts";
export { useEngine, engineNames, type EngineName, type EngineOptions, type DawnToggles } from "./native/engine.ts";
export { getDefaultDevice } from "./utils/default-device.ts";
export { computeWithBuffers, type ComputeOptions, type OutputSpec } from "./utils/compute-with-buffers.ts";
export { formatReport, printReport, report, type AdapterReport, type Report } from "./utils/report.ts";
export { decodePng, encodePng, readPng, writePng } from "./utils/image.ts";
export { compareImages, type ImageDiff, type RgbaImage } from "./utils/image-compare.ts";
export { GPUCanvasContext } from "./canvas/context.ts";
export { GPUOffscreenCanvas, createCanvas } from "./canvas/offscreen.ts";
export { readCanvas } from "./canvas/read-canvas.ts";
export { GPUWindowCanvas, createWindow, type WindowDocument, type WindowOptions } from "./canvas/window.ts";
export type { PresentMode, SurfaceAlphaMode, SurfaceCapabilities } from "./backend.ts";

// Every exported class's Symbol.toStringTag is its name (api/to-string-tag.ts).
import { tagClasses } from "./api/to-string-tag.ts";
import * as publicApi from "./index.ts";
tagClasses(publicApi);

// Types that the public signatures name, for users' annotations and the API reference.
export type { CanvasConfiguration } from "./canvas/context.ts";
export type { CopyBlock, FormatKind } from "./api/texture-formats.ts";
export type { TypedArray, TypedArrayConstructor } from "./utils/compute-with-buffers.ts";
export type { EngineIdentity } from "./native/engine/load.ts";
export { limitNames, type LimitName } from "./api/adapter-info.ts";
export { logLevels } from "./api/logger.ts";
