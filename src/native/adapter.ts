// GPUAdapter: https://www.w3.org/TR/webgpu/#gpuadapter
import type { GPUAdapterInfo, GPUSupportedFeatures, GPUSupportedLimits } from "../api/adapter-info.ts";
import { derivedLimits, limitDefaults, limitNames, type LimitName } from "../api/adapter-info.ts";
import { bool, describe, dict, finiteNumber, label as checkLabel, sequence, str, typeError, u64 } from "../api/check.ts";
import { WGPUCallbackMode, WGPURequestDeviceStatus, layout } from "./ffi/generated/webgpu.ts";
import { featureValue, readAdapterInfo, readFeatures, readLimits, writeRequiredLimits, engineLimitNames } from "./convert/adapter-props.ts";
import { withScratch, type Scratch } from "./convert/scratch.ts";
import { readStringView, type StringViewValue } from "./convert/strings.ts";
import { HANDLE, NativeObject, START_REQUEST_DEVICE } from "./object.ts";
import { GPUDevice } from "./device.ts";
import { deviceCallbacks } from "./device-events.ts";
import { setStrict, strictFromEnv } from "./error-context.ts";
import { asPromise, pump, type Operation } from "./pump.ts";
import { rt } from "./runtime.ts";
import { watchdogFromEnv } from "./watchdog.ts";

const operationError = (message: string) => new DOMException(message, "OperationError");

/** The spec features each adapter's engine has without naming them (its devices have them too). */
const implied = new WeakMap<GPUAdapter, readonly string[]>();
export const impliedFeaturesOf = (adapter: GPUAdapter): readonly string[] => implied.get(adapter) ?? [];

export class GPUAdapter extends NativeObject {
  readonly features: GPUSupportedFeatures;
  readonly limits: GPUSupportedLimits;
  readonly info: GPUAdapterInfo;
  readonly #summary: string;
  /** The spec's "consumed" state: an adapter gives one device (Dawn enforces it; wgpu-native would not). */
  #consumed = false;
  /** Every feature the engine lists for the adapter, before the spec's view of them. */
  readonly #engineFeatures: GPUSupportedFeatures;
  /** Deprecated in the spec, still read by older code. */
  readonly isFallbackAdapter: boolean;

  constructor(handle: bigint) {
    super({ handle, kind: "Adapter", label: "" });
    const { fns, behaviour } = rt();
    const native = readAdapterInfo(handle);
    const add = behaviour.impliedFeatures(native.backendType);
    implied.set(this, add);
    this.#engineFeatures = readFeatures((out) => fns.wgpuAdapterGetFeatures(handle, out));
    const drop = new Set([...behaviour.ungrantableFeatures, ...behaviour.relaxingFeatures]);
    this.features = readFeatures((out) => fns.wgpuAdapterGetFeatures(handle, out), { drop, add });
    this.limits = readLimits((out) => fns.wgpuAdapterGetLimits(handle, out));
    this.info = native.info;
    this.isFallbackAdapter = native.info.isFallbackAdapter;
    const name = native.deviceName || native.info.description || "unknown adapter";
    this.#summary = `${name} (${native.adapterType}) via ${native.backendType}`;
  }

  /** Extra: one line naming the adapter, its type and its backend. */
  get summary(): string {
    return this.#summary;
  }

  /** https://www.w3.org/TR/webgpu/#dom-gpuadapter-requestdevice */
  requestDevice(descriptor?: GPUDeviceDescriptor): Promise<GPUDevice> {
    return asPromise(() => this.#startRequestDevice(descriptor));
  }

  /** Extra: `requestDevice` that answers in place. */
  requestDeviceSync(descriptor?: GPUDeviceDescriptor): GPUDevice {
    return this.#startRequestDevice(descriptor).wait();
  }

  /** @internal For engine extras: a device request with a struct chained to its descriptor. */
  [START_REQUEST_DEVICE](ctx: string, descriptor: GPUDeviceDescriptor | undefined, chain: (s: Scratch) => bigint): Operation<GPUDevice> {
    return this.#startRequestDevice(descriptor, ctx, chain);
  }

  #startRequestDevice(descriptor: GPUDeviceDescriptor | undefined, ctx = "GPUAdapter.requestDevice", chain?: (s: Scratch) => bigint) {
    const d = dict(ctx, "descriptor", descriptor);
    const label = checkLabel(ctx, d.label);
    const features = sequence<string>(ctx, "requiredFeatures", d.requiredFeatures as Iterable<string> | undefined, [])
      .map((f, i) => {
        const name = str(ctx, `requiredFeatures[${i}]`, f);
        const v = featureValue(name);
        // Extra: an engine feature that relaxes the spec's validation is granted when named, unlisted.
        const relaxing = rt().behaviour.relaxingFeatures.has(name) && this.#engineFeatures.has(name);
        if (v === undefined || (!this.features.has(name) && !relaxing)) {
          typeError(ctx, `requiredFeatures[${i}]`, `(${describe(name)}) is not a feature of this adapter; it has: ${[...this.features].join(", ")}`);
        }
        // A feature the engine has without naming it is not the engine's to grant.
        return impliedFeaturesOf(this).includes(name) ? undefined : v;
      })
      .filter((v) => v !== undefined);
    const limits = this.#checkLimits(ctx, d.requiredLimits);
    const reportedLimits: Record<string, number> = {};
    for (const name of rt().behaviour.earlyCheckedLimits) {
      reportedLimits[name] = limits[name] ?? limitDefaults[name as LimitName];
      limits[name] = (this.limits as unknown as Record<string, number>)[name];
    }
    const queueLabel = checkLabel(ctx, dict(ctx, "defaultQueue", d.defaultQueue).label);
    // Extra: `strict: true` throws uncaptured errors from the call that caused them (WGPU_STRICT=1).
    const strictOption = (d as { strict?: unknown }).strict;
    const strict = strictOption === undefined ? strictFromEnv() : bool(strictOption);
    // Extra: `watchdogMs` bounds how long the GPU may take before the device is lost (WGPU_WATCHDOG_MS).
    const watchdogOption = (d as { watchdogMs?: unknown }).watchdogMs;
    const watchdogMs = watchdogOption === undefined ? watchdogFromEnv() : finiteNumber(ctx, "watchdogMs", watchdogOption);
    if (!(watchdogMs > 0)) throw new RangeError(`${ctx}: watchdogMs (${watchdogMs}) must be a positive number of milliseconds`);
    if (this.#consumed) throw operationError(`${ctx}: the adapter is consumed: it already gave a device (request a new adapter for another device)`);
    this.#consumed = true;

    const { fns } = rt();
    const adapter = this[HANDLE];
    const callbacks = deviceCallbacks();
    const { op, callbackInfo } = pump.begin("WGPURequestDeviceCallback", (status: number, device: bigint | null, message: StringViewValue) => {
      if (status === WGPURequestDeviceStatus.Success && device) {
        const created = new GPUDevice({ handle: device, adapter: this, label, queueLabel, registryId: callbacks.id, watchdogMs, reportedLimits });
        setStrict(created, strict);
        return created;
      }
      callbacks.forget();
      throw operationError(`${ctx}: ${readStringView(message) || "the engine could not create the device"}`);
    });
    withScratch((s) => {
      const L = layout.WGPUDeviceDescriptor;
      const off = s.alloc(L.$size);
      s.ptr(off + L.nextInChain, rt().behaviour.chain(s, "requestDevice"));
      s.stringView(off + L.label, label);
      if (chain) s.ptr(off + L.nextInChain, chain(s));
      if (features.length) {
        s.u64(off + L.requiredFeatureCount, features.length);
        s.ptr(off + L.requiredFeatures, s.bytes(Uint32Array.from(features)));
      }
      s.ptr(off + L.requiredLimits, writeRequiredLimits(s, limits));
      s.stringView(off + L.defaultQueue + layout.WGPUQueueDescriptor.label, queueLabel);
      const lost = off + L.deviceLostCallbackInfo;
      s.u32(lost + layout.WGPUDeviceLostCallbackInfo.mode, WGPUCallbackMode.AllowProcessEvents);
      s.ptr(lost + layout.WGPUDeviceLostCallbackInfo.callback, callbacks.lost);
      s.ptr(lost + layout.WGPUDeviceLostCallbackInfo.userdata1, BigInt(callbacks.id));
      const err = off + L.uncapturedErrorCallbackInfo;
      s.ptr(err + layout.WGPUUncapturedErrorCallbackInfo.callback, callbacks.uncapturedError);
      s.ptr(err + layout.WGPUUncapturedErrorCallbackInfo.userdata1, BigInt(callbacks.id));
      fns.wgpuAdapterRequestDevice(adapter, s.addr(off), callbackInfo);
    });
    return op;
  }

  #checkLimits(ctx: string, requiredLimits: Record<string, number | undefined> | undefined): Record<string, number> {
    const out: Record<string, number> = {};
    const engineLimits = new Set(engineLimitNames());
    for (const [name, value] of Object.entries(dict(ctx, "requiredLimits", requiredLimits))) {
      if (value === undefined) continue;
      if (!(limitNames as readonly string[]).includes(name)) throw operationError(`${ctx}: requiredLimits has an unknown limit "${name}"`);
      const v = u64(ctx, `requiredLimits.${name}`, value);
      const supported = (this.limits as unknown as Record<string, number>)[name];
      const isAlignment = name.startsWith("min");
      // An alignment is a power of two of at most 2^31 (a GPUSize32): the bit test alone takes 2^32 (as 0).
      if (isAlignment ? v < supported || v > 2 ** 31 || (v & (v - 1)) !== 0 : v > supported) {
        throw operationError(`${ctx}: requiredLimits.${name} (${v}) is beyond what the adapter supports (${supported})`);
      }
      // A limit worse than the spec's default gets the default (https://www.w3.org/TR/webgpu/#dom-gpuadapter-requestdevice:
      // "better" of the two); engines would grant what was asked.
      const floor = limitDefaults[name as LimitName];
      const granted = isAlignment ? Math.min(v, floor) : Math.max(v, floor);
      if (engineLimits.has(name)) out[name] = Math.max(out[name] ?? 0, granted);
      else if (derivedLimits[name as LimitName]) {
        // A per-stage limit the engine lacks is granted by raising the limit it refines (core
        // WebGPU: maxStorageBuffersPerShaderStage is at least maxStorageBuffersInFragmentStage).
        const from = derivedLimits[name as LimitName]!;
        out[from] = Math.max(out[from] ?? 0, granted);
      }
    }
    return out;
  }

  declare readonly __brand: "GPUAdapter";
}
