// What differs between engines at run time, decided here and nowhere else.
import { WGPUInstanceFeatureName, WGPUNativeFeature, WGPUWGSLLanguageFeatureName, layout } from "../ffi/generated/webgpu.ts";
import type { WgpuFunctions } from "../ffi/bind.ts";
import { withScratch, type Scratch } from "../convert/scratch.ts";
import type { LibraryHandle } from "koffi";
import { installWgpuNativeLogging, wgpuNativeApiExtras, wgpuNativeExtras, type EngineExtras } from "../extras/wgpu-native.ts";
import { writeInstanceDescriptor } from "./instance-options.ts";
import { dawnApiExtras, dawnFeatures, dawnWaitForDevice, dawnWgslLanguageFeatureNames, writeToggles } from "../extras/dawn.ts";
import type { DawnToggles, EngineName } from "./load.ts";
import { routeNativeStderr } from "./native-stderr.ts";

/** The descriptors an engine may extend with structs of its own (`nextInChain`). */
export type ChainRoot = "requestAdapter" | "requestDevice";

export interface EngineBehaviour {
  /**
   * Blocks until the device has finished its submitted work and fired the callbacks that were
   * waiting on it, or until `timeoutMs` passed (default: no bound); true when it finished. Used by
   * the `...Sync` twins, the exit hook and destroy, with the watchdog's bound (watchdog.ts).
   */
  waitForDevice(device: bigint, timeoutMs?: number): boolean;
  /** Every adapter of the instance, where the engine can list them (else the default adapter stands for the list). */
  enumerateAdapters?(): bigint[];
  /**
   * webgpu.h functions the engine exports but aborts in (wgpu-native's src/unimplemented.rs,
   * found by calling each in a child process): the backend works around each one.
   */
  unimplemented: ReadonlySet<string>;
  /**
   * Kinds whose wgpu*Destroy removes the engine's object at once (wgpu-native 29's
   * wgpuQuerySetDestroy takes the query set out of wgpu-core's storage): any later use of the
   * handle, its release included, panics. Their destroy() stays on the JS side (the submit checks
   * read it) and their memory goes back at release (dispose or the garbage collector).
   */
  destroyRemoves: ReadonlySet<string>;
  /**
   * Kinds whose memory the engine frees only when it next ticks (wgpuInstanceProcessEvents):
   * a loop that releases many and never waits for anything is made to tick now and then.
   */
  freedAtTick: ReadonlySet<string>;
  /**
   * The engine never frees a command buffer that was finished but not submitted, released or not
   * (wgpu-native 29: about 100 KiB each on lavapipe), nor the device it belongs to (~10 MiB a
   * destroyed device). Nothing in webgpu.h frees it: see the note at GPUCommandEncoder.finish.
   */
  keepsUnsubmitted: boolean;
  /** The engine's own extension structs for a descriptor, as its `nextInChain` (0n: none). */
  chain(s: Scratch, root: ChainRoot): bigint;
  /** The engine's own WGPUFeatureName values (beyond the spec's), by C name; reported in kebab-case. */
  engineFeatures: Readonly<Record<string, number>>;
  /**
   * The WGSL language features, where the engine cannot list them (wgpuInstanceGetWGSLLanguageFeatures
   * unimplemented): the ones its compiler accepts in a `requires` directive (test/features-limits.test.ts checks).
   */
  wgslLanguageFeatures?: readonly string[];
  /** WGPUWGSLLanguageFeatureName values by C name, as the engine's header has them. */
  wgslLanguageFeatureNames: Readonly<Record<string, number>>;
  /** The engine's side of `wgpu-ts/native` (made on first use). */
  apiExtras(): EngineExtras;
  /** Spec vertex formats the engine aborts on (creating a pipeline with one is a validation error instead). */
  unsupportedVertexFormats: ReadonlySet<string>;
  /**
   * Features the engine lists on adapters but refuses in requestDevice (wgpu-native's experimental
   * ones, behind a flag webgpu.h cannot set): left out of adapter.features.
   */
  ungrantableFeatures: ReadonlySet<string>;
  /**
   * Engine features whose grant relaxes the spec's validation (wgpu-native's mappable-primary-buffers
   * lets a MAP_READ buffer be a STORAGE one): left out of adapter.features, so that a program that
   * asks for every listed feature (the CTS does) keeps the spec's rules; still granted when named.
   */
  relaxingFeatures: ReadonlySet<string>;
  /**
   * Spec features the engine has without naming them: listed on its adapters and devices, never
   * sent to the engine (wgpu-native has no core-features-and-limits, and every adapter it gives
   * through webgpu.h on Vulkan, Metal and D3D12 is a core one).
   */
  impliedFeatures(backendType: string): readonly string[];
  /**
   * Limits the engine has a field for but does not keep (it reads 0): reported as the spec's
   * default (limitDefaults), which the engine's other limits keep true, and never sent to it.
   */
  lackedLimits: ReadonlySet<string>;
  /**
   * Upper bounds on limits the engine reports beyond any use (wgpu-native on lavapipe: 124976
   * sampled textures per stage), where using that many takes minutes: reported as the bound.
   */
  limitCaps: Readonly<Partial<Record<string, number>>>;
  /**
   * Limits the engine checks earlier than the spec (wgpu-native: maxBindGroups at shader module
   * creation, where the spec checks a pipeline's layout): the engine's device gets the adapter's
   * value, and wgpu-ts reports and enforces the one granted (pipeline.ts, binding.ts, pass-encoder.ts).
   */
  earlyCheckedLimits: ReadonlySet<string>;
  /** A texel copy's bytesPerRow or rowsPerImage of 0 aborts the engine (else it validates them as the spec). */
  zeroStrideAborts: boolean;
  /**
   * The engine tracks an encoder copy's origin.z in a 3D texture as an array layer, so the copy
   * marks nothing initialized and a later submit clears its data (wgpu-core 29, gfx-rs/wgpu#9765):
   * 3D copy destinations are initialized when made (volume-init.ts).
   */
  volumeCopiesTrackZAsLayer: boolean;
  /** A render pass starts with no blend constant (the spec's is [0, 0, 0, 0]): each pass sets it first. */
  blendConstantUnset: boolean;
  /**
   * A buffer mapped at creation without MAP_WRITE gets its bytes from a staging copy in the next
   * submit, which a MAP_READ mapping does not wait for (gfx-rs/wgpu#5173): its unmap submits.
   */
  createdMappingCopiedAtSubmit: boolean;
  /** A render bundle's pipelines never get the pass's stencil reference: the pass sets them before it executes bundles. */
  bundlesMissStencilReference: boolean;
  /** The engine takes externalTexture bind group layout entries, with texture views bound to them (Dawn; wgpu-native has no external textures). */
  externalTextureLayouts: boolean;
}

export interface EngineStart {
  instance: bigint;
  behaviour: EngineBehaviour;
}

/** Settings the engine reads when it needs them (the object stays the same, its members may change). */
export interface EngineSettings {
  dawnToggles?: DawnToggles;
}

function createInstance(fns: WgpuFunctions, write: (s: Scratch) => bigint | null): bigint {
  const instance = withScratch((s) => fns.wgpuCreateInstance(write(s)));
  if (!instance) throw new Error("wgpu-ts: wgpuCreateInstance failed");
  return instance;
}

function wgpuNative(fns: WgpuFunctions): EngineStart {
  // wgpu-native has no instance features (requesting one aborts); its own backends and flags
  // (WGPUInstanceExtras, setInstanceExtras / WGPU_BACKEND_TYPE) go in the descriptor.
  const instance = createInstance(fns, writeInstanceDescriptor);
  const extras = wgpuNativeExtras(fns, instance);
  // The engine's log goes to wgpu-ts's logger (WGPU_LOG_LEVEL) from the start.
  installWgpuNativeLogging(fns);
  return {
    instance,
    behaviour: {
      // wgpuInstanceWaitAny panics on wgpu-native; wgpuDevicePoll(wait) is its blocking wait.
      waitForDevice: extras.waitForDevice,
      enumerateAdapters: extras.enumerateAdapters,
      unimplemented: new Set([
        "SetLabel", // every wgpu*SetLabel
        "wgpuBufferGetMapState",
        "wgpuInstanceGetWGSLLanguageFeatures",
        "wgpuInstanceHasWGSLLanguageFeature",
        "wgpuShaderModuleGetCompilationInfo",
        "wgpuDeviceCreateComputePipelineAsync",
        "wgpuDeviceCreateRenderPipelineAsync",
      ]),
      // wgpuQuerySetRelease after wgpuQuerySetDestroy panics in wgpu-core 29.0.3's query_set_drop
      // ("Cannot remove a vacant resource"; "id epoch mismatch" once the slot is reused); a release
      // alone frees the set (probed: fresh, failed, used in a pass and resolved, after device.destroy).
      destroyRemoves: new Set(["QuerySet"]),
      freedAtTick: new Set(),
      keepsUnsubmitted: true,
      chain: () => 0n,
      engineFeatures: WGPUNativeFeature,
      wgslLanguageFeatureNames: WGPUWGSLLanguageFeatureName,
      // naga 29 implements these; the others it parses as "not yet supported".
      wgslLanguageFeatures: ["packed_4x8_integer_dot_product", "pointer_composite_access", "readonly_and_readwrite_storage_textures"],
      // wgpu-native 29.0.1.1 panics converting it ("invalid vertex format for vertex attribute: 41").
      unsupportedVertexFormats: new Set(["unorm8x4-bgra"]),
      zeroStrideAborts: true,
      volumeCopiesTrackZAsLayer: true,
      blendConstantUnset: true,
      createdMappingCopiedAtSubmit: true,
      bundlesMissStencilReference: true,
      // "Some experimental features, EXPERIMENTAL_RAY_QUERY, were requested, but experimental
      // features are not enabled" (wgpu-native 29 lists them, and has no way to enable them).
      ungrantableFeatures: new Set(["ray-query", "cooperative-matrix"]),
      // Mapping any buffer, formats' capabilities beyond the spec's tables, writable storage in
      // vertex shaders, multisampled array textures: each turns spec validation errors into successes.
      relaxingFeatures: new Set(["mappable-primary-buffers", "texture-adapter-specific-format-features", "vertex-writable-storage", "multisample-array"]),
      // Its OpenGL ES adapters are downlevel ones (wgpu's DownlevelFlags), not core WebGPU.
      impliedFeatures: (backend) => (backend === "OpenGL" || backend === "OpenGLES" ? [] : ["core-features-and-limits"]),
      lackedLimits: new Set(["maxBindGroupsPlusVertexBuffers"]),
      // A pipeline with 62488 sampled textures took over 300 s to make (the CTS's limit tests
      // use half the reported maximum); Dawn reports 48 on the same driver.
      limitCaps: {
        maxSampledTexturesPerShaderStage: 1024,
        maxSamplersPerShaderStage: 1024,
        maxUniformBuffersPerShaderStage: 1024,
        maxDynamicUniformBuffersPerPipelineLayout: 1024,
      },
      // "Shader global ResourceBinding { group: 4, .. } uses a group index 4 that exceeds the max_bind_groups limit of 4."
      earlyCheckedLimits: new Set(["maxBindGroups"]),
      externalTextureLayouts: false,
      apiExtras: () => wgpuNativeApiExtras(fns),
    },
  };
}

function dawn(fns: WgpuFunctions, lib: LibraryHandle, settings: EngineSettings): EngineStart {
  // TimedWaitAny: the Sync twins wait with a timeout in wgpuInstanceWaitAny.
  const instance = createInstance(fns, (s) => {
    const L = layout.WGPUInstanceDescriptor;
    const off = s.alloc(L.$size);
    s.ptr(off + L.nextInChain, writeToggles(s, settings.dawnToggles));
    const features = Uint32Array.of(WGPUInstanceFeatureName.TimedWaitAny);
    s.u64(off + L.requiredFeatureCount, features.length);
    s.ptr(off + L.requiredFeatures, s.bytes(features));
    return s.addr(off);
  });
  // The first adapter request discovers the adapters, where Dawn prints its warnings to stderr.
  const requestAdapter = fns.wgpuInstanceRequestAdapter;
  fns.wgpuInstanceRequestAdapter = (...args) => {
    fns.wgpuInstanceRequestAdapter = requestAdapter;
    return routeNativeStderr("dawn", () => requestAdapter(...args));
  };
  return {
    instance,
    behaviour: {
      waitForDevice: (device, timeoutMs) => dawnWaitForDevice(fns, instance, device, timeoutMs),
      // No enumerateAdapters: webgpu.h has none, and Dawn's C++ EnumerateAdapters is not in its C API.
      // Dawn implements every webgpu.h function, labels and query-set release included.
      unimplemented: new Set(),
      destroyRemoves: new Set(),
      // A released bind group's descriptor set (one memory mapping each on lavapipe) goes back at
      // the next tick: 100k released without one held 63k mappings and crashed at the kernel's limit.
      // Query sets, buffers and textures too (made and disposed, RSS less V8's heap: 100k query
      // sets +17 MiB without, +7.5 with; 100k buffers +101-111, +15-18; 50k textures +50).
      freedAtTick: new Set(["BindGroup", "QuerySet", "Buffer", "Texture"]),
      keepsUnsubmitted: false,
      // The same toggles reach the instance, the adapter and the device, each taking its stage's
      // (read at each request: toggles set after load reach later adapters and devices).
      chain: (s) => writeToggles(s, settings.dawnToggles),
      engineFeatures: dawnFeatures,
      wgslLanguageFeatureNames: { ...WGPUWGSLLanguageFeatureName, ...dawnWgslLanguageFeatureNames },
      unsupportedVertexFormats: new Set(),
      zeroStrideAborts: false,
      volumeCopiesTrackZAsLayer: false,
      blendConstantUnset: false,
      createdMappingCopiedAtSubmit: false,
      bundlesMissStencilReference: false,
      // Dawn lists what it grants, core-features-and-limits included, and keeps every limit.
      ungrantableFeatures: new Set(),
      relaxingFeatures: new Set(),
      impliedFeatures: () => [],
      lackedLimits: new Set(),
      limitCaps: {},
      earlyCheckedLimits: new Set(),
      externalTextureLayouts: true,
      apiExtras: () => dawnApiExtras(lib),
    },
  };
}

/** Creates the instance for the loaded engine and returns how that engine is driven. */
export function startEngine(name: EngineName, fns: WgpuFunctions, lib: LibraryHandle, settings: EngineSettings = {}): EngineStart {
  if (name === "wgpu-native") return wgpuNative(fns);
  if (name === "dawn") return dawn(fns, lib, settings);
  throw new Error(`wgpu-ts: engine "${name as string}" is not supported`);
}
