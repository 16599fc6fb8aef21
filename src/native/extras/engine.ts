// Which engine's extras apply, and the feature checks every extra makes before it calls the engine.
import { rt } from "../runtime.ts";
import type { GPUDevice } from "../device.ts";
import { wgpuNativeApiExtras, type EngineExtras, type EngineRegistryCounts } from "./wgpu-native.ts";

let cached: EngineExtras | undefined;

/** The extras of the loaded engine (wgpu-native now; Dawn's go in dawn.ts). */
export function engineExtras(): EngineExtras {
  if (cached) return cached;
  const { engine, fns } = rt();
  if (engine.name === "wgpu-native") return (cached = wgpuNativeApiExtras(fns));
  // An engine without extras here yet (Dawn's go in dawn.ts, behind the same interface): what
  // webgpu.h itself has works (SPIR-V, setImmediates, encoder timestamps); every other extra
  // throws "not available on <engine>". The feature names are wgpu-native's until then.
  return (cached = { features: wgpuNativeApiExtras(fns).features, glslUnavailable: () => `${engine.name} does not take GLSL` });
}

/** The engine's implementation of one extra, or a clear error naming the engine. */
export function engineExtra<K extends keyof EngineExtras>(ctx: string, key: K): NonNullable<EngineExtras[K]> {
  const f = engineExtras()[key];
  if (!f) {
    const { name, version } = rt().engine;
    throw new Error(`${ctx}: not available on ${name} ${version}`);
  }
  return f as NonNullable<EngineExtras[K]>;
}

/**
 * Throws unless the device was created with `feature`; the message says whether the adapter has
 * it (so it can be asked for in requiredFeatures) or not (so this adapter cannot do it at all).
 */
export function requireFeature(ctx: string, device: GPUDevice, feature: string): void {
  if (device.features.has(feature)) return;
  const onAdapter = device.adapter.features.has(feature);
  throw new TypeError(
    `${ctx}: needs the feature "${feature}", which the device lacks; ` +
      (onAdapter
        ? `request it: adapter.requestDevice({ requiredFeatures: ["${feature}"] })`
        : `the adapter (${device.adapter.summary}) does not support it`),
  );
}

/** The engine's own live-object counts per registry (wgpuGenerateReport), or null where it has none. */
export function engineObjectCounts(): Record<string, EngineRegistryCounts> | null {
  const generate = engineExtras().generateReport;
  return generate ? generate(rt().instance) : null;
}
