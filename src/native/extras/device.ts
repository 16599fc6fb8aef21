// Native-only set-up: instance backends and flags, devices that write an API trace, and shader
// modules from GLSL or SPIR-V.
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { resolve } from "node:path";
import { dict, instance as checkInstance, label as checkLabel, str, typeError, describe } from "../../api/check.ts";
import { GPUShaderStage } from "../../api/constants.ts";
import { WGPUSType, layout } from "../ffi/generated/webgpu.ts";
import { withScratch } from "../convert/scratch.ts";
import { chooseInstanceExtras, type InstanceExtras } from "../engine/instance-options.ts";
import { HANDLE, START_REQUEST_DEVICE } from "../object.ts";
import { asPromise } from "../pump.ts";
import { rt } from "../runtime.ts";
import { GPUAdapter } from "../adapter.ts";
import type { GPUDevice } from "../device.ts";
import { GPUShaderModule } from "../shader-module.ts";
import { engineExtra, engineExtras } from "./engine.ts";

export type { InstanceExtras, InstanceBackendName, InstanceFlagName } from "../engine/instance-options.ts";

/**
 * wgpu-py's `set_instance_extras`: the backends (e.g. ["vulkan"], ["gl"]) and flags (e.g.
 * ["validation", "debug"]) of the engine's instance. Call it before anything else touches the
 * GPU; WGPU_BACKEND_TYPE (Vulkan, Metal, D3D12, OpenGL) chooses the backend when this does not.
 *
 * @example
 * ```ts
 * import * as native from "wgpu-ts/native";
 * import { gpu } from "wgpu-ts";
 * native.setInstanceExtras({ backends: ["gl"], flags: ["validation"] }); // before any other GPU call
 * const adapter = gpu.requestAdapterSync(); // an OpenGL adapter
 * ```
 */
export function setInstanceExtras(extras: InstanceExtras): void {
  chooseInstanceExtras("setInstanceExtras", extras);
}

function traceRequest(ctx: string, adapter: GPUAdapter, tracePath: string, descriptor: GPUDeviceDescriptor | undefined) {
  checkInstance(ctx, "adapter", adapter, GPUAdapter);
  const dir = resolve(str(ctx, "tracePath", tracePath));
  const writeChain = engineExtra(ctx, "writeTraceChain");
  mkdirSync(dir, { recursive: true });
  if (readdirSync(dir).length > 0) typeError(ctx, "tracePath", `(${dir}) must be an empty directory`);
  const op = adapter[START_REQUEST_DEVICE](ctx, descriptor, (s) => writeChain(s, dir));
  return { op, dir };
}

/**
 * An engine that traces writes its trace file into the directory as the device is made; an engine
 * built without tracing ignores the path, and that is an error here rather than a silent no-op.
 */
function checkTraced(ctx: string, device: GPUDevice, dir: string): GPUDevice {
  if (existsSync(dir) && readdirSync(dir).length > 0) return device;
  device.destroy();
  const { name, version } = rt().engine;
  throw new Error(`${ctx}: ${name} ${version} was built without API tracing (it wrote nothing to ${dir}); use a build with wgpu-core's "trace" feature`);
}

/**
 * wgpu-py's `request_device_sync(adapter, trace_path, ...)`: a device whose API calls are traced to `tracePath`.
 *
 * @example
 * ```ts
 * // An engine built with API tracing writes its trace into ./trace as the device is made
 * const device = native.requestDeviceSync(adapter, "./trace", { label: "traced" });
 * ```
 */
export function requestDeviceSync(adapter: GPUAdapter, tracePath: string, descriptor?: GPUDeviceDescriptor): GPUDevice {
  const ctx = "requestDeviceSync";
  const { op, dir } = traceRequest(ctx, adapter, tracePath, descriptor);
  return checkTraced(ctx, op.wait(), dir);
}

/**
 * The async form of requestDeviceSync.
 *
 * @example
 * ```ts
 * const device = await native.requestDevice(adapter, "./trace");
 * ```
 */
export function requestDevice(adapter: GPUAdapter, tracePath: string, descriptor?: GPUDeviceDescriptor): Promise<GPUDevice> {
  const ctx = "requestDevice";
  let dir = "";
  return asPromise(() => {
    const r = traceRequest(ctx, adapter, tracePath, descriptor);
    dir = r.dir;
    return r.op;
  }).then((device) => checkTraced(ctx, device, dir));
}

const glslStages: Record<string, number> = { vertex: GPUShaderStage.VERTEX, fragment: GPUShaderStage.FRAGMENT, compute: GPUShaderStage.COMPUTE };

export interface GLSLModuleDescriptor {
  label?: string;
  code: string;
  stage: "vertex" | "fragment" | "compute";
  /** Preprocessor defines: name -> value. */
  defines?: Record<string, string | number>;
}

/**
 * A shader module from GLSL (wgpu-native's WGPUShaderSourceGLSL), where the engine build takes GLSL.
 *
 * @example
 * ```ts
 * const module = native.createShaderModuleGLSL(device, {
 *   stage: "compute",
 *   code: "#version 450\nlayout(local_size_x = 1) in;\nlayout(set = 0, binding = 0) buffer B { uint v[]; };\nvoid main() { v[0] = 1u; }",
 * });
 * ```
 */
export function createShaderModuleGLSL(device: GPUDevice, descriptor: GLSLModuleDescriptor): GPUShaderModule {
  const ctx = "createShaderModuleGLSL";
  const d = dict(ctx, "descriptor", descriptor, true);
  const code = str(ctx, "code", d.code);
  const label = checkLabel(ctx, d.label);
  const stage = glslStages[str(ctx, "stage", d.stage)] ?? typeError(ctx, "stage", `(${describe(d.stage)}) must be "vertex", "fragment" or "compute"`);
  const defines = Object.entries(dict(ctx, "defines", d.defines)).map(([k, v]) => [k, String(v)] as [string, string]);
  const why = engineExtras().glslUnavailable(rt().engine.version);
  if (why) throw new Error(`${ctx}: ${why}`);
  const write = engineExtra(ctx, "writeGLSLSource");
  const handle = withScratch((s) => {
    const L = layout.WGPUShaderModuleDescriptor;
    const off = s.alloc(L.$size);
    s.stringView(off + L.label, label);
    s.ptr(off + L.nextInChain, write(s, code, stage, defines));
    return rt().fns.wgpuDeviceCreateShaderModule(device[HANDLE], s.addr(off));
  });
  // getCompilationInfo recompiles the module's WGSL to find errors; a GLSL module has none to give.
  return new GPUShaderModule(device[HANDLE], handle, label, "");
}

export interface SPIRVModuleDescriptor {
  label?: string;
  /** SPIR-V words (a Uint32Array) or bytes (a multiple of 4, little-endian). */
  code: Uint32Array | ArrayBuffer | ArrayBufferView;
}

/**
 * A shader module from SPIR-V, through webgpu.h's WGPUShaderSourceSPIRV (the engine translates it).
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * // code: SPIR-V words, or bytes (a whole number of 32-bit little-endian words)
 * const module = native.createShaderModuleSPIRV(device, { code: readFileSync("shader.spv"), label: "from SPIR-V" });
 * const pipeline = device.createComputePipeline({ layout: "auto", compute: { module, entryPoint: "main" } });
 * ```
 */
export function createShaderModuleSPIRV(device: GPUDevice, descriptor: SPIRVModuleDescriptor): GPUShaderModule {
  const ctx = "createShaderModuleSPIRV";
  const d = dict(ctx, "descriptor", descriptor, true);
  const label = checkLabel(ctx, d.label);
  const c = d.code;
  const bytes = ArrayBuffer.isView(c)
    ? new Uint8Array(c.buffer, c.byteOffset, c.byteLength)
    : c instanceof ArrayBuffer
      ? new Uint8Array(c)
      : typeError(ctx, "code", `must be a Uint32Array or an ArrayBuffer, got ${describe(c)}`);
  if (bytes.byteLength === 0 || bytes.byteLength % 4 !== 0)
    typeError(ctx, "code", `(${bytes.byteLength} bytes) must be a non-empty whole number of 32-bit words`);
  const words = new Uint32Array(bytes.slice().buffer);
  if (words[0] !== 0x07230203) typeError(ctx, "code", `does not start with the SPIR-V magic number 0x07230203 (got 0x${words[0].toString(16)})`);
  const handle = withScratch((s) => {
    const L = layout.WGPUShaderModuleDescriptor;
    const S = layout.WGPUShaderSourceSPIRV;
    const off = s.alloc(L.$size);
    const src = s.alloc(S.$size);
    s.u32(src + layout.WGPUChainedStruct.sType, WGPUSType.ShaderSourceSPIRV);
    s.u32(src + S.codeSize, words.length);
    s.ptr(src + S.code, s.bytes(words));
    s.ptr(off + L.nextInChain, s.addr(src));
    s.stringView(off + L.label, label);
    return rt().fns.wgpuDeviceCreateShaderModule(device[HANDLE], s.addr(off));
  });
  return new GPUShaderModule(device[HANDLE], handle, label, "");
}
