// GPUComputePipeline: https://www.w3.org/TR/webgpu/#gpucomputepipeline
import { dict, label as checkLabel, str, typeError, u32 } from "../api/check.ts";
import { GPUInternalError, GPUPipelineError } from "../api/errors.ts";
import { captureEngineErrors } from "./device-events.ts";
import { WGPUCreatePipelineAsyncStatus, layout } from "./ffi/generated/webgpu.ts";
import { withScratch, type Scratch } from "./convert/scratch.ts";
import { readStringView, type StringViewValue } from "./convert/strings.ts";
import { HANDLE, NativeObject, handleOf } from "./object.ts";
import { asPromise, pump, type Operation } from "./pump.ts";
import { rt } from "./runtime.ts";
import { GPUBindGroupLayout, GPUPipelineLayout } from "./binding.ts";
import { GPUShaderModule } from "./shader-module.ts";
import type { GPUDevice } from "./device.ts";

export class GPUComputePipeline extends NativeObject {
  constructor(handle: bigint | null, label: string) {
    super({ handle, kind: "ComputePipeline", label });
  }

  /** https://www.w3.org/TR/webgpu/#dom-gpupipelinebase-getbindgrouplayout */
  getBindGroupLayout(index: number): GPUBindGroupLayout {
    const i = u32("GPUComputePipeline.getBindGroupLayout", "index", index);
    return new GPUBindGroupLayout(rt().fns.wgpuComputePipelineGetBindGroupLayout(this[HANDLE], i), "");
  }

  declare readonly __brand: "GPUComputePipeline";
}

/** Writes the `layout` member: "auto" is a null layout. */
export function pipelineLayoutHandle(ctx: string, value: unknown): bigint | null {
  if (value === "auto") return null;
  if (value === undefined) typeError(ctx, "layout", 'is required (a GPUPipelineLayout or "auto")');
  return handleOf(ctx, "layout", value, GPUPipelineLayout);
}

/** Writes a programmable stage (module, entryPoint, constants) at `off`, for WGPUComputeState and friends. */
export function writeProgrammableStage(s: Scratch, off: number, ctx: string, stage: GPUProgrammableStage, offsets: { module: number; entryPoint: number; constantCount: number; constants: number }): void {
  s.ptr(off + offsets.module, handleOf(ctx, "module", stage.module, GPUShaderModule));
  s.stringView(off + offsets.entryPoint, stage.entryPoint === undefined || stage.entryPoint === null ? undefined : str(ctx, "entryPoint", stage.entryPoint));
  const constants = Object.entries(dict(ctx, "constants", stage.constants));
  if (constants.length === 0) return;
  const C = layout.WGPUConstantEntry;
  const list = s.alloc(C.$size * constants.length);
  constants.forEach(([key, value], i) => {
    const v = typeof value === "number" ? value : typeof value === "boolean" ? Number(value) : NaN;
    if (!Number.isFinite(v)) typeError(ctx, `constants.${key}`, `must be a finite number, got ${String(value)}`);
    s.stringView(list + i * C.$size + C.key, key);
    s.f64(list + i * C.$size + C.value, v);
  });
  s.u64(off + offsets.constantCount, constants.length);
  s.ptr(off + offsets.constants, s.addr(list));
}

function writeDescriptor(s: Scratch, ctx: string, d: GPUComputePipelineDescriptor, label: string, layoutHandle: bigint | null): bigint {
  const L = layout.WGPUComputePipelineDescriptor;
  const off = s.alloc(L.$size);
  s.stringView(off + L.label, label);
  s.ptr(off + L.layout, layoutHandle);
  writeProgrammableStage(s, off + L.compute, `${ctx}: compute`, dict(ctx, "compute", d.compute, true), layout.WGPUComputeState);
  return s.addr(off);
}

function checked(ctx: string, descriptor: GPUComputePipelineDescriptor) {
  const d = dict(ctx, "descriptor", descriptor, true);
  return { d, label: checkLabel(ctx, d.label), layoutHandle: pipelineLayoutHandle(ctx, d.layout) };
}

export function createComputePipeline(device: GPUDevice, descriptor: GPUComputePipelineDescriptor): GPUComputePipeline {
  const ctx = "GPUDevice.createComputePipeline";
  const { d, label, layoutHandle } = checked(ctx, descriptor);
  const handle = withScratch((s) => rt().fns.wgpuDeviceCreateComputePipeline(device[HANDLE], writeDescriptor(s, ctx, d, label, layoutHandle)));
  return new GPUComputePipeline(handle, label);
}

/** Async pipeline creation; where the engine lacks it, a synchronous one whose errors reject. */
export function createComputePipelineAsync(device: GPUDevice, descriptor: GPUComputePipelineDescriptor): Promise<GPUComputePipeline> {
  if (rt().behaviour.unimplemented.has("wgpuDeviceCreateComputePipelineAsync")) {
    try {
      return Promise.resolve(createComputePipelineCaptured(device, descriptor));
    } catch (e) {
      return Promise.reject(e);
    }
  }
  return asPromise(() => startCreateComputePipelineAsync(device, descriptor));
}

export function createComputePipelineAsyncSync(device: GPUDevice, descriptor: GPUComputePipelineDescriptor): GPUComputePipeline {
  if (rt().behaviour.unimplemented.has("wgpuDeviceCreateComputePipelineAsync")) return createComputePipelineCaptured(device, descriptor);
  return startCreateComputePipelineAsync(device, descriptor).wait();
}

function createComputePipelineCaptured(device: GPUDevice, descriptor: GPUComputePipelineDescriptor): GPUComputePipeline {
  const ctx = "GPUDevice.createComputePipelineAsync";
  const { d, label, layoutHandle } = checked(ctx, descriptor);
  const { result, error } = captureEngineErrors(device[HANDLE], () =>
    withScratch((s) => rt().fns.wgpuDeviceCreateComputePipeline(device[HANDLE], writeDescriptor(s, ctx, d, label, layoutHandle))),
  );
  if (error) {
    if (result) rt().fns.wgpuComputePipelineRelease(result);
    throw new GPUPipelineError(`${ctx}: ${error.message}`, { reason: error instanceof GPUInternalError ? "internal" : "validation" });
  }
  return new GPUComputePipeline(result, label);
}

function startCreateComputePipelineAsync(device: GPUDevice, descriptor: GPUComputePipelineDescriptor): Operation<GPUComputePipeline> {
  const ctx = "GPUDevice.createComputePipelineAsync";
  const { d, label, layoutHandle } = checked(ctx, descriptor);
  const { op, callbackInfo } = pump.begin(
    "WGPUCreateComputePipelineAsyncCallback",
    (status: number, pipeline: bigint | null, message: StringViewValue) => {
      if (status === WGPUCreatePipelineAsyncStatus.Success && pipeline) return new GPUComputePipeline(pipeline, label);
      const reason = status === WGPUCreatePipelineAsyncStatus.ValidationError ? "validation" : "internal";
      throw new GPUPipelineError(`${ctx}: ${readStringView(message) || "the pipeline could not be created"}`, { reason });
    },
    device[HANDLE],
  );
  withScratch((s) => rt().fns.wgpuDeviceCreateComputePipelineAsync(device[HANDLE], writeDescriptor(s, ctx, d, label, layoutHandle), callbackInfo));
  return op;
}
