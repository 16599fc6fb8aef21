// installGlobals() and dawn.node's entry points (`create`, `globals`) for drop-in use.
import * as constants from "./api/constants.ts";
import * as errors from "./api/errors.ts";
import { GPUAdapterInfo, GPUSupportedFeatures, GPUSupportedLimits, WGSLLanguageFeatures } from "./api/adapter-info.ts";
import * as classes from "./native/index.ts";
import { gpu } from "./backend.ts";
import { useEngine, type EngineOptions } from "./native/engine.ts";
import { GPUCanvasContext } from "./canvas/context.ts";
import { globalFrames } from "./canvas/frame-loop.ts";

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

/** The frame loop's globals: browser code (three.js's renderer) calls `self.requestAnimationFrame`. */
const frameGlobals = {
  requestAnimationFrame: (callback: FrameRequestCallback) => globalFrames.request(callback),
  cancelAnimationFrame: (id: number) => globalFrames.cancel(id),
  self: globalThis,
};

/**
 * Puts `navigator.gpu`, the interface classes and the flag constants on `globalThis`, so that
 * code written for a browser finds what it expects, with `requestAnimationFrame` (in step with the
 * windows' frames) and `self`. Existing globals are left alone. Their types are @webgpu/types'
 * (which wgpu-ts's .d.ts references): `navigator.gpu` is `GPU` and `GPUBufferUsage` & co. are declared
 * globals there already, so TypeScript code needs no declarations of its own after this call.
 */
export function installGlobals(): void {
  for (const [name, value] of [...Object.entries(globals), ...Object.entries(frameGlobals)]) {
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
 * strings: `enable-dawn-features=a,b` and `disable-dawn-features=c` pass Dawn toggles (as dawn.node
 * does), and wgpu-ts adds `engine=wgpu-native|dawn` and `lib=PATH`; other flags are ignored. Flags
 * that choose the engine must come before first use.
 */
export function create(flags: string[] = []): classes.GPU {
  if (!Array.isArray(flags)) throw new TypeError("create: flags must be an array of strings");
  const options: EngineOptions = {};
  const list = (v: string) =>
    v
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean);
  for (const flag of flags) {
    if (typeof flag !== "string") throw new TypeError("create: flags must be an array of strings");
    const eq = flag.indexOf("=");
    const [key, value] = eq < 0 ? [flag, ""] : [flag.slice(0, eq), flag.slice(eq + 1)];
    if (key === "engine") options.engine = value as EngineOptions["engine"];
    else if (key === "lib") options.libPath = value;
    else if (key === "enable-dawn-features") options.dawnToggles = { ...options.dawnToggles, enable: list(value) };
    else if (key === "disable-dawn-features") options.dawnToggles = { ...options.dawnToggles, disable: list(value) };
  }
  if (Object.keys(options).length) useEngine(options);
  return gpu;
}
