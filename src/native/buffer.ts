// GPUBuffer: https://www.w3.org/TR/webgpu/#gpubuffer
import koffi from "koffi";
import { bool, dict, integer, label as checkLabel, u64 } from "../api/check.ts";
import { WGPUMapAsyncStatus, layout } from "./ffi/generated/webgpu.ts";
import { bufferSourceBytes } from "../api/buffer-source.ts";
import { detach, protect, rangesCanBeViews } from "./addon/detach-key.ts";
import { withScratch } from "./convert/scratch.ts";
import { readStringView, type StringViewValue } from "./convert/strings.ts";
import {
  DESTROYED,
  DETACH_RANGES,
  ERROR_COUNT,
  FLUSH_WRITES,
  HANDLE,
  SHRINK_PRESSURE,
  INVALID,
  IS_LOST,
  LOSE_MAPPING,
  NativeObject,
  ON_RELEASE,
  ROUTE_ERROR,
  SUBMIT_PROBLEM,
  TRACK_MAPPED,
} from "./object.ts";
import { asPromise, Operation, pump } from "./pump.ts";
import { rt } from "./runtime.ts";
import { captureEngineErrors } from "./device-events.ts";
import { GPUBufferUsage, GPUMapMode } from "../api/constants.ts";
import { GPUValidationError } from "../api/errors.ts";
import type { GPUDevice } from "./device.ts";

const { READ: MAP_READ, WRITE: MAP_WRITE } = GPUMapMode;

/** Mapped ranges are views of the engine's memory where the detach-key addon guards them, else copies (addon/detach-key.ts). */
export const mappedRangesAreViews = rangesCanBeViews;

const operationError = (message: string) => new DOMException(message, "OperationError");

interface CopiedRange {
  copy: ArrayBuffer;
  /** Where the copy goes back to at unmap (mapped for writing), else null. */
  target: bigint | null;
}

/**
 * The ranges handed out by getMappedRange. Kept apart from the buffer so that the release
 * hook can detach them without holding the buffer alive.
 */
class MappedRanges {
  ranges: [start: number, end: number][] = [];
  views: ArrayBuffer[] = [];
  copies: CopiedRange[] = [];

  /** Writes copies back (when `writeBack`) and detaches every range. */
  close(writeBack: boolean): void {
    for (const c of this.copies) {
      if (writeBack && c.target && c.copy.byteLength > 0) new Uint8Array(koffi.view(c.target, c.copy.byteLength)).set(new Uint8Array(c.copy));
      detach(c.copy);
    }
    for (const v of this.views) detach(v);
    this.ranges = [];
    this.views = [];
    this.copies = [];
  }
}

interface MapState {
  mode: number;
  offset: number;
  size: number;
}

export class GPUBuffer extends NativeObject {
  readonly size: number;
  readonly usage: number;
  readonly #device: GPUDevice;
  #state: "unmapped" | "pending" | "mapped" = "unmapped";
  #mapping: MapState | null = null;
  #pending: Operation<undefined> | null = null;
  #destroyed = false;
  /**
   * The engine has a mapping of it, made or pending: a map that failed in JS never reached the
   * engine, whose unmap of an unmapped buffer is a validation error the spec does not have.
   */
  #engineMapped = false;
  /**
   * Its creation failed. The engine aborts in wgpuBufferGetMappedRange on such a buffer, so its
   * mapping at creation (which the spec still gives) is JS memory, and the engine never sees it.
   */
  readonly #invalid: boolean;
  /** Made at the first mapping: most buffers are never mapped, and cost no ranges or release hook. */
  #rangesMade: MappedRanges | null = null;

  constructor(device: GPUDevice, handle: bigint | null, size: number, usage: number, label: string, mappedAtCreation: boolean, invalid = false) {
    super({ handle, kind: "Buffer", label, bytes: size, tickQueue: device.queue[HANDLE] });
    this.#device = device;
    this.#invalid = invalid;
    this.size = size;
    this.usage = usage;
    if (mappedAtCreation) {
      this.#state = "mapped";
      this.#engineMapped = !invalid;
      this.#mapping = { mode: MAP_WRITE, offset: 0, size };
      device[TRACK_MAPPED](this, true);
    }
  }

  /** The mapped ranges, made (with the hook that detaches them at release) on first use. */
  get #ranges(): MappedRanges {
    if (this.#rangesMade) return this.#rangesMade;
    const ranges = (this.#rangesMade = new MappedRanges());
    this[ON_RELEASE](() => ranges.close(false));
    return ranges;
  }

  get mapState(): GPUBufferMapState {
    return this.#state;
  }

  /** https://www.w3.org/TR/webgpu/#dom-gpubuffer-mapasync */
  mapAsync(mode: GPUMapModeFlags, offset?: GPUSize64, size?: GPUSize64): Promise<undefined> {
    return asPromise(() => this.#startMap(mode, offset, size));
  }

  /** Extra: `mapAsync` that answers in place. */
  mapSync(mode: GPUMapModeFlags, offset?: GPUSize64, size?: GPUSize64): undefined {
    return this.#startMap(mode, offset, size).wait();
  }

  #startMap(modeArg: GPUMapModeFlags, offsetArg: GPUSize64 | undefined, sizeArg: GPUSize64 | undefined): Operation<undefined> {
    const ctx = "GPUBuffer.mapAsync";
    const mode = integer(ctx, "mode", modeArg, 0xffffffff);
    const offset = u64(ctx, "offset", offsetArg, 0);
    const size = u64(ctx, "size", sizeArg, Math.max(0, this.size - offset));
    // A map already pending rejects at once, with no validation error; every other failure is a
    // validation error and a rejection later, the buffer reading "pending" meanwhile (the spec's
    // [[pending_map]], which unmap() aborts), or "mapped" when it was mapped.
    if (this.#pending) throw operationError(`${ctx}: the buffer is already being mapped`);
    // Staged writes go first, also when the map fails below: a failed map leaves the buffer
    // "pending", and a staged copy into a pending buffer cannot be submitted (fuzz seed 1012436991).
    this.#device.queue[FLUSH_WRITES]();
    const settle = (status: number, text: string): undefined => {
      this.#pending = null;
      // A map still pending when the device is destroyed or lost is aborted (the spec; Dawn does,
      // wgpu-native reports success, over the memory of a device that is gone).
      if (status === WGPUMapAsyncStatus.Success && this.#device[IS_LOST]) {
        if (this.#state === "pending") this.#state = "unmapped";
        throw new DOMException(`${ctx}: the mapping was aborted: the device was lost or destroyed before it was resolved`, "AbortError");
      }
      if (status === WGPUMapAsyncStatus.Success && this.#state === "pending") {
        this.#state = "mapped";
        this.#mapping = { mode, offset, size };
        this.#device[TRACK_MAPPED](this, true);
        return undefined;
      }
      if (this.#state === "pending") this.#state = "unmapped";
      if (status === WGPUMapAsyncStatus.Aborted || status === WGPUMapAsyncStatus.CallbackCancelled) {
        throw new DOMException(`${ctx}: the mapping was aborted${text ? `: ${text}` : ""}`, "AbortError");
      }
      throw operationError(`${ctx}: ${text || "the buffer could not be mapped"}`);
    };
    const fail = (message: string, validation = true): Operation<undefined> => {
      if (validation) this.#device[ROUTE_ERROR](new GPUValidationError(message));
      const op = new Operation<undefined>(0, settle, null);
      if (this.#state === "unmapped") this.#state = "pending";
      this.#pending = op;
      op.finishSoon([WGPUMapAsyncStatus.Error, message]);
      return op;
    };
    if (this.#device[IS_LOST]) return fail(`${ctx}: the device is lost`, false); // no errors from a lost device
    const name = this.label ? `GPUBuffer "${this.label}"` : "the buffer";
    // wgpu-native aborts on other modes; the spec makes it a validation error and a rejection.
    if (mode !== MAP_READ && mode !== MAP_WRITE) return fail(`${ctx}: mode (${mode}) must be exactly one of GPUMapMode.READ or GPUMapMode.WRITE`);
    if (this.#invalid) return fail(`${ctx}: ${name} is invalid (its creation failed)`);
    if (this.#destroyed) return fail(`${ctx}: ${name} is destroyed`);
    if (this.#state === "mapped") return fail(`${ctx}: ${name} is already mapped`);
    if (!(this.usage & (mode === MAP_READ ? GPUBufferUsage.MAP_READ : GPUBufferUsage.MAP_WRITE))) {
      return fail(`${ctx}: ${name} has no ${mode === MAP_READ ? "MAP_READ" : "MAP_WRITE"} usage`);
    }
    if (offset % 8 !== 0) return fail(`${ctx}: offset (${offset}) must be a multiple of 8`);
    if (size % 4 !== 0) return fail(`${ctx}: size (${size}) must be a multiple of 4`);
    if (offset + size > this.size) return fail(`${ctx}: the range [${offset}, ${offset + size}) is outside the buffer (size ${this.size})`);
    const handle = this[HANDLE];
    const { op, callbackInfo } = pump.begin<undefined>(
      "WGPUBufferMapCallback",
      (status: number, message: StringViewValue) => {
        if (status !== WGPUMapAsyncStatus.Success) this.#engineMapped = false; // the engine's map failed
        return settle(status, readStringView(message));
      },
      this.#device[HANDLE],
      [WGPUMapAsyncStatus.Aborted, { data: null, length: 0 }], // a lost device aborts the map
    );
    this.#state = "pending";
    this.#pending = op;
    this.#engineMapped = true;
    rt().fns.wgpuBufferMapAsync(handle, mode, offset, size, callbackInfo);
    return op;
  }

  /** https://www.w3.org/TR/webgpu/#dom-gpubuffer-getmappedrange */
  getMappedRange(offsetArg?: GPUSize64, sizeArg?: GPUSize64): ArrayBuffer {
    const ctx = "GPUBuffer.getMappedRange";
    const offset = u64(ctx, "offset", offsetArg, 0);
    // The default runs to the end of the buffer, not of the mapping (a range past it is an error).
    const size = u64(ctx, "size", sizeArg, Math.max(0, this.size - offset));
    const m = this.#mapping; // read after the conversions, which may run user code that unmaps
    if (this.#state !== "mapped" || !m) throw operationError(`${ctx}: the buffer is not mapped (mapState is "${this.#state}")`);
    if (offset % 8 !== 0) throw operationError(`${ctx}: offset (${offset}) must be a multiple of 8`);
    if (size % 4 !== 0) throw operationError(`${ctx}: size (${size}) must be a multiple of 4`);
    if (offset < m.offset || offset + size > m.offset + m.size) {
      throw operationError(`${ctx}: the range [${offset}, ${offset + size}) is outside the mapped range [${m.offset}, ${m.offset + m.size})`);
    }
    const end = offset + size;
    for (const [s, e] of this.#ranges.ranges) {
      if (offset < e && s < end) throw operationError(`${ctx}: the range [${offset}, ${end}) overlaps the range [${s}, ${e}) returned before`);
    }
    const ptr = size === 0 ? null : this.#rawRange(m.mode, offset, size);
    this.#ranges.ranges.push([offset, end]);
    if (!ptr) {
      // Empty, or the mapping of an invalid buffer: JS memory, detached all the same.
      const memory = new ArrayBuffer(size);
      if (rangesCanBeViews()) protect(memory); // not detachable by the user either, as the spec says
      this.#ranges.copies.push({ copy: memory, target: null });
      return memory;
    }
    if (mappedRangesAreViews()) {
      const view = protect(koffi.view(ptr, size));
      this.#ranges.views.push(view);
      return view;
    }
    const copy = new ArrayBuffer(size);
    new Uint8Array(copy).set(new Uint8Array(koffi.view(ptr, size)));
    this.#ranges.copies.push({ copy, target: m.mode & MAP_WRITE ? ptr : null });
    return copy;
  }

  /** The engine's memory for a mapped range; null for an invalid buffer, whose mapping is JS-only. */
  #rawRange(mode: number, offset: number, size: number): bigint | null {
    if (this.#invalid) return null;
    const { fns } = rt();
    const ptr = mode & MAP_WRITE ? fns.wgpuBufferGetMappedRange(this[HANDLE], offset, size) : fns.wgpuBufferGetConstMappedRange(this[HANDLE], offset, size);
    if (!ptr) throw operationError(`GPUBuffer.getMappedRange: the engine gave no memory for [${offset}, ${offset + size})`);
    return ptr;
  }

  /** Extra: a copy of mapped bytes (wgpu-py's `read_mapped`), without handing out a range. */
  readMapped(offsetArg?: GPUSize64, sizeArg?: GPUSize64): ArrayBuffer {
    const [ptr, size] = this.#extraRange("GPUBuffer.readMapped", offsetArg, sizeArg);
    return ptr ? koffi.view(ptr, size).slice(0) : new ArrayBuffer(size);
  }

  /** Extra: writes `data` into the mapped memory at `offset` (wgpu-py's `write_mapped`). */
  writeMapped(data: AllowSharedBufferSource, offsetArg?: GPUSize64): void {
    const bytes = bufferSourceBytes("GPUBuffer.writeMapped", "data", data);
    const [ptr] = this.#extraRange("GPUBuffer.writeMapped", offsetArg, bytes.byteLength, MAP_WRITE);
    if (ptr) new Uint8Array(koffi.view(ptr, bytes.byteLength)).set(bytes);
  }

  #extraRange(ctx: string, offsetArg: GPUSize64 | undefined, sizeArg: GPUSize64 | undefined, needMode = 0): [bigint | null, number] {
    // The numbers first: their valueOf may unmap the buffer, and the state is read after it.
    const offsetIn = offsetArg === undefined ? undefined : u64(ctx, "offset", offsetArg);
    const sizeIn = sizeArg === undefined ? undefined : u64(ctx, "size", sizeArg);
    const m = this.#mapping;
    if (this.#state !== "mapped" || !m) throw operationError(`${ctx}: the buffer is not mapped (mapState is "${this.#state}")`);
    if (needMode && !(m.mode & needMode)) throw operationError(`${ctx}: the buffer is mapped for reading, not writing`);
    const offset = offsetIn ?? m.offset;
    const size = sizeIn ?? Math.max(0, m.offset + m.size - offset);
    if (offset < m.offset || offset + size > m.offset + m.size) {
      throw new RangeError(`${ctx}: the range [${offset}, ${offset + size}) is outside the mapped range [${m.offset}, ${m.offset + m.size})`);
    }
    // The engine wants aligned ranges: take the whole mapping and step into it.
    const base = size === 0 ? null : this.#rawRange(m.mode, m.offset, m.size);
    return [base === null ? null : base + BigInt(offset - m.offset), size];
  }

  /** https://www.w3.org/TR/webgpu/#dom-gpubuffer-unmap */
  unmap(): undefined {
    if (this.#state === "unmapped") return;
    const wasMapped = this.#state === "mapped";
    // A write mapping of a buffer without MAP_WRITE is its mapping at creation.
    const createdMapped = this.#mapping?.mode === MAP_WRITE && !(this.usage & GPUBufferUsage.MAP_WRITE);
    this[DETACH_RANGES](wasMapped);
    this.#state = "unmapped";
    this.#mapping = null;
    if (!this.#destroyed && !this.#invalid && this.#engineMapped) {
      rt().fns.wgpuBufferUnmap(this[HANDLE]);
      // wgpu-core 29 copies such a mapping from a staging buffer in its next submit, which a
      // MAP_READ mapping does not wait for (gfx-rs/wgpu#5173): an empty submit sends the copy now.
      if (createdMapped && this.usage & GPUBufferUsage.MAP_READ && rt().behaviour.createdMappingCopiedAtSubmit) this.#device.queue.submit([]);
    }
    this.#engineMapped = false;
    // A pending map rejects with AbortError; the engine calls back (or not) on its own time.
    const pending = this.#pending;
    if (pending) pending.finish([WGPUMapAsyncStatus.Aborted, { data: null, length: 0 }]);
    return undefined;
  }

  /** @internal Detaches every mapped range (unmap, destroy). */
  [DETACH_RANGES](writeBack = false): void {
    this.#rangesMade?.close(writeBack);
    this.#device[TRACK_MAPPED](this, false);
  }

  /** @internal The device was lost: the mapping ends without the engine. */
  [LOSE_MAPPING](): void {
    this.#rangesMade?.close(false);
    this.#state = "unmapped";
    this.#mapping = null;
  }

  [SUBMIT_PROBLEM](): string | null {
    const name = this.label ? `GPUBuffer "${this.label}"` : "a GPUBuffer";
    if (this.#destroyed) return `${name} it uses is destroyed`;
    if (this.#state !== "unmapped") return `${name} it uses is ${this.#state === "mapped" ? "mapped" : "being mapped"}`;
    return null;
  }

  get [DESTROYED](): boolean {
    return this.#destroyed;
  }

  get [INVALID](): boolean {
    return this.#invalid;
  }

  /** https://www.w3.org/TR/webgpu/#dom-gpubuffer-destroy */
  destroy(): undefined {
    if (this.#destroyed) return;
    this.#device.queue[FLUSH_WRITES](); // staged writes to this buffer go first
    this.unmap();
    this.#destroyed = true;
    rt().fns.wgpuBufferDestroy(this[HANDLE]);
    this[SHRINK_PRESSURE]();
    return undefined;
  }

  override [Symbol.dispose](): void {
    this.destroy();
    super[Symbol.dispose]();
  }

  declare readonly __brand: "GPUBuffer";
}

export function createBuffer(device: GPUDevice, descriptor: GPUBufferDescriptor): GPUBuffer {
  const ctx = "GPUDevice.createBuffer";
  const d = dict(ctx, "descriptor", descriptor, true);
  const size = u64(ctx, "size", d.size);
  const usage = integer(ctx, "usage", d.usage, 0xffffffff);
  const mappedAtCreation = bool(d.mappedAtCreation);
  const label = checkLabel(ctx, d.label);
  // An invalid buffer is still mapped at creation, and its mapping needs `size` bytes of host
  // memory (Dawn allocates them: a huge size was an out-of-memory kill). Like Chrome, refuse what
  // could never be a valid buffer instead of allocating it.
  if (mappedAtCreation && size % 4 !== 0) throw new RangeError(`${ctx}: size (${size}) must be a multiple of 4 when mappedAtCreation is true`);
  if (mappedAtCreation && size > device.limits.maxBufferSize) {
    throw new RangeError(
      `${ctx}: size (${size}) is larger than the device's maxBufferSize (${device.limits.maxBufferSize}), which mappedAtCreation cannot allocate`,
    );
  }
  const write = (engineUsage: number) =>
    withScratch((s) => {
      const L = layout.WGPUBufferDescriptor;
      const off = s.alloc(L.$size);
      s.stringView(off + L.label, label);
      s.u64(off + L.usage, engineUsage);
      s.u64(off + L.size, size);
      s.u32(off + L.mappedAtCreation, mappedAtCreation ? 1 : 0);
      return rt().fns.wgpuDeviceCreateBuffer(device[HANDLE], s.addr(off));
    });
  if (usage & ~ALL_BUFFER_USAGES) {
    // Unknown usage bits abort wgpu-native: make an invalid buffer the engine accepts instead.
    const { result } = captureEngineErrors(device[HANDLE], () => write(MAP_READ | MAP_WRITE));
    const buffer = new GPUBuffer(device, result, size, usage, label, mappedAtCreation, true);
    device[ROUTE_ERROR](new GPUValidationError(`${ctx}: usage (0x${usage.toString(16)}) has bits that are not GPUBufferUsage flags`));
    return buffer;
  }
  // The engine reports a failed creation inside the call: the device's error count tells. On a
  // lost device every buffer is invalid (and the engine stops reporting).
  const errorsBefore = device[ERROR_COUNT];
  const handle = write(usage);
  return new GPUBuffer(device, handle, size, usage, label, mappedAtCreation, device[IS_LOST] || device[ERROR_COUNT] > errorsBefore);
}

const ALL_BUFFER_USAGES = Object.values(GPUBufferUsage).reduce((a, b) => a | b, 0);

export function createBufferWithData(device: GPUDevice, data: AllowSharedBufferSource, usage: GPUBufferUsageFlags, label?: string): GPUBuffer {
  const ctx = "GPUDevice.createBufferWithData";
  const bytes = bufferSourceBytes(ctx, "data", data);
  // Mapped at creation, a buffer's size must be a multiple of 4.
  const size = Math.ceil(bytes.byteLength / 4) * 4;
  const buffer = createBuffer(device, { size, usage: integer(ctx, "usage", usage, 0xffffffff), mappedAtCreation: true, label: label ?? "" });
  buffer.writeMapped(bytes, 0);
  buffer.unmap();
  return buffer;
}
