// GPUQuerySet: https://www.w3.org/TR/webgpu/#gpuqueryset
import { dict, enumValue, label as checkLabel, typeError, u32 } from "../api/check.ts";
import { GPUQueryType } from "./ffi/generated/string-enums.ts";
import { layout } from "./ffi/generated/webgpu.ts";
import { withScratch } from "./convert/scratch.ts";
import { HANDLE, NativeObject, SUBMIT_PROBLEM } from "./object.ts";
import { rt } from "./runtime.ts";
import type { GPUDevice } from "./device.ts";

export class GPUQuerySet extends NativeObject {
  readonly type: GPUQueryType;
  readonly count: number;
  #destroyed = false;

  constructor(handle: bigint | null, label: string, type: GPUQueryType, count: number, queue: bigint) {
    super({ handle, kind: "QuerySet", label, tickQueue: queue });
    this.type = type;
    this.count = count;
  }

  destroy(): undefined {
    if (this.#destroyed) return;
    this.#destroyed = true;
    // Where the engine's destroy removes the set (EngineBehaviour.destroyRemoves), a later use or
    // the release would panic: destroy is then a JS flag that the submit checks read (the spec's
    // validation error comes from there), and the memory goes back at release.
    if (!rt().behaviour.destroyRemoves.has("QuerySet")) rt().fns.wgpuQuerySetDestroy(this[HANDLE]);
    return undefined;
  }

  /** @internal Why a command buffer using this query set cannot be submitted (wgpu-native aborts on a destroyed one), or null. */
  [SUBMIT_PROBLEM](): string | null {
    return this.#destroyed ? `${this.label ? `GPUQuerySet "${this.label}"` : "a GPUQuerySet"} it uses is destroyed` : null;
  }

  override [Symbol.dispose](): void {
    this.destroy();
    super[Symbol.dispose]();
  }

  declare readonly __brand: "GPUQuerySet";
}

export function createQuerySet(device: GPUDevice, descriptor: GPUQuerySetDescriptor): GPUQuerySet {
  const ctx = "GPUDevice.createQuerySet";
  const d = dict(ctx, "descriptor", descriptor, true);
  const label = checkLabel(ctx, d.label);
  const type = enumValue(ctx, "type", d.type, GPUQueryType);
  const count = u32(ctx, "count", d.count);
  // The spec's content-timeline check: a query type whose feature is missing throws.
  if (d.type === "timestamp" && !device.features.has("timestamp-query"))
    typeError(ctx, "type", '("timestamp") needs the "timestamp-query" feature, which the device was not created with');
  const handle = withScratch((s) => {
    const L = layout.WGPUQuerySetDescriptor;
    const off = s.alloc(L.$size);
    s.stringView(off + L.label, label);
    s.u32(off + L.type, type);
    s.u32(off + L.count, count);
    return rt().fns.wgpuDeviceCreateQuerySet(device[HANDLE], s.addr(off));
  });
  return new GPUQuerySet(handle, label, d.type, count, device.queue[HANDLE]);
}
