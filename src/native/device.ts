// GPUDevice: https://www.w3.org/TR/webgpu/#gpudevice
import { GPUAdapterInfo, type GPUSupportedFeatures, type GPUSupportedLimits } from "../api/adapter-info.ts";
import { enumValue } from "../api/check.ts";
import { GPUDeviceLostInfo, GPUOutOfMemoryError, GPUUncapturedErrorEvent, GPUValidationError, type GPUError } from "../api/errors.ts";
import { reportUncapturedError } from "../api/uncaptured.ts";
import { GPUErrorFilter } from "./ffi/generated/string-enums.ts";
import { readFeatures, readLimits } from "./convert/adapter-props.ts";
import { attachSink, type DeviceSink } from "./device-events.ts";
import { takeUncaptured } from "./error-context.ts";
import { ERROR_COUNT, HANDLE, IS_LOST, KEEP_NATIVE, LOSE_MAPPING, NativeEventTarget, ROUTE_ERROR, setOwner, TRACK_MAPPED } from "./object.ts";
import { pump } from "./pump.ts";
import { unwatchDevice, watchDevice, watchdogMs } from "./watchdog.ts";
import { rt } from "./runtime.ts";
import { impliedFeaturesOf, type GPUAdapter } from "./adapter.ts";
import { GPUBuffer, createBuffer, createBufferWithData } from "./buffer.ts";
import { GPUQueue } from "./queue.ts";
import { GPUShaderModule, createShaderModule } from "./shader-module.ts";
import { GPUBindGroup, GPUBindGroupLayout, GPUPipelineLayout, createBindGroup, createBindGroupLayout, createPipelineLayout } from "./binding.ts";
import { GPUComputePipeline, createComputePipeline, createComputePipelineAsync, createComputePipelineAsyncSync } from "./compute-pipeline.ts";
import { GPUCommandEncoder, createCommandEncoder } from "./command-encoder.ts";
import { GPUQuerySet, createQuerySet } from "./query-set.ts";
import { GPURenderPipeline, createRenderPipeline, createRenderPipelineAsync, createRenderPipelineAsyncSync } from "./render-pipeline.ts";
import { GPURenderBundleEncoder, createRenderBundleEncoder } from "./render-bundle.ts";
import { GPUTexture, createTexture } from "./texture.ts";
import { GPUSampler, createSampler } from "./sampler.ts";

/** The standard handler type (@webgpu/types): `this` is the standard GPUDevice, so that ours conforms to it. */
type UncapturedErrorHandler = (this: globalThis.GPUDevice, ev: globalThis.GPUUncapturedErrorEvent) => unknown;

export interface DeviceInit {
  handle: bigint;
  adapter: GPUAdapter;
  label: string;
  queueLabel: string;
  registryId: number;
  /** The watchdog's bound (watchdog.ts). */
  watchdogMs: number;
  /** Limits reported other than the engine's (behaviour.earlyCheckedLimits). */
  reportedLimits: Readonly<Record<string, number>>;
}

/** The longest destroy() waits for a busy GPU before it leaves the engine's device be (Dawn's destroy would wait forever). */
const DESTROY_WAIT_MS = 250;

/** At release: true when the device's GPU is still busy (a module function: a closure could hold the device). */
const stillBusy = (handle: bigint): boolean => !rt().behaviour.waitForDevice(handle, DESTROY_WAIT_MS);

export class GPUDevice extends NativeEventTarget {
  readonly features: GPUSupportedFeatures;
  readonly limits: GPUSupportedLimits;
  readonly adapterInfo: GPUAdapterInfo;
  readonly queue: GPUQueue;
  readonly #adapter: GPUAdapter;
  readonly lost: Promise<GPUDeviceLostInfo>;
  #resolveLost!: (info: GPUDeviceLostInfo) => void;
  #isLost = false;
  #onuncapturederror: UncapturedErrorHandler | null = null;
  #errorListeners = 0;
  /** Buffers with mapped ranges, detached when the device is lost. */
  // Held weakly: a mapped buffer the program drops must still be collected (and released).
  readonly #mappedWeak = new WeakMap<GPUBuffer, WeakRef<GPUBuffer>>();
  readonly #mappedRefs = new Set<WeakRef<GPUBuffer>>();
  #mappedPruned = 64;
  /**
   * Error scopes live here, not in the engine: every engine error then reaches routeError,
   * which lets wgpu-ts see the errors of each call (wgpu-native aborts the process on some
   * invalid input, such as submitting a command buffer whose encoding failed).
   */
  readonly #scopes: { filter: GPUErrorFilter; error: GPUError | null }[] = [];
  #errorCount = 0;
  /** Receives the engine's callbacks; holds the device weakly so it can be collected. */
  readonly #sink: DeviceSink;
  /** The watchdog's entry for this device (held here: the watchdog holds it weakly). */
  readonly #watch: { ms: number; lose(message: string): void };

  constructor(init: DeviceInit) {
    super({ handle: init.handle, kind: "Device", label: init.label });
    const { fns } = rt();
    this.#adapter = init.adapter;
    this.adapterInfo = new GPUAdapterInfo(init.adapter.info); // its own object, as the spec has it
    this.features = readFeatures((out) => fns.wgpuDeviceGetFeatures(init.handle, out), { add: impliedFeaturesOf(init.adapter) });
    this.limits = readLimits((out) => fns.wgpuDeviceGetLimits(init.handle, out), init.reportedLimits);
    this.queue = new GPUQueue(this, fns.wgpuDeviceGetQueue(init.handle)!, init.queueLabel);
    setOwner(this, this);
    setOwner(this.queue, this);
    this.lost = new Promise((resolve) => (this.#resolveLost = resolve));
    const self = new WeakRef(this);
    this.#sink = {
      onLost: (reason, message) => {
        const device = self.deref();
        if (device) device.#markLost(reason, message);
      },
      onUncapturedError: (error) => self.deref()?.[ROUTE_ERROR](error),
      waitIdleAtExit: () => {
        const device = self.deref();
        if (!device || device.#isLost) return;
        try {
          // Bounded: a GPU that never finishes must not keep the process from ending.
          if (!rt().behaviour.waitForDevice(device[HANDLE], device.#watch.ms))
            device.#hung(`the GPU did not finish its work within ${device.#watch.ms} ms of the process's exit (the watchdog)`);
        } catch {
          // disposed: nothing left to wait for
        }
      },
    };
    attachSink(init.registryId, this.#sink);
    this.#watch = {
      ms: init.watchdogMs,
      lose: (message) => {
        const device = self.deref();
        if (device) device.#hung(message);
      },
    };
    watchDevice(init.handle, this.#watch);
    // The engine's last release of a device waits for its GPU (wgpu-native's polls until idle):
    // one whose GPU is still busy then is kept rather than released.
    this[KEEP_NATIVE](stillBusy);
  }

  /**
   * The GPU did not finish in time (the watchdog): the device is lost. The engine's device is
   * kept, never destroyed nor released, since both would wait for the GPU (Dawn's do).
   */
  #hung(message: string): void {
    const handle = this[HANDLE];
    this[KEEP_NATIVE]();
    unwatchDevice(handle);
    this.#markLost("unknown", `GPUDevice: ${message}`);
    pump.loseDevice(handle, message);
  }

  /** Extra: the adapter this device came from. */
  get adapter(): GPUAdapter {
    return this.#adapter;
  }

  #markLost(reason: GPUDeviceLostReason, message: string): void {
    if (this.#isLost) return;
    this.#isLost = true;
    for (const ref of this.#mappedRefs) ref.deref()?.[LOSE_MAPPING]();
    this.#mappedRefs.clear();
    this.#resolveLost(new GPUDeviceLostInfo(reason, message));
  }

  #dispatchUncaptured(error: GPUError, origin: string): void {
    const event = new GPUUncapturedErrorEvent("uncapturederror", { error, cancelable: true });
    const notCanceled = this.dispatchEvent(event);
    if (notCanceled && this.#errorListeners === 0 && !this.#onuncapturederror) reportUncapturedError(error, this.label, origin);
  }

  /** @internal Called by GPUBuffer as its mapped ranges come and go. */
  [TRACK_MAPPED](buffer: GPUBuffer, mapped: boolean): void {
    const ref = this.#mappedWeak.get(buffer);
    if (mapped && !this.#isLost) {
      if (!ref) {
        const r = new WeakRef(buffer);
        this.#mappedWeak.set(buffer, r);
        this.#mappedRefs.add(r);
        // Forget the buffers that were dropped while mapped, now and then.
        if (this.#mappedRefs.size > 2 * this.#mappedPruned) {
          for (const old of this.#mappedRefs) if (!old.deref()) this.#mappedRefs.delete(old);
          this.#mappedPruned = Math.max(64, this.#mappedRefs.size);
        }
      }
    } else if (ref) {
      this.#mappedWeak.delete(buffer);
      this.#mappedRefs.delete(ref);
    }
  }

  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void {
    if (type === "uncapturederror" && listener) this.#errorListeners++;
    super.addEventListener(type, listener, options);
  }

  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void {
    if (type === "uncapturederror" && listener && this.#errorListeners > 0) this.#errorListeners--;
    super.removeEventListener(type, listener, options);
  }

  get onuncapturederror(): UncapturedErrorHandler | null {
    return this.#onuncapturederror;
  }

  /** As an HTML event handler: a new handler keeps the old one's place among the listeners; null gives it up. */
  set onuncapturederror(handler: UncapturedErrorHandler | null) {
    const next = typeof handler === "function" ? handler : null;
    if (this.#onuncapturederror && !next) super.removeEventListener("uncapturederror", this.#callHandler);
    if (!this.#onuncapturederror && next) super.addEventListener("uncapturederror", this.#callHandler);
    this.#onuncapturederror = next;
  }

  #callHandler = (ev: Event): void => {
    this.#onuncapturederror?.call(this as unknown as globalThis.GPUDevice, ev as unknown as globalThis.GPUUncapturedErrorEvent);
  };

  /** https://www.w3.org/TR/webgpu/#dom-gpudevice-destroy */
  destroy(): undefined {
    if (this.#isLost) return undefined;
    const { fns, instance, behaviour } = rt();
    // Lost first: the engine's callbacks that the destroy brings (a pending map) see a lost device.
    this.#markLost("destroyed", "the device was destroyed");
    // Destroying or releasing a device waits for its GPU (Dawn's destroy, wgpu-native's last
    // release), forever when the GPU never finishes: give it a moment, then leave the engine's
    // device be (kept, as the watchdog keeps it).
    const idle = behaviour.waitForDevice(this[HANDLE], Math.min(DESTROY_WAIT_MS, watchdogMs(this[HANDLE])));
    unwatchDevice(this[HANDLE]);
    if (!idle) {
      this[KEEP_NATIVE]();
      pump.loseDevice(this[HANDLE], "the device was destroyed");
      return undefined;
    }
    fns.wgpuDeviceDestroy(this[HANDLE]);
    fns.wgpuInstanceProcessEvents(instance); // lets the engine report the loss now
    return undefined;
  }

  override [Symbol.dispose](): void {
    this.destroy();
    // The queue is the device's: it goes with it (else it would wait for the garbage collector).
    this.queue[Symbol.dispose]();
    super[Symbol.dispose]();
  }

  createBuffer(descriptor: GPUBufferDescriptor): GPUBuffer {
    return createBuffer(this, descriptor);
  }

  /** Extra: a buffer holding `data` (wgpu-py's `create_buffer_with_data`). */
  createBufferWithData(data: AllowSharedBufferSource, usage: GPUBufferUsageFlags, label?: string): GPUBuffer {
    return createBufferWithData(this, data, usage, label);
  }

  createTexture(descriptor: GPUTextureDescriptor): GPUTexture {
    return createTexture(this, descriptor);
  }

  createSampler(descriptor?: GPUSamplerDescriptor): GPUSampler {
    return createSampler(this, descriptor);
  }

  /** Always a TypeError: external textures come from video frames, which Node.js has not. */
  importExternalTexture(descriptor: GPUExternalTextureDescriptor): GPUExternalTexture {
    void descriptor;
    throw new TypeError("GPUDevice.importExternalTexture: external textures are not supported by wgpu-ts (they need an HTMLVideoElement or a VideoFrame)");
  }

  createShaderModule(descriptor: GPUShaderModuleDescriptor): GPUShaderModule {
    return createShaderModule(this, descriptor);
  }

  createBindGroupLayout(descriptor: GPUBindGroupLayoutDescriptor): GPUBindGroupLayout {
    return createBindGroupLayout(this, descriptor);
  }

  createPipelineLayout(descriptor: GPUPipelineLayoutDescriptor): GPUPipelineLayout {
    return createPipelineLayout(this, descriptor);
  }

  createBindGroup(descriptor: GPUBindGroupDescriptor): GPUBindGroup {
    return createBindGroup(this, descriptor);
  }

  createComputePipeline(descriptor: GPUComputePipelineDescriptor): GPUComputePipeline {
    return createComputePipeline(this, descriptor);
  }

  createComputePipelineAsync(descriptor: GPUComputePipelineDescriptor): Promise<GPUComputePipeline> {
    return createComputePipelineAsync(this, descriptor);
  }

  /** Extra: `createComputePipelineAsync` that answers in place. */
  createComputePipelineAsyncSync(descriptor: GPUComputePipelineDescriptor): GPUComputePipeline {
    return createComputePipelineAsyncSync(this, descriptor);
  }

  createRenderPipeline(descriptor: GPURenderPipelineDescriptor): GPURenderPipeline {
    return createRenderPipeline(this, descriptor);
  }

  createRenderPipelineAsync(descriptor: GPURenderPipelineDescriptor): Promise<GPURenderPipeline> {
    return createRenderPipelineAsync(this, descriptor);
  }

  /** Extra: `createRenderPipelineAsync` that answers in place. */
  createRenderPipelineAsyncSync(descriptor: GPURenderPipelineDescriptor): GPURenderPipeline {
    return createRenderPipelineAsyncSync(this, descriptor);
  }

  createRenderBundleEncoder(descriptor: GPURenderBundleEncoderDescriptor): GPURenderBundleEncoder {
    return createRenderBundleEncoder(this, descriptor);
  }

  createCommandEncoder(descriptor?: GPUCommandEncoderDescriptor): GPUCommandEncoder {
    return createCommandEncoder(this, descriptor);
  }

  createQuerySet(descriptor: GPUQuerySetDescriptor): GPUQuerySet {
    return createQuerySet(this, descriptor);
  }

  /** https://www.w3.org/TR/webgpu/#dom-gpudevice-pusherrorscope */
  pushErrorScope(filter: GPUErrorFilter): undefined {
    enumValue("GPUDevice.pushErrorScope", "filter", filter, GPUErrorFilter);
    this.#scopes.push({ filter, error: null });
    return undefined;
  }

  /** https://www.w3.org/TR/webgpu/#dom-gpudevice-poperrorscope */
  popErrorScope(): Promise<GPUError | null> {
    try {
      return Promise.resolve(this.popErrorScopeSync());
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Extra: `popErrorScope` that answers in place. */
  popErrorScopeSync(): GPUError | null {
    const scope = this.#scopes.pop();
    // The spec answers null on a lost device, before it looks at the stack.
    if (this.#isLost) return null;
    if (!scope) throw new DOMException("GPUDevice.popErrorScope: the error scope stack is empty", "OperationError");
    return scope.error;
  }

  /**
   * @internal Every GPU error of this device comes here, from the engine or from wgpu-ts's own
   * checks: the innermost scope whose filter matches takes it, else it is uncaptured.
   */
  [ROUTE_ERROR](error: GPUError): void {
    this.#errorCount++;
    if (this.#isLost) return; // a lost device reports no more errors
    const filter: GPUErrorFilter = error instanceof GPUValidationError ? "validation" : error instanceof GPUOutOfMemoryError ? "out-of-memory" : "internal";
    for (let i = this.#scopes.length - 1; i >= 0; i--) {
      if (this.#scopes[i].filter === filter) {
        this.#scopes[i].error ??= error;
        return;
      }
    }
    // Strict mode throws it from the call that caused it; else it names that call's objects.
    const origin = takeUncaptured(this, error);
    if (origin === null) return;
    // Dispatched after the current call returns: listeners may call the API again.
    queueMicrotask(() => this.#dispatchUncaptured(error, origin));
  }

  /** @internal */
  get [IS_LOST](): boolean {
    return this.#isLost;
  }

  /** @internal How many errors this device has seen; a call compares it before and after. */
  get [ERROR_COUNT](): number {
    return this.#errorCount;
  }

  declare readonly __brand: "GPUDevice";
}
