// Where an uncaptured GPU error came from, and strict mode (DESIGN.md §6).
// wgpu-native calls its uncaptured-error callback synchronously inside the failing call, so
// the engine functions that can fail are wrapped to remember which call is running and on
// which objects: the report names them with their labels, and strict mode throws the error
// from that very call once it returns (a throw cannot cross the engine's stack).
import { join, sep } from "node:path";
import { pathToFileURL } from "node:url";
import type { GPUError } from "../api/errors.ts";
import type { FunctionDecl } from "./ffi/generated/webgpu.ts";
import { insideEngineCallback } from "./ffi/bind.ts";
import { describeHandle } from "./object.ts";
import { packageRoot } from "./engine/package-root.ts";

let depth = 0;
let callName = "";
let arg0: unknown;
let arg1: unknown;
let arg2: unknown;
/** An error to throw from the running engine call once it returns (strict mode). */
let pending: GPUError | undefined;
let pendingResultRelease: ((h: bigint) => void) | null = null;

const strictDevices = new WeakSet<object>();

/** Strict mode for a device: its uncaptured errors are thrown from the call that caused them. */
export function setStrict(device: object, strict: boolean): void {
  if (strict) strictDevices.add(device);
  else strictDevices.delete(device);
}

export function isStrict(device: object): boolean {
  return strictDevices.has(device);
}

/** WGPU_STRICT=1 (or true/yes/on) makes every device strict unless its descriptor says otherwise. */
export function strictFromEnv(value = process.env.WGPU_STRICT): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}

// Pass and bundle commands report their errors at finish, and getters, release and polling
// report none: they stay unwrapped, so the hot paths cost nothing more.
const unwrapped =
  /^wgpu(ComputePassEncoder|RenderPassEncoder|RenderBundleEncoder(?!Finish))|(Release|AddRef|FreeMembers)$|^wgpu(InstanceProcessEvents|DevicePoll|GetVersion|SetLog\w+|GenerateReport)$|Get(Limits|Features|Info|Queue|MapState|Size|Usage)$|^wgpuBufferGet(Const)?MappedRange$/;

/** What to release when a call that made an object is cut short by a strict-mode throw. */
function releaseOf(name: string, fns: Record<string, unknown>): ((h: bigint) => void) | null {
  const kind =
    /^wgpuDeviceCreate(\w+?)(Async)?$/.exec(name)?.[1] ??
    { wgpuCommandEncoderFinish: "CommandBuffer", wgpuRenderBundleEncoderFinish: "RenderBundle", wgpuTextureCreateView: "TextureView" }[name] ??
    (/GetBindGroupLayout$/.test(name) ? "BindGroupLayout" : undefined);
  if (!kind) return null;
  return (fns[`wgpu${kind}Release`] as ((h: bigint) => void) | undefined) ?? null;
}

/** Wraps the engine functions that can raise errors (see `unwrapped`), in place. */
export function wrapForErrorContext(fns: Record<string, unknown>, decls: Record<string, FunctionDecl>): void {
  for (const [name, f] of Object.entries(fns)) {
    const decl = decls[name];
    if (typeof f !== "function" || !decl || decl.params[0] !== "void *" || unwrapped.test(name)) continue;
    const call = f as (...a: unknown[]) => unknown;
    const release = decl.ret === "void *" ? releaseOf(name, fns) : null;
    const enter = (a: unknown, b: unknown, c: unknown) => {
      if (depth++ > 0) return;
      callName = name;
      arg0 = a;
      arg1 = b;
      arg2 = c;
      pendingResultRelease = release;
    };
    // Fixed arities, so that no rest array is made per call (writeBuffer and submit are hot).
    // `leave` throws a strict-mode error; `finally` unwinds the depth whatever happens.
    const u = undefined;
    const wrapped = [
      () => {
        enter(u, u, u);
        try {
          return leave(call());
        } finally {
          depth--;
        }
      },
      (a: unknown) => {
        enter(a, u, u);
        try {
          return leave(call(a));
        } finally {
          depth--;
        }
      },
      (a: unknown, b: unknown) => {
        enter(a, b, u);
        try {
          return leave(call(a, b));
        } finally {
          depth--;
        }
      },
      (a: unknown, b: unknown, c: unknown) => {
        enter(a, b, c);
        try {
          return leave(call(a, b, c));
        } finally {
          depth--;
        }
      },
      (a: unknown, b: unknown, c: unknown, d: unknown) => {
        enter(a, b, c);
        try {
          return leave(call(a, b, c, d));
        } finally {
          depth--;
        }
      },
      (a: unknown, b: unknown, c: unknown, d: unknown, e: unknown) => {
        enter(a, b, c);
        try {
          return leave(call(a, b, c, d, e));
        } finally {
          depth--;
        }
      },
      (a: unknown, b: unknown, c: unknown, d: unknown, e: unknown, g: unknown) => {
        enter(a, b, c);
        try {
          return leave(call(a, b, c, d, e, g));
        } finally {
          depth--;
        }
      },
      (a: unknown, b: unknown, c: unknown, d: unknown, e: unknown, g: unknown, h: unknown) => {
        enter(a, b, c);
        try {
          return leave(call(a, b, c, d, e, g, h));
        } finally {
          depth--;
        }
      },
    ][decl.params.length];
    if (wrapped) fns[name] = wrapped;
  }
}

/** Runs as the outermost wrapped call returns: throws the strict-mode error it caused, if any. */
function leave<T>(result: T): T {
  if (depth > 1) return result;
  const error = pending;
  if (error === undefined) return result;
  pending = undefined;
  if (typeof result === "bigint" && result !== 0n) pendingResultRelease?.(result);
  throw fromUserCall(error);
}

/**
 * The frames of wgpu-ts itself are skipped to find the caller's line: its src/ and dist/ (both,
 * since with --enable-source-maps the bundle's frames name src/), as paths and as file URLs.
 */
const ownDirs = ["src", "dist"].flatMap((d) => [join(packageRoot, d) + sep, pathToFileURL(join(packageRoot, d)).href + "/"]);

/** The frames of the running stack that are not wgpu-ts's (nor Node's internals), innermost first. */
function userFrames(): string[] {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 40 + limit;
  const stack = new Error().stack ?? "";
  Error.stackTraceLimit = limit;
  const lines = stack.split("\n").slice(1);
  return lines.filter((line) => !ownDirs.some((d) => line.includes(d)) && !line.includes("node:internal") && !line.includes("(native)")).slice(0, limit);
}

function callerFrame(): string | null {
  return userFrames()[0]?.trim().replace(/^at /, "") ?? null;
}

/**
 * A strict-mode error, its stack made to start at the user's call: it was made in the engine's
 * callback, under the library's frames, which say nothing to the user.
 */
function fromUserCall(error: GPUError): GPUError {
  const stack = `${error.name}: ${error.message}\n${userFrames().join("\n")}`;
  Object.defineProperty(error, "stack", { value: stack, configurable: true, writable: true });
  return error;
}

/** The objects of the running engine call, described with their labels. */
function callObjects(): string {
  // The device is named anyway (the error is its): the other objects say more.
  const named = [arg0, arg1, arg2].map(describeHandle).filter((d) => d !== null && !d.startsWith("GPUDevice"));
  return [...new Set(named)].join(", ");
}

/**
 * For an error that no error scope took. In strict mode it is thrown from the call that caused
 * it (now, or as the engine call returns) and null is returned; otherwise returns a line saying
 * where it came from, for the report.
 */
export function takeUncaptured(device: object, error: GPUError): string | null {
  const objects = depth > 0 ? callObjects() : "";
  const caller = callerFrame();
  const origin = [objects && `in ${objects}`, depth > 0 && `(${callName})`, caller && `at ${caller}`].filter(Boolean).join(" ");
  if (!isStrict(device)) return origin;
  if (depth > 0) {
    pending ??= error;
    return null;
  }
  // Called back by the engine outside any call of ours: nothing to throw from, so report it.
  if (insideEngineCallback()) return origin;
  throw fromUserCall(error);
}
