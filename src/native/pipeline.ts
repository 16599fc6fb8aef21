// What compute and render pipelines share (https://www.w3.org/TR/webgpu/#pipelines): the layout
// member, programmable stages, getBindGroupLayout, and creation (sync, async, and the async
// stand-in where the engine lacks Create*PipelineAsync).
import { dict, label as checkLabel, str, typeError, u32 } from "../api/check.ts";
import { GPUInternalError, GPUPipelineError, GPUValidationError, type GPUError } from "../api/errors.ts";
import { captureEngineErrors } from "./device-events.ts";
import { WGPUCreatePipelineAsyncStatus, layout } from "./ffi/generated/webgpu.ts";
import { withScratch, type Scratch } from "./convert/scratch.ts";
import { readStringView, type StringViewValue } from "./convert/strings.ts";
import { HANDLE, IS_LOST, NativeObject, ROUTE_ERROR, handleOf } from "./object.ts";
import { asPromise, pump, type Operation } from "./pump.ts";
import { rt } from "./runtime.ts";
import { GPUBindGroupLayout, GPUPipelineLayout, GROUP_LAYOUTS, SAMPLING } from "./binding.ts";
import { GPUShaderModule, WGSL_CODE, WGSL_SCAN } from "./shader-module.ts";
import { largestGroup, samplingPairs, type ShaderStage } from "../api/wgsl-module.ts";
import type { GPUDevice } from "./device.ts";

/** Writes the `layout` member: "auto" is a null layout. */
export function pipelineLayoutHandle(ctx: string, value: unknown): bigint | null {
  if (value === "auto") return null;
  if (value === undefined) typeError(ctx, "layout", 'is required (a GPUPipelineLayout or "auto")');
  return handleOf(ctx, "layout", value, GPUPipelineLayout);
}

type StageOffsets = { module: number; entryPoint: number; constantCount: number; constants: number };

/** Writes a programmable stage (module, entryPoint, constants) at `off`: WGPUComputeState, WGPUVertexState, WGPUFragmentState. */
export function writeProgrammableStage(s: Scratch, off: number, ctx: string, stage: GPUProgrammableStage, offsets: StageOffsets): void {
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

/** Whether `code` names a literal @group index at or above `max` (the common case, none, costs one regex pass). */
function mayUseGroup(code: string, max: number): boolean {
  for (const m of code.matchAll(/@group\s*\(\s*(\d+)/g)) if (Number(m[1]) >= max) return true;
  return false;
}

/**
 * An "auto" layout's groups are the ones the stage uses, each under maxBindGroups. wgpu-native
 * checks group indices at shader module creation instead, against its own limit, which is the
 * adapter's (behaviour.earlyCheckedLimits); an explicit layout is checked at its creation.
 */
export function checkAutoLayoutGroups(
  stage: GPUProgrammableStage,
  name: ShaderStage,
  layoutHandle: bigint | null,
  problems: string[],
  device: GPUDevice,
): void {
  const max = device.limits.maxBindGroups;
  if (layoutHandle !== null || !(stage.module instanceof GPUShaderModule) || !mayUseGroup(stage.module[WGSL_CODE], max)) return;
  const group = largestGroup(stage.module[WGSL_SCAN], name, stage.entryPoint == null ? undefined : String(stage.entryPoint));
  if (group !== null && group >= max) problems.push(`${name} uses @group(${group}), and the "auto" layout's groups must be below maxBindGroups (${max})`);
}

/**
 * A filtering sampler may only sample a texture whose layout sampleType is "float"
 * (https://www.w3.org/TR/webgpu/#abstract-opdef-validating-shader-binding, its texture-sampler
 * pairs); wgpu-native 29 takes "depth". Checked against an explicit layout made here (one from
 * getBindGroupLayout has no entries in JS; an "auto" layout is the engine's).
 */
export function checkSamplingPairs(stage: GPUProgrammableStage, name: ShaderStage, pipelineLayout: unknown, problems: string[]): void {
  if (!(pipelineLayout instanceof GPUPipelineLayout) || !(stage.module instanceof GPUShaderModule)) return;
  if (!/\btexture(?:Sample|Gather)/.test(stage.module[WGSL_CODE])) return;
  const pairs = samplingPairs(stage.module[WGSL_SCAN], name, stage.entryPoint == null ? undefined : String(stage.entryPoint)) ?? [];
  const groups = pipelineLayout[GROUP_LAYOUTS];
  const entry = (v: { group?: number; binding?: number }) =>
    v.group === undefined || v.binding === undefined ? undefined : groups[v.group]?.[SAMPLING].get(v.binding);
  for (const { texture, sampler } of pairs) {
    const sampleType = entry(texture)?.sampleType;
    if (entry(sampler)?.samplerType !== "filtering" || sampleType === undefined || sampleType === "float") continue;
    const at = (v: { group?: number; binding?: number }) => `@group(${v.group}) @binding(${v.binding})`;
    problems.push(`${name} samples the texture at ${at(texture)} (layout sampleType "${sampleType}") with the filtering sampler at ${at(sampler)}`);
    return;
  }
}

/** GPUPipelineBase: the pipeline classes extend this. */
export abstract class PipelineBase extends NativeObject {
  readonly #device: GPUDevice;
  readonly #kind: "ComputePipeline" | "RenderPipeline";

  constructor(device: GPUDevice, handle: bigint | null, kind: "ComputePipeline" | "RenderPipeline", label: string) {
    super({ handle, kind, label });
    this.#device = device;
    this.#kind = kind;
  }

  /** https://www.w3.org/TR/webgpu/#dom-gpupipelinebase-getbindgrouplayout */
  getBindGroupLayout(index: number): GPUBindGroupLayout {
    const ctx = `GPU${this.#kind}.getBindGroupLayout`;
    const i = u32(ctx, "index", index);
    // wgpu-native answers an out-of-range index silently; the spec makes it a validation error.
    if (i >= this.#device.limits.maxBindGroups)
      this.#device[ROUTE_ERROR](new GPUValidationError(`${ctx}: index (${i}) must be below maxBindGroups (${this.#device.limits.maxBindGroups})`));
    const fn = (rt().fns as unknown as Record<string, (h: bigint, i: number) => bigint | null>)[`wgpu${this.#kind}GetBindGroupLayout`];
    return new GPUBindGroupLayout(fn(this[HANDLE], i), "");
  }
}

/** How one kind of pipeline is written and made; `createPipeline` and friends do the rest. */
export interface PipelineKind<D extends object, P> {
  kind: "ComputePipeline" | "RenderPipeline";
  /**
   * Writes the C descriptor and returns its offset in the scratch block. Spec validation errors
   * found on the way (inputs the engine would abort on) go into `problems`; the descriptor must
   * then still be safe to pass to the engine.
   */
  write(s: Scratch, ctx: string, d: D, label: string, layoutHandle: bigint | null, problems: string[], device: GPUDevice): number;
  /** Offset of the first stage's entryPoint in the descriptor: an impossible name there makes an invalid pipeline on purpose. */
  entryPointOffset: number;
  make(device: GPUDevice, handle: bigint, label: string, descriptor: D): P;
}

type CreateFn = (device: bigint, descriptor: bigint) => bigint | null;
const BAD_ENTRY_POINT = "wgpu-ts: invalid pipeline";

function createFn(kind: PipelineKind<object, unknown>): CreateFn {
  return (rt().fns as unknown as Record<string, CreateFn>)[`wgpuDeviceCreate${kind.kind}`];
}

/**
 * Converts and calls the engine. With problems found in JS, the engine gets the descriptor with an
 * entry point no module has, which makes it fail safely, and its own message is dropped.
 */
function create<D extends object, P>(
  device: GPUDevice,
  kind: PipelineKind<D, P>,
  ctx: string,
  descriptor: D,
): { handle: bigint | null; label: string; d: D; error: GPUError | null } {
  const d = dict(ctx, "descriptor", descriptor, true) as D & { label?: string; layout?: unknown };
  const label = checkLabel(ctx, d.label);
  const layoutHandle = pipelineLayoutHandle(ctx, d.layout);
  const problems: string[] = [];
  const fn = createFn(kind as PipelineKind<object, unknown>);
  const { result, error } = captureEngineErrors(device[HANDLE], () =>
    withScratch((s) => {
      problems.length = 0;
      const off = kind.write(s, ctx, d, label, layoutHandle, problems, device);
      if (problems.length) s.stringView(off + kind.entryPointOffset, BAD_ENTRY_POINT);
      return fn(device[HANDLE], s.addr(off));
    }),
  );
  return { handle: result, label, d, error: problems.length ? new GPUValidationError(`${ctx}: ${problems[0]}`) : error };
}

export function createPipeline<D extends object, P>(device: GPUDevice, kind: PipelineKind<D, P>, descriptor: D): P {
  const ctx = `GPUDevice.create${kind.kind}`;
  const { handle, label, d, error } = create(device, kind, ctx, descriptor);
  // Errors were captured to replace the engine's message with ours: route them as the engine would have.
  if (error) device[ROUTE_ERROR](error);
  return kind.make(device, handle!, label, d);
}

/** The async form where the engine lacks it: a synchronous creation whose errors reject. */
function createCaptured<D extends object, P>(device: GPUDevice, kind: PipelineKind<D, P>, descriptor: D): P {
  const ctx = `GPUDevice.create${kind.kind}Async`;
  const { handle, label, d, error } = create(device, kind, ctx, descriptor);
  // A lost device reports no errors: its pipelines resolve, invalid (the spec; Dawn's async path does so too).
  if (error && !device[IS_LOST]) {
    if (handle) (rt().fns as unknown as Record<string, (h: bigint) => void>)[`wgpu${kind.kind}Release`](handle);
    throw new GPUPipelineError(error.message.startsWith(ctx) ? error.message : `${ctx}: ${error.message}`, {
      reason: error instanceof GPUInternalError ? "internal" : "validation",
    });
  }
  return kind.make(device, handle!, label, d);
}

function startAsync<D extends object, P>(device: GPUDevice, kind: PipelineKind<D, P>, descriptor: D): Operation<P> {
  const ctx = `GPUDevice.create${kind.kind}Async`;
  const d = dict(ctx, "descriptor", descriptor, true) as D & { label?: string; layout?: unknown };
  const label = checkLabel(ctx, d.label);
  const layoutHandle = pipelineLayoutHandle(ctx, d.layout);
  const fn = (rt().fns as unknown as Record<string, (dev: bigint, desc: bigint, info: unknown) => unknown>)[`wgpuDeviceCreate${kind.kind}Async`];
  return withScratch((s) => {
    const problems: string[] = [];
    const off = kind.write(s, ctx, d, label, layoutHandle, problems, device);
    if (problems.length) throw new GPUPipelineError(`${ctx}: ${problems[0]}`, { reason: "validation" });
    // Begun only once the descriptor is written: a descriptor that throws leaves no operation
    // pending (one would keep the pump, and the process, alive for ever).
    const { op, callbackInfo } = pump.begin(
      `WGPUCreate${kind.kind}AsyncCallback`,
      (status: number, pipeline: bigint | null, message: StringViewValue) => {
        if (status === WGPUCreatePipelineAsyncStatus.Success && pipeline) return kind.make(device, pipeline, label, d);
        const reason = status === WGPUCreatePipelineAsyncStatus.ValidationError ? "validation" : "internal";
        throw new GPUPipelineError(`${ctx}: ${readStringView(message) || "the pipeline could not be created"}`, { reason });
      },
      device[HANDLE],
    );
    fn(device[HANDLE], s.addr(off), callbackInfo);
    return op;
  });
}

/** https://www.w3.org/TR/webgpu/#dom-gpudevice-createcomputepipelineasync and its render twin. */
export function createPipelineAsync<D extends object, P>(device: GPUDevice, kind: PipelineKind<D, P>, descriptor: D): Promise<P> {
  if (rt().behaviour.unimplemented.has(`wgpuDeviceCreate${kind.kind}Async`)) {
    try {
      return Promise.resolve(createCaptured(device, kind, descriptor));
    } catch (e) {
      return Promise.reject(e);
    }
  }
  return asPromise(() => startAsync(device, kind, descriptor));
}

/** The `...AsyncSync` twin. */
export function createPipelineAsyncSync<D extends object, P>(device: GPUDevice, kind: PipelineKind<D, P>, descriptor: D): P {
  if (rt().behaviour.unimplemented.has(`wgpuDeviceCreate${kind.kind}Async`)) return createCaptured(device, kind, descriptor);
  return startAsync(device, kind, descriptor).wait();
}
