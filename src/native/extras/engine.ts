// Which engine's extras apply, and the feature checks every extra makes before it calls the engine.
import { rt } from "../runtime.ts";
import type { GPUDevice } from "../device.ts";
import type { EngineExtras, EngineRegistryCounts } from "./wgpu-native.ts";

let cached: EngineExtras | undefined;

/** The extras of the loaded engine, as engine/behaviour.ts made them. */
export function engineExtras(): EngineExtras {
  return (cached ??= rt().behaviour.apiExtras());
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
 * Throws unless the device was created with `feature` (none: the engine needs no feature); the message says whether the adapter has
 * it (so it can be asked for in requiredFeatures) or not (so this adapter cannot do it at all).
 */
export function requireFeature(ctx: string, device: GPUDevice, feature: string | undefined): void {
  if (feature === undefined || device.features.has(feature)) return;
  const onAdapter = device.adapter.features.has(feature);
  throw new TypeError(
    `${ctx}: needs the feature "${feature}", which the device lacks; ` +
      (onAdapter ? `request it: adapter.requestDevice({ requiredFeatures: ["${feature}"] })` : `the adapter (${device.adapter.summary}) does not support it`),
  );
}

/** The engine's own live-object counts per registry (wgpuGenerateReport), or null where it has none. */
export function engineObjectCounts(): Record<string, EngineRegistryCounts> | null {
  const generate = engineExtras().generateReport;
  return generate ? generate(rt().instance) : null;
}
