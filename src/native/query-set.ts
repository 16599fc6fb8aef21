// GPUQuerySet: https://www.w3.org/TR/webgpu/#gpuqueryset
import { dict, enumValue, label as checkLabel, u32 } from "../api/check.ts";
import { GPUQueryType } from "./ffi/generated/string-enums.ts";
import { layout } from "./ffi/generated/webgpu.ts";
import { withScratch } from "./convert/scratch.ts";
import { HANDLE, NativeObject } from "./object.ts";
import { rt } from "./runtime.ts";
import type { GPUDevice } from "./device.ts";

export class GPUQuerySet extends NativeObject {
  readonly type: GPUQueryType;
  readonly count: number;
  #destroyed = false;

  constructor(handle: bigint | null, label: string, type: GPUQueryType, count: number) {
    super({ handle, kind: "QuerySet", label });
    this.type = type;
    this.count = count;
  }

  destroy(): undefined {
    if (this.#destroyed) return;
    this.#destroyed = true;
    rt().fns.wgpuQuerySetDestroy(this[HANDLE]);
    return undefined;
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
  const handle = withScratch((s) => {
    const L = layout.WGPUQuerySetDescriptor;
    const off = s.alloc(L.$size);
    s.stringView(off + L.label, label);
    s.u32(off + L.type, type);
    s.u32(off + L.count, count);
    return rt().fns.wgpuDeviceCreateQuerySet(device[HANDLE], s.addr(off));
  });
  return new GPUQuerySet(handle, label, d.type, count);
}
