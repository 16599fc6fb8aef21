// wgpu-native only (wgpu.h): the engine's log messages and its own object counts.
// A Dawn module (dawn.ts) provides the same two things its own way; engine/behaviour.ts picks.
import { log, onLogLevel, type LogLevel } from "../../api/logger.ts";
import { registerCallback } from "../ffi/bind.ts";
import { layout, WGPULogLevel } from "../ffi/generated/webgpu.ts";
import { readStringView, type StringViewValue } from "../convert/strings.ts";
import type { WgpuFunctions } from "../ffi/bind.ts";

const toEngine: Record<LogLevel, number> = {
  off: WGPULogLevel.Off,
  error: WGPULogLevel.Error,
  warn: WGPULogLevel.Warn,
  info: WGPULogLevel.Info,
  debug: WGPULogLevel.Debug,
  trace: WGPULogLevel.Trace,
};
const fromEngine = ["error", "error", "warn", "info", "debug", "trace"] as const;

/**
 * Routes wgpu-native's log (wgpuSetLogCallback) to the logger, at the logger's level: the
 * engine filters by level itself, so that nothing crosses FFI below it.
 */
export function installWgpuNativeLogging(fns: WgpuFunctions): void {
  if (!fns.wgpuSetLogCallback || !fns.wgpuSetLogLevel) return;
  const callback = registerCallback("WGPULogCallback", ((level: number, message: StringViewValue) => {
    log(fromEngine[level] ?? "info", readStringView(message), "wgpu-native");
  }) as (...args: never[]) => void);
  fns.wgpuSetLogCallback(callback, null);
  const setLevel = fns.wgpuSetLogLevel;
  onLogLevel((level) => setLevel(toEngine[level]));
}

/** wgpuGenerateReport's hub members, by our class names (wgpu-core counts encoders as command buffers). */
const hubKinds: Record<string, string> = {
  adapters: "GPUAdapter",
  devices: "GPUDevice",
  queues: "GPUQueue",
  pipelineLayouts: "GPUPipelineLayout",
  shaderModules: "GPUShaderModule",
  bindGroupLayouts: "GPUBindGroupLayout",
  bindGroups: "GPUBindGroup",
  commandBuffers: "GPUCommandBuffer",
  renderBundles: "GPURenderBundle",
  renderPipelines: "GPURenderPipeline",
  computePipelines: "GPUComputePipeline",
  querySets: "GPUQuerySet",
  buffers: "GPUBuffer",
  textures: "GPUTexture",
  textureViews: "GPUTextureView",
  samplers: "GPUSampler",
};

export interface EngineObjectCounts {
  /** Objects the user (wgpu-ts) still holds a reference to, per class. */
  held: Record<string, number>;
  /** Objects the engine still keeps in its registries (held, or released but still in use by the GPU). */
  allocated: Record<string, number>;
}

/** The engine's own object counts (wgpuGenerateReport). */
export function wgpuNativeObjectCounts(fns: WgpuFunctions, instance: bigint): EngineObjectCounts | null {
  if (!fns.wgpuGenerateReport) return null;
  const report = new BigUint64Array(layout.WGPUGlobalReport.$size / 8);
  fns.wgpuGenerateReport(instance, report);
  const R = layout.WGPURegistryReport;
  const held: Record<string, number> = {};
  const allocated: Record<string, number> = {};
  for (const [member, kind] of Object.entries(hubKinds)) {
    const at = layout.WGPUGlobalReport.hub + (layout.WGPUHubReport as unknown as Record<string, number>)[member];
    held[kind] = Number(report[(at + R.numKeptFromUser) / 8]);
    allocated[kind] = Number(report[(at + R.numAllocated) / 8]);
  }
  return { held, allocated };
}

