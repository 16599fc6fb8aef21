// What the instance is made with: backends and flags chosen before the first engine call
// (wgpu-native's WGPUInstanceExtras), from `setInstanceExtras` or the WGPU_BACKEND_TYPE variable.
import { WGPUInstanceBackend, WGPUInstanceFlag, WGPUNativeSType, layout } from "../ffi/generated/webgpu.ts";
import type { Scratch } from "../convert/scratch.ts";
import { existsSync, readdirSync } from "node:fs";

export type InstanceBackendName = "vulkan" | "gl" | "metal" | "dx12" | "browser-webgpu" | "primary" | "secondary" | "all";
export type InstanceFlagName =
  | "debug"
  | "validation"
  | "discard-hal-labels"
  | "allow-underlying-noncompliant-adapter"
  | "gpu-based-validation"
  | "validation-indirect-call"
  | "automatic-timestamp-normalization"
  | "default"
  | "debugging"
  | "advanced-debugging"
  | "with-env";

export interface InstanceExtras {
  /** The backends the instance may use; all of them when left out. */
  backends?: readonly InstanceBackendName[];
  /** Debug and validation flags; the engine's defaults when left out. */
  flags?: readonly InstanceFlagName[];
}

const B = WGPUInstanceBackend;
const backendBits = new Map<string, number>([
  ["vulkan", B.Vulkan],
  ["gl", B.GL],
  ["metal", B.Metal],
  ["dx12", B.DX12],
  ["browser-webgpu", B.BrowserWebGPU],
  ["primary", B.Primary],
  ["secondary", B.Secondary],
  ["all", B.All],
]);
const F = WGPUInstanceFlag;
const flagBits = new Map<string, number>([
  ["debug", F.Debug],
  ["validation", F.Validation],
  ["discard-hal-labels", F.DiscardHalLabels],
  ["allow-underlying-noncompliant-adapter", F.AllowUnderlyingNoncompliantAdapter],
  ["gpu-based-validation", F.GPUBasedValidation],
  ["validation-indirect-call", F.ValidationIndirectCall],
  ["automatic-timestamp-normalization", F.AutomaticTimestampNormalization],
  ["default", F.Default],
  ["debugging", F.Debugging],
  ["advanced-debugging", F.AdvancedDebugging],
  ["with-env", F.WithEnv],
]);

/**
 * WGPU_BACKEND_TYPE takes wgpu-py's values (WGPUBackendType names: Vulkan, Metal, D3D12,
 * OpenGL, OpenGLES, WebGPU), case-insensitively, and the instance backend names.
 */
const envBackends: Record<string, InstanceBackendName> = {
  vulkan: "vulkan",
  metal: "metal",
  d3d12: "dx12",
  dx12: "dx12",
  opengl: "gl",
  opengles: "gl",
  gl: "gl",
  webgpu: "browser-webgpu",
  "browser-webgpu": "browser-webgpu",
};

let chosen: InstanceExtras | undefined;
let made = false;

/** Called by the runtime once the instance exists: later choices are refused. */
export function markInstanceMade(): void {
  made = true;
}

export function instanceMade(): boolean {
  return made;
}

function names<T extends string>(ctx: string, member: string, v: unknown, table: Map<string, number>): T[] {
  if (v === undefined) return [];
  if (typeof v === "string" || !v || typeof (v as Iterable<unknown>)[Symbol.iterator] !== "function") {
    throw new TypeError(`${ctx}: ${member} must be a sequence of names, got ${typeof v}`);
  }
  return [...(v as Iterable<unknown>)].map((n, i) => {
    const name = String(n).toLowerCase().replace(/_/g, "-");
    if (!table.has(name))
      throw new TypeError(`${ctx}: ${member}[${i}] (${JSON.stringify(n)}) must be one of ${[...table.keys()].map((k) => `"${k}"`).join(", ")}`);
    return name as T;
  });
}

/** Records the choices for the instance that the first engine call makes. */
export function chooseInstanceExtras(ctx: string, extras: InstanceExtras): void {
  if (made) throw new Error(`${ctx}: the engine's instance already exists; choose backends and flags before the first adapter request (or any other GPU call)`);
  if (typeof extras !== "object" || extras === null) throw new TypeError(`${ctx}: extras must be an object`);
  chosen = {
    backends: names<InstanceBackendName>(ctx, "backends", extras.backends, backendBits),
    flags: extras.flags === undefined ? undefined : names<InstanceFlagName>(ctx, "flags", extras.flags, flagBits),
  };
}

function backendsFromEnv(): InstanceBackendName[] {
  const v = process.env.WGPU_BACKEND_TYPE?.trim();
  if (!v) return [];
  const name = envBackends[v.toLowerCase()];
  if (!name) {
    throw new Error(`wgpu-ts: WGPU_BACKEND_TYPE (${JSON.stringify(v)}) must be one of Vulkan, Metal, D3D12, OpenGL, OpenGLES, WebGPU`);
  }
  return [name];
}

const ICD_DIRS = ["/usr/share/vulkan/icd.d", "/etc/vulkan/icd.d", "/usr/local/share/vulkan/icd.d"];

/**
 * The backends when none were chosen: the primary ones (Vulkan, Metal, DX12) where a Vulkan driver
 * is installed or the platform is not Linux, else all (the engine's default). Leaving GL out where
 * it is not needed saves its EGL set-up, about 150 ms of every process start (measured with
 * lavapipe: 230 ms -> 70 ms for the instance). WGPU_ADAPTER_NAME picks among all adapters, so
 * with it set every backend is enabled.
 */
export function defaultBackends(): InstanceBackendName[] {
  if (process.env.WGPU_ADAPTER_NAME) return [];
  if (process.platform !== "linux") return ["primary"];
  if (process.env.VK_DRIVER_FILES || process.env.VK_ICD_FILENAMES || process.env.VK_ADD_DRIVER_FILES) return ["primary"];
  const hasIcd = ICD_DIRS.some((d) => existsSync(d) && readdirSync(d).some((f) => f.endsWith(".json")));
  return hasIcd ? ["primary"] : [];
}

/**
 * Writes the WGPUInstanceDescriptor for wgpu-native, or returns null when nothing was chosen and
 * the default backends are all of them (the engine's own defaults, exactly as without extras).
 */
export function writeInstanceDescriptor(s: Scratch): bigint | null {
  const fromChoice = chosen?.backends?.length ? chosen.backends : backendsFromEnv();
  const backends = fromChoice.length ? fromChoice : defaultBackends();
  const flags = chosen?.flags;
  if (!backends.length && flags === undefined) return null;
  const D = layout.WGPUInstanceDescriptor;
  const E = layout.WGPUInstanceExtras;
  const off = s.alloc(D.$size);
  const ex = s.alloc(E.$size);
  s.u32(ex + layout.WGPUChainedStruct.sType, WGPUNativeSType.InstanceExtras);
  s.u64(
    ex + E.backends,
    backends.reduce((bits, b) => bits | backendBits.get(b)!, 0),
  );
  s.u64(ex + E.flags, flags === undefined ? WGPUInstanceFlag.Default : flags.reduce((bits, f) => bits | flagBits.get(f)!, 0));
  s.ptr(off + D.nextInChain, s.addr(ex));
  return s.addr(off);
}
