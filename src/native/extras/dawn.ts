// Dawn's own structs and behaviour that webgpu.h does not cover: toggles and the timed WaitAny.
import type { LibraryHandle } from "koffi";
import { WGPUCallbackMode, WGPUWaitStatus, layout } from "../ffi/generated/webgpu.ts";
import { registerCallback, type WgpuFunctions } from "../ffi/bind.ts";
import type { Scratch } from "../convert/scratch.ts";
import type { DawnToggles } from "../engine/load.ts";
import type { EngineExtras } from "./wgpu-native.ts";

/**
 * WGPUDawnTogglesDescriptor (dawn.json "dawn toggles descriptor", chained into the instance
 * descriptor, request adapter options and device descriptor): { WGPUChainedStruct chain;
 * size_t enabledToggleCount; const char* const* enabledToggles; size_t disabledToggleCount;
 * const char* const* disabledToggles; }. Dawn's sType numbering gives its extensions 0x0005xxxx.
 */
export const DawnTogglesDescriptor = {
  sType: 0x0005000a,
  $size: 48,
  chainNext: 0,
  chainSType: 8,
  enabledToggleCount: 16,
  enabledToggles: 24,
  disabledToggleCount: 32,
  disabledToggles: 40,
} as const;

/**
 * Dawn's own features that its header (vendor/engines/dawn/include/webgpu.h) names; the others it
 * reports (0x0005xxxx) are left out until a header names them. Reported as
 * "chromium-experimental-timestamp-query-inside-passes", "unorm16-texture-formats"
 * (r16unorm & co, wgpu-native's "texture-format16bit-norm"), "multi-draw-indirect" (needs the
 * allow_unsafe_apis toggle) and "chromium-experimental-subgroup-matrix".
 */
export const dawnFeatures = {
  // Not in the vendored (Emdawnwebgpu) header; the value is that of Dawn's full headers of the same
  // era (where Unorm16TextureFormats is 0x0005000C as here), and this adapter lists it only with
  // allow_unsafe_apis, as Dawn does for that experimental feature.
  ChromiumExperimentalTimestampQueryInsidePasses: 0x00050003,
  Unorm16TextureFormats: 0x0005000c,
  MultiDrawIndirect: 0x00050031,
  ChromiumExperimentalSubgroupMatrix: 0x00050034,
} as const;

/** Standard WGSL language features newer than wgpu-native's webgpu.h, with Dawn's header's values. */
export const dawnWgslLanguageFeatureNames = {
  ImmediateAddressSpace: 0xb,
  BufferView: 0xc,
  SwizzleAssignment: 0xd,
  FragmentDepth: 0xe,
} as const;

const encoder = new TextEncoder();

function cStringArray(s: Scratch, names: readonly string[]): bigint {
  const table = s.alloc(names.length * 8);
  names.forEach((name, i) => {
    const bytes = encoder.encode(name + "\0");
    const at = s.alloc(bytes.length, 1);
    s.u8.set(bytes, at);
    s.ptr(table + i * 8, s.addr(at));
  });
  return s.addr(table);
}

/** Writes a toggles descriptor and returns its address, or 0n when there are no toggles. */
export function writeToggles(s: Scratch, toggles: DawnToggles | undefined, next: bigint = 0n): bigint {
  const enable = toggles?.enable ?? [];
  const disable = toggles?.disable ?? [];
  if (enable.length === 0 && disable.length === 0) return next;
  const T = DawnTogglesDescriptor;
  const off = s.alloc(T.$size);
  s.ptr(off + T.chainNext, next);
  s.u32(off + T.chainSType, T.sType);
  s.u64(off + T.enabledToggleCount, enable.length);
  if (enable.length) s.ptr(off + T.enabledToggles, cStringArray(s, enable));
  s.u64(off + T.disabledToggleCount, disable.length);
  if (disable.length) s.ptr(off + T.disabledToggles, cStringArray(s, disable));
  return s.addr(off);
}

const WAIT_SLICE_NS = 1_000_000_000n;
let workDoneCallback = 0n;

/**
 * Blocks until the device's queue has finished what was submitted, or `timeoutMs` passed: a
 * WaitAnyOnly wgpuQueueOnSubmittedWorkDone future waited on with the timed wgpuInstanceWaitAny
 * (the instance is created with the TimedWaitAny feature). True when it finished. Callbacks of
 * other operations then run in the next wgpuInstanceProcessEvents.
 */
export function dawnWaitForDevice(fns: WgpuFunctions, instance: bigint, device: bigint, timeoutMs = Number.POSITIVE_INFINITY): boolean {
  // The no-op callback only completes the future; nobody waits on its arguments.
  workDoneCallback ||= registerCallback("WGPUQueueWorkDoneCallback", () => {});
  const queue = fns.wgpuDeviceGetQueue(device);
  if (!queue) return true;
  let future: { id: bigint | number };
  try {
    future = fns.wgpuQueueOnSubmittedWorkDone(queue, {
      nextInChain: null,
      mode: WGPUCallbackMode.WaitAnyOnly,
      callback: workDoneCallback,
      userdata1: null,
      userdata2: null,
    }) as { id: bigint | number };
  } finally {
    fns.wgpuQueueRelease(queue);
  }
  const info = new BigUint64Array(layout.WGPUFutureWaitInfo.$size / 8);
  info[0] = BigInt(future.id);
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const left = deadline - performance.now();
    const slice = left >= 1000 ? WAIT_SLICE_NS : BigInt(Math.max(0, Math.ceil(left * 1e6)));
    const status = fns.wgpuInstanceWaitAny(instance, 1, info, slice);
    if (status !== WGPUWaitStatus.TimedOut) return true;
    if (performance.now() >= deadline) return false;
  }
}

type WriteTimestamp = (pass: bigint, querySet: bigint, index: number) => void;
type MultiDraw = (pass: bigint, buffer: bigint, offset: number, maxDrawCount: number, drawCountBuffer: bigint | null, drawCountOffset: number) => void;

/**
 * Dawn behind the engine-neutral extras of `wgpu-ts/native`. Immediates are core on Dawn (no
 * feature, only the maxImmediateSize limit). Multi-draw is Dawn's "multi-draw-indirect" (it needs
 * the allow_unsafe_apis toggle), one function for both forms: wgpuRenderPassEncoderMultiDraw
 * [Indexed]Indirect(pass, buffer, offset, maxDrawCount, drawCountBuffer, drawCountBufferOffset),
 * the names wgpu.h uses with other arguments, so they are bound here from the library itself.
 * Timestamps inside passes and encoders are Dawn's chromium-experimental-timestamp-query-inside-passes
 * (allow_unsafe_apis too), already in nanoseconds. Pipeline statistics, GLSL and traces: absent.
 */
export function dawnApiExtras(lib: LibraryHandle): EngineExtras {
  const params = ["void *", "void *", "uint64_t", "uint32_t", "void *", "uint64_t"];
  const writeTimestamp: Partial<Record<"compute" | "render", WriteTimestamp>> = {};
  let draws: [MultiDraw, MultiDraw] | undefined;
  const multiDraw = (indexed: boolean): MultiDraw => {
    draws ??= [
      lib.func("wgpuRenderPassEncoderMultiDrawIndirect", "void", params) as MultiDraw,
      lib.func("wgpuRenderPassEncoderMultiDrawIndexedIndirect", "void", params) as MultiDraw,
    ];
    return draws[indexed ? 1 : 0];
  };
  return {
    features: {
      statistics: "pipeline-statistics-query",
      timestampInsidePasses: "chromium-experimental-timestamp-query-inside-passes",
      timestampInsideEncoders: "chromium-experimental-timestamp-query-inside-passes",
      multiDrawIndirect: "multi-draw-indirect",
      multiDrawIndirectCount: "multi-draw-indirect",
    },
    multiDrawIndirect: (pass, buffer, offset, count, indexed) => multiDraw(indexed)(pass, buffer, offset, count, null, 0),
    multiDrawIndirectCount: (pass, buffer, offset, countBuffer, countOffset, maxCount, indexed) =>
      multiDraw(indexed)(pass, buffer, offset, maxCount, countBuffer, countOffset),
    writeTimestampInPass(kind, pass, querySet, index) {
      writeTimestamp[kind] ??= lib.func(`wgpu${kind === "compute" ? "Compute" : "Render"}PassEncoderWriteTimestamp`, "void", [
        "void *",
        "void *",
        "uint32_t",
      ]) as WriteTimestamp;
      writeTimestamp[kind]!(pass, querySet, index);
    },
    timestampPeriod: () => 1,
    glslUnavailable: () => "Dawn has no GLSL front end; use WGSL or SPIR-V",
  };
}
