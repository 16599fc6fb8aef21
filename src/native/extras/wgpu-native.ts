// wgpu-native's own functions (wgpu.h): the engine's blocking wait and adapter enumeration (for
// engine/behaviour.ts), and the engine-neutral extras of `wgpu-ts/native` (wgpuNativeApiExtras).
// Everything here takes handles that the public functions (extras/*.ts) have already checked;
// Dawn's same-named functions have other signatures and go in dawn.ts behind the same interface.
// It also routes the engine's log to wgpu-ts's logger (WGPU_LOG_LEVEL).
import koffi from "koffi";
import { WGPUCallbackMode, WGPULogLevel, WGPUNativeQueryType, WGPUNativeSType, layout } from "../ffi/generated/webgpu.ts";
import { registerCallback, type WgpuFunctions } from "../ffi/bind.ts";
import type { Scratch } from "../convert/scratch.ts";
import { readStringView, type StringViewValue } from "../convert/strings.ts";
import { log, onLogLevel, type LogLevel } from "../../api/logger.ts";

export type PassKind = "compute" | "render";

/** One registry of the engine's own object counts (wgpuGenerateReport). */
export interface EngineRegistryCounts {
  allocated: number;
  keptFromUser: number;
  releasedFromUser: number;
  elementSize: number;
}

/** What an engine offers to `wgpu-ts/native`, each member absent where the engine lacks it. */
export interface EngineExtras {
  /** The features each extra needs on the device, by the engine's feature names. */
  features: {
    /** Absent where immediates need no feature (Dawn: the maxImmediateSize limit alone). */
    immediates?: string;
    statistics: string;
    timestampInsidePasses: string;
    timestampInsideEncoders: string;
    multiDrawIndirect?: string;
    multiDrawIndirectCount: string;
  };
  multiDrawIndirect?(pass: bigint, buffer: bigint, offset: number, count: number, indexed: boolean): void;
  multiDrawIndirectCount?(pass: bigint, buffer: bigint, offset: number, countBuffer: bigint, countOffset: number, maxCount: number, indexed: boolean): void;
  beginPipelineStatisticsQuery?(kind: PassKind, pass: bigint, querySet: bigint, index: number): void;
  endPipelineStatisticsQuery?(kind: PassKind, pass: bigint): void;
  /** Writes the type and the chained struct of a pipeline-statistics WGPUQuerySetDescriptor. */
  writeStatisticsQuerySet?(s: Scratch, descriptor: number, statistics: number[]): void;
  writeTimestampInPass?(kind: PassKind, pass: bigint, querySet: bigint, index: number): void;
  timestampPeriod?(queue: bigint): number;
  /** The chained struct asking for an API trace in `directory`, for WGPUDeviceDescriptor. */
  writeTraceChain?(s: Scratch, directory: string): bigint;
  /** Why GLSL modules cannot be made with this engine build, or null when they can. */
  glslUnavailable(version: string): string | null;
  writeGLSLSource?(s: Scratch, code: string, stage: number, defines: [string, string][]): bigint;
  /** The engine's own live-object counts per registry. */
  generateReport?(instance: bigint): Record<string, EngineRegistryCounts>;
}

/**
 * wgpu-native builds whose GLSL front end is compiled out: WGPUShaderSourceGLSL aborts the process
 * there ("Shader not provided", probed on 29.0.1.1 from the wgpu 0.32.0 wheel).
 */
const withoutGLSL = new Set(["29.0.1.1"]);

export function wgpuNativeApiExtras(fns: WgpuFunctions): EngineExtras {
  const need = <K extends keyof WgpuFunctions>(name: K): NonNullable<WgpuFunctions[K]> => {
    const f = fns[name];
    if (!f) throw new Error(`wgpu-ts: this wgpu-native exports no ${String(name)}`);
    return f as NonNullable<WgpuFunctions[K]>;
  };
  return {
    // wgpu 29 always has multiDrawIndirect (emulated where the hardware lacks it); only the
    // count-buffer forms are a feature.
    features: {
      immediates: "immediates",
      statistics: "pipeline-statistics-query",
      timestampInsidePasses: "timestamp-query-inside-passes",
      timestampInsideEncoders: "timestamp-query-inside-encoders",
      multiDrawIndirectCount: "multi-draw-indirect-count",
    },
    multiDrawIndirect(pass, buffer, offset, count, indexed) {
      const f = indexed ? need("wgpuRenderPassEncoderMultiDrawIndexedIndirect") : need("wgpuRenderPassEncoderMultiDrawIndirect");
      f(pass, buffer, offset, count);
    },
    multiDrawIndirectCount(pass, buffer, offset, countBuffer, countOffset, maxCount, indexed) {
      const f = indexed ? need("wgpuRenderPassEncoderMultiDrawIndexedIndirectCount") : need("wgpuRenderPassEncoderMultiDrawIndirectCount");
      f(pass, buffer, offset, countBuffer, countOffset, maxCount);
    },
    beginPipelineStatisticsQuery(kind, pass, querySet, index) {
      if (kind === "compute") need("wgpuComputePassEncoderBeginPipelineStatisticsQuery")(pass, querySet, index);
      else need("wgpuRenderPassEncoderBeginPipelineStatisticsQuery")(pass, querySet, index);
    },
    endPipelineStatisticsQuery(kind, pass) {
      if (kind === "compute") need("wgpuComputePassEncoderEndPipelineStatisticsQuery")(pass);
      else need("wgpuRenderPassEncoderEndPipelineStatisticsQuery")(pass);
    },
    writeStatisticsQuerySet(s, descriptor, statistics) {
      const D = layout.WGPUQuerySetDescriptor;
      const E = layout.WGPUQuerySetDescriptorExtras;
      const ex = s.alloc(E.$size);
      s.u32(ex + layout.WGPUChainedStruct.sType, WGPUNativeSType.QuerySetDescriptorExtras);
      s.ptr(ex + E.pipelineStatistics, s.bytes(Uint32Array.from(statistics)));
      s.u64(ex + E.pipelineStatisticCount, statistics.length);
      s.ptr(descriptor + D.nextInChain, s.addr(ex));
      s.u32(descriptor + D.type, WGPUNativeQueryType.PipelineStatistics);
    },
    writeTimestampInPass(kind, pass, querySet, index) {
      if (kind === "compute") need("wgpuComputePassEncoderWriteTimestamp")(pass, querySet, index);
      else need("wgpuRenderPassEncoderWriteTimestamp")(pass, querySet, index);
    },
    timestampPeriod: (queue) => need("wgpuQueueGetTimestampPeriod")(queue),
    writeTraceChain(s, directory) {
      const E = layout.WGPUDeviceExtras;
      const ex = s.alloc(E.$size);
      s.u32(ex + layout.WGPUChainedStruct.sType, WGPUNativeSType.DeviceExtras);
      s.stringView(ex + E.tracePath, directory);
      return s.addr(ex);
    },
    glslUnavailable: (version) =>
      withoutGLSL.has(version) ? `wgpu-native ${version} was built without its GLSL front end (it aborts on a GLSL module); use WGSL or SPIR-V` : null,
    writeGLSLSource(s, code, stage, defines) {
      const G = layout.WGPUShaderSourceGLSL;
      const D = layout.WGPUShaderDefine;
      const g = s.alloc(G.$size);
      s.u32(g + layout.WGPUChainedStruct.sType, WGPUNativeSType.ShaderSourceGLSL);
      s.u64(g + G.stage, stage);
      s.stringView(g + G.code, code);
      if (defines.length) {
        const list = s.alloc(D.$size * defines.length);
        defines.forEach(([name, value], i) => {
          s.stringView(list + i * D.$size + D.name, name);
          s.stringView(list + i * D.$size + D.value, value);
        });
        s.u32(g + G.defineCount, defines.length);
        s.ptr(g + G.defines, s.addr(list));
      }
      return s.addr(g);
    },
    generateReport(instance) {
      const generate = need("wgpuGenerateReport");
      const out = koffi.alloc("uint8_t", layout.WGPUGlobalReport.$size) as unknown as bigint;
      try {
        generate(instance, out);
        const r = koffi.decode(out, "WGPUGlobalReport") as { surfaces: RawCounts; hub: Record<string, RawCounts> };
        const counts: Record<string, EngineRegistryCounts> = { surfaces: convert(r.surfaces) };
        for (const [name, c] of Object.entries(r.hub)) counts[name] = convert(c);
        return counts;
      } finally {
        koffi.free(out);
      }
    },
  };
}

interface RawCounts {
  numAllocated: number | bigint;
  numKeptFromUser: number | bigint;
  numReleasedFromUser: number | bigint;
  elementSize: number | bigint;
}

function convert(c: RawCounts): EngineRegistryCounts {
  return {
    allocated: Number(c.numAllocated),
    keptFromUser: Number(c.numKeptFromUser),
    releasedFromUser: Number(c.numReleasedFromUser),
    elementSize: Number(c.elementSize),
  };
}

const SPIN_MS = 2;
const sleepCell = new Int32Array(new SharedArrayBuffer(4));
let workDoneCallback = 0n;
let nextWaitId = 1;
/** Bounded waits whose work-done callback came (a late one is removed by the next wait that ends). */
const finishedWaits = new Set<number>();

export function wgpuNativeExtras(fns: WgpuFunctions, instance: bigint) {
  const poll = fns.wgpuDevicePoll;
  const enumerate = fns.wgpuInstanceEnumerateAdapters;
  if (!poll || !enumerate) throw new Error("wgpu-ts: this wgpu-native lacks wgpuDevicePoll or wgpuInstanceEnumerateAdapters (wgpu.h)");
  return {
    /**
     * Returns when the device's submitted work is done and its callbacks ran (true), or when
     * `timeoutMs` passed (false). wgpuDevicePoll(wait) never returns on a GPU that never
     * finishes, so a bounded wait polls without waiting: spinning at first (short jobs end in
     * microseconds), then sleeping a quarter of a millisecond between polls.
     */
    waitForDevice(device: bigint, timeoutMs = Number.POSITIVE_INFINITY): boolean {
      if (timeoutMs === Number.POSITIVE_INFINITY) {
        poll(device, 1, null);
        return true;
      }
      // Done is when a work-done callback fires: wgpuDevicePoll's "queue empty" answer was seen
      // true just after a submit whose shader then ran on for good.
      const id = nextWaitId++;
      workDoneCallback ||= registerCallback("WGPUQueueWorkDoneCallback", ((_status: number, _message: unknown, userdata1: bigint) => {
        finishedWaits.add(Number(userdata1));
      }) as (...args: never[]) => void);
      const queue = fns.wgpuDeviceGetQueue(device);
      if (!queue) return true;
      try {
        fns.wgpuQueueOnSubmittedWorkDone(queue, {
          nextInChain: null,
          mode: WGPUCallbackMode.AllowProcessEvents,
          callback: workDoneCallback,
          userdata1: BigInt(id),
          userdata2: null,
        });
      } finally {
        fns.wgpuQueueRelease(queue);
      }
      const start = performance.now();
      for (;;) {
        poll(device, 0, null);
        if (finishedWaits.delete(id)) return true;
        const waited = performance.now() - start;
        if (waited >= timeoutMs) return false; // its callback may come later: finishedWaits forgets it then
        if (waited > SPIN_MS) Atomics.wait(sleepCell, 0, 0, 0.25); // short sleeps: a sync twin ends soon after its work
      }
    },
    enumerateAdapters(): bigint[] {
      const count = Number(enumerate(instance, null, null));
      if (count === 0) return [];
      const out = new BigUint64Array(count);
      enumerate(instance, null, out);
      return [...out].filter((h) => h !== 0n);
    },
  };
}

const toEngineLevel: Record<LogLevel, number> = {
  off: WGPULogLevel.Off,
  error: WGPULogLevel.Error,
  warn: WGPULogLevel.Warn,
  info: WGPULogLevel.Info,
  debug: WGPULogLevel.Debug,
  trace: WGPULogLevel.Trace,
};
const fromEngineLevel = ["error", "error", "warn", "info", "debug", "trace"] as const;

/**
 * Routes wgpu-native's log (wgpuSetLogCallback) to the logger, at the logger's level: the
 * engine filters by level itself, so that nothing crosses FFI below it.
 */
export function installWgpuNativeLogging(fns: WgpuFunctions): void {
  if (!fns.wgpuSetLogCallback || !fns.wgpuSetLogLevel) return;
  const callback = registerCallback("WGPULogCallback", ((level: number, message: StringViewValue) => {
    log(fromEngineLevel[level] ?? "info", readStringView(message), "wgpu-native");
  }) as (...args: never[]) => void);
  fns.wgpuSetLogCallback(callback, null);
  const setLevel = fns.wgpuSetLogLevel;
  onLogLevel((level) => setLevel(toEngineLevel[level]));
}
