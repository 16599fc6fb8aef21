// GPUShaderModule: https://www.w3.org/TR/webgpu/#gpushadermodule
import koffi from "koffi";
import { dict, label as checkLabel, str } from "../api/check.ts";
import { GPUCompilationInfo, GPUCompilationMessage, GPUValidationError } from "../api/errors.ts";
import { scanWgslNesting } from "../api/wgsl-limits.ts";
import { scanModule, type ModuleScan } from "../api/wgsl-module.ts";
import { WGPUCompilationInfoRequestStatus, WGPUCompilationMessageType, WGPUSType, layout } from "./ffi/generated/webgpu.ts";
import { withScratch } from "./convert/scratch.ts";
import { readStringView, type StringViewValue } from "./convert/strings.ts";
import { HANDLE, NativeObject, ownerOf, ROUTE_ERROR } from "./object.ts";
import { asPromise, pump, type Operation } from "./pump.ts";
import { rt } from "./runtime.ts";
import { captureEngineErrors } from "./device-events.ts";
import type { GPUDevice } from "./device.ts";

const messageTypes: Record<number, GPUCompilationMessageType> = {
  [WGPUCompilationMessageType.Error]: "error",
  [WGPUCompilationMessageType.Warning]: "warning",
  [WGPUCompilationMessageType.Info]: "info",
};

/** Converts a UTF-8 byte offset in `code` to UTF-16 code units, as the JS API counts. */
function utf16Offset(code: string, byteOffset: number): number {
  let bytes = 0;
  let i = 0;
  while (i < code.length && bytes < byteOffset) {
    const c = code.codePointAt(i)!;
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    i += c >= 0x10000 ? 2 : 1;
  }
  return i;
}

/** The UTF-16 index `count` code points after `from` in `code` (naga counts columns and spans in code points). */
function advanceCodePoints(code: string, from: number, count: number): number {
  let i = from;
  for (let n = 0; n < count && i < code.length; n++) i += code.codePointAt(i)! >= 0x10000 ? 2 : 1;
  return i;
}

/**
 * Compilation messages from an engine error text, for engines without
 * wgpuShaderModuleGetCompilationInfo. naga points at the code as `wgsl:LINE:COLUMN` (the column in
 * code points) and underlines the span with `^` (one per code point); the JS API counts UTF-16 units.
 */
export function messagesFromErrorText(code: string, text: string): GPUCompilationMessage[] {
  const at = /wgsl:(\d+):(\d+)/.exec(text);
  const lineNum = at ? Number(at[1]) : 0;
  let linePos = 0;
  let offset = 0;
  let length = 0;
  if (at && lineNum > 0) {
    let lineStart = 0;
    for (let line = 1; line < lineNum && lineStart >= 0; line++) lineStart = code.indexOf("\n", lineStart) + 1;
    offset = advanceCodePoints(code, lineStart, Number(at[2]) - 1);
    linePos = offset - lineStart + 1;
    const span = /\^+/.exec(text.slice(at.index))?.[0].length ?? 0;
    length = advanceCodePoints(code, offset, span) - offset;
  }
  return [new GPUCompilationMessage({ message: text, type: "error", lineNum, linePos, offset, length })];
}

/** The module's WGSL source, for the checks made in JS at pipeline creation (render-pipeline.ts). */
export const WGSL_CODE = Symbol("wgpu-ts.wgslCode");
/** The scan of its module-scope declarations (wgsl-module.ts), made on first use and shared by the module's pipelines. */
export const WGSL_SCAN = Symbol("wgpu-ts.wgslScan");

export class GPUShaderModule extends NativeObject {
  readonly #code: string;
  readonly #device: bigint;
  /** The module's messages when wgpu-ts refused the code before the engine saw it (wgsl-limits.ts). */
  readonly #refused: GPUCompilationMessage | null;

  constructor(device: bigint, handle: bigint | null, label: string, code: string, refused: GPUCompilationMessage | null = null) {
    super({ handle, kind: "ShaderModule", label });
    this.#device = device;
    this.#code = code;
    this.#refused = refused;
  }

  get [WGSL_CODE](): string {
    return this.#code;
  }

  #scan: ModuleScan | undefined;
  get [WGSL_SCAN](): ModuleScan {
    this.#scan ??= scanModule(this.#code);
    return this.#scan;
  }

  /** https://www.w3.org/TR/webgpu/#dom-gpushadermodule-getcompilationinfo */
  getCompilationInfo(): Promise<GPUCompilationInfo> {
    if (this.#refused) return Promise.resolve(new GPUCompilationInfo([this.#refused]));
    if (rt().behaviour.unimplemented.has("wgpuShaderModuleGetCompilationInfo")) {
      try {
        return Promise.resolve(this.#compileAgain());
      } catch (e) {
        return Promise.reject(e);
      }
    }
    return asPromise(() => this.#startCompilationInfo());
  }

  /** Extra: `getCompilationInfo` that answers in place. */
  getCompilationInfoSync(): GPUCompilationInfo {
    if (this.#refused) return new GPUCompilationInfo([this.#refused]);
    if (rt().behaviour.unimplemented.has("wgpuShaderModuleGetCompilationInfo")) return this.#compileAgain();
    return this.#startCompilationInfo().wait();
  }

  /** wgpu-native panics asking a module of a released device (Dawn answers): a clean TypeError on both. */
  #checkDevice(): void {
    const device = ownerOf(this) as { readonly [HANDLE]: bigint } | undefined;
    try {
      if (device) void device[HANDLE];
    } catch {
      throw new TypeError("GPUShaderModule.getCompilationInfo: the module's GPUDevice was disposed, and its compilation messages with it");
    }
  }

  /** Stands in for the engine's compilation info: compiles the code again and reads the error. */
  #compileAgain(): GPUCompilationInfo {
    this.#checkDevice();
    const { fns } = rt();
    const { error } = captureEngineErrors(this.#device, () => {
      const h = writeShaderModule(this.#device, this.#code, "");
      if (h) fns.wgpuShaderModuleRelease(h);
    });
    return new GPUCompilationInfo(error ? messagesFromErrorText(this.#code, error.message) : []);
  }

  #startCompilationInfo(): Operation<GPUCompilationInfo> {
    const code = this.#code;
    const handle = this[HANDLE]; // throws after dispose: before the operation begins, not after
    this.#checkDevice();

    const { op, callbackInfo } = pump.begin("WGPUCompilationInfoCallback", (status: number, info: bigint | null) => {
      if (status !== WGPUCompilationInfoRequestStatus.Success || !info) return new GPUCompilationInfo([]);
      const { messageCount, messages } = koffi.decode(info, "WGPUCompilationInfo") as { messageCount: number; messages: bigint | null };
      const out: GPUCompilationMessage[] = [];
      for (let i = 0; i < messageCount && messages; i++) {
        const m = koffi.decode(messages, i * layout.WGPUCompilationMessage.$size, "WGPUCompilationMessage") as Record<string, unknown>;
        const offset = utf16Offset(code, Number(m.offset));
        const lineStart = code.lastIndexOf("\n", offset - 1) + 1;
        out.push(
          new GPUCompilationMessage({
            message: readStringView(m.message as StringViewValue),
            type: messageTypes[m.type as number] ?? "info",
            lineNum: Number(m.lineNum),
            linePos: Number(m.lineNum) > 0 ? offset - lineStart + 1 : 0,
            offset,
            length: utf16Offset(code, Number(m.offset) + Number(m.length)) - offset,
          }),
        );
      }
      return new GPUCompilationInfo(out);
    });
    rt().fns.wgpuShaderModuleGetCompilationInfo(handle, callbackInfo);
    return op;
  }

  declare readonly __brand: "GPUShaderModule";
}

export function createShaderModule(device: GPUDevice, descriptor: GPUShaderModuleDescriptor): GPUShaderModule {
  const ctx = "GPUDevice.createShaderModule";
  const d = dict(ctx, "descriptor", descriptor, true);
  const code = str(ctx, "code", d.code);
  const label = checkLabel(ctx, d.label);
  const tooDeep = scanWgslNesting(code);
  if (tooDeep) {
    // Code nested past what a compiler's stack holds is a compilation error here, before the
    // engine could crash on it: an invalid module (from code that fails at once), our message.
    const { result } = captureEngineErrors(device[HANDLE], () => writeShaderModule(device[HANDLE], "!", label));
    const message = `${ctx}: code: ${tooDeep.message}`;
    const compileMessage = new GPUCompilationMessage({
      message,
      type: "error",
      lineNum: tooDeep.lineNum,
      linePos: tooDeep.linePos,
      offset: tooDeep.offset,
      length: 1,
    });
    device[ROUTE_ERROR](new GPUValidationError(message));
    return new GPUShaderModule(device[HANDLE], result, label, code, compileMessage);
  }
  return new GPUShaderModule(device[HANDLE], writeShaderModule(device[HANDLE], code, label), label, code);
}

function writeShaderModule(device: bigint, code: string, label: string): bigint | null {
  return withScratch((s) => {
    const L = layout.WGPUShaderModuleDescriptor;
    const W = layout.WGPUShaderSourceWGSL;
    const off = s.alloc(L.$size);
    const wgsl = s.alloc(W.$size);
    s.u32(wgsl + W.chain + layout.WGPUChainedStruct.sType, WGPUSType.ShaderSourceWGSL);
    s.stringView(wgsl + W.code, code);
    s.ptr(off + L.nextInChain, s.addr(wgsl));
    s.stringView(off + L.label, label);
    return rt().fns.wgpuDeviceCreateShaderModule(device, s.addr(off));
  });
}
