// GPUCommandEncoder and GPUCommandBuffer: https://www.w3.org/TR/webgpu/#command-encoding
import { dict, label as checkLabel, u32, u64 } from "../api/check.ts";
import { layout } from "./ffi/generated/webgpu.ts";
import { GPUValidationError } from "../api/errors.ts";
import { withScratch } from "./convert/scratch.ts";
import {
  ABANDON,
  BOUND_BUFFERS,
  ERROR_COUNT,
  HANDLE,
  handleOf,
  MARK_SUBMITTED,
  NativeObject,
  NOT_TAKEN,
  ON_DEVICE_MISMATCH,
  PASS_ENDED,
  ROUTE_ERROR,
  SUBMIT_PROBLEM,
  TRACK_USE,
  USED_BY,
} from "./object.ts";
import type { GPUBindGroup, SubmitChecked } from "./binding.ts";
import { rt } from "./runtime.ts";
import { captureEngineErrors } from "./device-events.ts";
import { GPUBuffer } from "./buffer.ts";
import { GPUQuerySet } from "./query-set.ts";
import { GPUComputePassEncoder } from "./compute-pass.ts";
import { DEVICE, INVALIDATE, writeTimestampWrites } from "./pass-encoder.ts";
import { GPURenderPassEncoder, writeRenderPassDescriptor } from "./render-pass.ts";
import { debugLabel, popDebugGroup } from "./debug-commands.ts";
import { copyBufferToTexture, copyTextureToBuffer, copyTextureToTexture } from "./texture-transfer.ts";
import type { GPUDevice } from "./device.ts";

/** What commands use and a submit checks: buffers, textures, bind groups (their resources). */
type Used = SubmitChecked | GPUBindGroup;

/** Marks a command buffer submitted; returns why it cannot be, or null. */
export const TAKE_FOR_SUBMIT = Symbol("wgpu-ts.takeForSubmit");

export class GPUCommandBuffer extends NativeObject {
  /** Its encoding failed (the engine said so at finish); wgpu-native aborts when such a buffer is submitted. */
  readonly #invalid: boolean;
  #used: readonly Used[];
  #submitted = false;

  constructor(handle: bigint | null, label: string, invalid: boolean, used: Used[]) {
    super({ handle, kind: "CommandBuffer", label });
    this.#invalid = invalid;
    this.#used = used;
  }

  /** Why this command buffer cannot be submitted (wgpu-native would abort), or null. */
  [TAKE_FOR_SUBMIT](): string | null {
    const name = this.label ? `GPUCommandBuffer "${this.label}"` : "a GPUCommandBuffer";
    if (this.#invalid) return `${name} is invalid: its encoding failed`;
    if (this.#submitted) return `${name} was already submitted`;
    for (const u of this.#used) {
      const buffers = BOUND_BUFFERS in u ? u[BOUND_BUFFERS] : [u];
      for (const b of buffers) {
        const problem = b[SUBMIT_PROBLEM]();
        if (problem) return `${name}: ${problem}`;
      }
    }
    return null;
  }

  /** Marks the buffer submitted, after every buffer of the submit passed its checks. */
  [MARK_SUBMITTED](): void {
    this.#submitted = true;
    // What it used is the engine's to keep now: let the garbage collector have ours.
    this.#used = [];
  }

  declare readonly __brand: "GPUCommandBuffer";
}

/** The encoder's own commands (not the pass openers, which return an object, nor finish). */
const COMMANDS = new Set("copyBufferToBuffer clearBuffer copyBufferToTexture copyTextureToBuffer copyTextureToTexture resolveQuerySet".split(" "));

export class GPUCommandEncoder extends NativeObject {
  readonly #device: GPUDevice;
  #used: Used[] = [];
  /** The pass begun last and not yet ended: at finish its recorded stream is dropped (the encoding is invalid anyway). */
  #openPass: { [ABANDON](): void } | null = null;
  /**
   * Passes begun while another was open (the encoder locked): the spec makes the encoder invalid
   * and such a pass's end() return quietly; wgpu-native raises an error at that end, so the
   * engine never sees it (its commands are dropped; finish fails as the spec says).
   */
  readonly #lockedPasses = new Set<{ [ABANDON](): void }>();

  constructor(device: GPUDevice, handle: bigint | null, label: string) {
    super({ handle, kind: "CommandEncoder", label });
    this.#device = device;
  }

  /** @internal The device, for wgpu-ts/native's feature checks. */
  get [DEVICE](): GPUDevice {
    return this.#device;
  }

  [TRACK_USE](resource: Used): void {
    // Once per encoder in a row, so that 100k setBindGroup calls do not grow the list by 100k.
    const r = resource as { [USED_BY]?: object | null };
    if (r[USED_BY] === this) return;
    r[USED_BY] = this;
    this.#used.push(resource);
  }

  /** A problem found in JS (a pass command wgpu-native would abort on): reported at finish, which then gives an invalid buffer. */
  #invalid: string | null = null;

  [INVALIDATE](message: string): void {
    this.#invalid ??= message;
  }

  /**
   * Another device's object in a command or a pass descriptor invalidates the encoder, as the spec
   * has it (object.ts handleOf). A pass opener then gives a stand-in pass that names nothing of
   * the descriptor: its commands are taken and the encoding fails at finish.
   */
  [ON_DEVICE_MISMATCH](method: string, message: string): unknown {
    if (method === "beginComputePass" || method === "beginRenderPass") {
      this[INVALIDATE](message);
      return method === "beginComputePass" ? this.beginComputePass() : this.beginRenderPass({ colorAttachments: [] });
    }
    if (!COMMANDS.has(method)) return NOT_TAKEN;
    this[INVALIDATE](message);
    return undefined;
  }

  /** https://www.w3.org/TR/webgpu/#dom-gpucommandencoder-beginrenderpass */
  beginRenderPass(descriptor: GPURenderPassDescriptor): GPURenderPassEncoder {
    const ctx = "GPUCommandEncoder.beginRenderPass";
    const d = dict(ctx, "descriptor", descriptor, true);
    const label = checkLabel(ctx, d.label);
    const uses: SubmitChecked[] = [];
    const problems: string[] = [];
    const handle = withScratch((s) => {
      uses.length = problems.length = 0;
      return rt().fns.wgpuCommandEncoderBeginRenderPass(this[HANDLE], writeRenderPassDescriptor(s, ctx, d, label, uses, problems));
    });
    this.#used.push(...uses);
    for (const p of problems) this[INVALIDATE](`${ctx}: ${p}`);
    return this.#opened(new GPURenderPassEncoder(this, this.#device, handle, label, d.maxDrawCount));
  }

  /** https://www.w3.org/TR/webgpu/#dom-gpucommandencoder-begincomputepass */
  beginComputePass(descriptor?: GPUComputePassDescriptor): GPUComputePassEncoder {
    const ctx = "GPUCommandEncoder.beginComputePass";
    const d = dict(ctx, "descriptor", descriptor);
    const label = checkLabel(ctx, d.label);
    const handle = withScratch((s) => {
      const L = layout.WGPUComputePassDescriptor;
      const off = s.alloc(L.$size);
      s.stringView(off + L.label, label);
      if (d.timestampWrites !== undefined) s.ptr(off + L.timestampWrites, writeTimestampWrites(s, ctx, d.timestampWrites, this.#used));
      return rt().fns.wgpuCommandEncoderBeginComputePass(this[HANDLE], s.addr(off));
    });
    return this.#opened(new GPUComputePassEncoder(this, this.#device, handle, label));
  }

  #opened<P extends { [ABANDON](): void }>(pass: P): P {
    if (this.#openPass) this.#lockedPasses.add(pass);
    else this.#openPass = pass;
    return pass;
  }

  /** A pass says it ends: false when the engine must not end it (begun while the encoder was locked). */
  [PASS_ENDED](pass: { [ABANDON](): void }): boolean {
    if (this.#lockedPasses.delete(pass)) {
      pass[ABANDON]();
      return false;
    }
    if (this.#openPass === pass) this.#openPass = null;
    return true;
  }

  /**
   * https://www.w3.org/TR/webgpu/#dom-gpucommandencoder-copybuffertobuffer
   * Both forms: (source, sourceOffset, destination, destinationOffset, size?) and (source, destination, size?).
   */
  copyBufferToBuffer(source: GPUBuffer, sourceOffset: GPUSize64, destination: GPUBuffer, destinationOffset: GPUSize64, size?: GPUSize64): undefined;
  copyBufferToBuffer(source: GPUBuffer, destination: GPUBuffer, size?: GPUSize64): undefined;
  copyBufferToBuffer(source: GPUBuffer, a: GPUSize64 | GPUBuffer, b?: GPUBuffer | GPUSize64, c?: GPUSize64, d?: GPUSize64): undefined {
    const ctx = "GPUCommandEncoder.copyBufferToBuffer";
    const short = a instanceof GPUBuffer;
    const src = handleOf(ctx, "source", source, GPUBuffer);
    const srcOffset = short ? 0 : u64(ctx, "sourceOffset", a);
    const dstBuffer = short ? a : b;
    const dst = handleOf(ctx, "destination", dstBuffer, GPUBuffer);
    const dstOffset = short ? 0 : u64(ctx, "destinationOffset", c);
    const sizeArg = short ? b : d;
    const size = sizeArg === undefined ? Math.max(0, source.size - srcOffset) : u64(ctx, "size", sizeArg);
    this.#used.push(source, dstBuffer as GPUBuffer);
    rt().fns.wgpuCommandEncoderCopyBufferToBuffer(this[HANDLE], src, srcOffset, dst, dstOffset, size);
    return undefined;
  }

  /** https://www.w3.org/TR/webgpu/#dom-gpucommandencoder-clearbuffer */
  clearBuffer(buffer: GPUBuffer, offset?: GPUSize64, size?: GPUSize64): undefined {
    const ctx = "GPUCommandEncoder.clearBuffer";
    const b = handleOf(ctx, "buffer", buffer, GPUBuffer);
    const o = u64(ctx, "offset", offset, 0);
    const s = u64(ctx, "size", size, Math.max(0, buffer.size - o));
    this.#used.push(buffer);
    // An empty clear does nothing; wgpu-native aborts on size 0, so only its offset is checked
    // (an encoder error, reported at finish as the engine's are).
    if (s === 0) {
      if (o % 4 !== 0 || o > buffer.size) this[INVALIDATE](`${ctx}: offset (${o}) must be a multiple of 4 and within the buffer (${buffer.size} bytes)`);
      return undefined;
    }
    rt().fns.wgpuCommandEncoderClearBuffer(this[HANDLE], b, o, s);
    return undefined;
  }

  /** https://www.w3.org/TR/webgpu/#dom-gpucommandencoder-copybuffertotexture */
  copyBufferToTexture(source: GPUTexelCopyBufferInfo, destination: GPUTexelCopyTextureInfo, copySize: GPUExtent3DStrict): undefined {
    copyBufferToTexture(this, source, destination, copySize);
    return undefined;
  }

  /** https://www.w3.org/TR/webgpu/#dom-gpucommandencoder-copytexturetobuffer */
  copyTextureToBuffer(source: GPUTexelCopyTextureInfo, destination: GPUTexelCopyBufferInfo, copySize: GPUExtent3DStrict): undefined {
    copyTextureToBuffer(this, source, destination, copySize);
    return undefined;
  }

  /** https://www.w3.org/TR/webgpu/#dom-gpucommandencoder-copytexturetotexture */
  copyTextureToTexture(source: GPUTexelCopyTextureInfo, destination: GPUTexelCopyTextureInfo, copySize: GPUExtent3DStrict): undefined {
    copyTextureToTexture(this, source, destination, copySize);
    return undefined;
  }

  /** https://www.w3.org/TR/webgpu/#dom-gpucommandencoder-resolvequeryset */
  resolveQuerySet(querySet: GPUQuerySet, firstQuery: GPUSize32, queryCount: GPUSize32, destination: GPUBuffer, destinationOffset: GPUSize64): undefined {
    const ctx = "GPUCommandEncoder.resolveQuerySet";
    const querySetHandle = handleOf(ctx, "querySet", querySet, GPUQuerySet);
    const first = u32(ctx, "firstQuery", firstQuery);
    const count = u32(ctx, "queryCount", queryCount);
    const destinationHandle = handleOf(ctx, "destination", destination, GPUBuffer);
    const offset = u64(ctx, "destinationOffset", destinationOffset);
    // Tracked once checked: the submit checks read every tracked object.
    this.#used.push(destination, querySet);
    rt().fns.wgpuCommandEncoderResolveQuerySet(this[HANDLE], querySetHandle, first, count, destinationHandle, offset);
    return undefined;
  }

  /**
   * https://www.w3.org/TR/webgpu/#dom-gpucommandencoder-finish
   *
   * On wgpu-native 29 (behaviour.keepsUnsubmitted) a buffer finished here and never submitted is
   * never freed (~100 KiB each on lavapipe): wgpuCommandEncoderFinish makes its handle with
   * `open: false`, so wgpuCommandBufferRelease never reaches wgpu-core's command_buffer_drop, and
   * only wgpuQueueSubmit takes it out of the hub. A poll or an empty submit frees none; a submit
   * that fails validation (another device's queue) aborts. Finishing later (at submit) would free
   * them but move the errors the engine finds here away from finish, so the engine is finished here.
   */
  finish(descriptor?: GPUCommandBufferDescriptor): GPUCommandBuffer {
    const ctx = "GPUCommandEncoder.finish";
    const d = dict(ctx, "descriptor", descriptor);
    const label = checkLabel(ctx, d.label);
    this.#openPass?.[ABANDON]();
    this.#openPass = null;
    for (const pass of this.#lockedPasses) pass[ABANDON]();
    this.#lockedPasses.clear();
    const errorsBefore = this.#device[ERROR_COUNT];
    // A problem found in JS is the finish's one error: what the engine finds after it (in a
    // stand-in pass, say) is a consequence, and is dropped.
    const handle = this.#invalid === null ? this.#finishEngine(label) : captureEngineErrors(this.#device[HANDLE], () => this.#finishEngine(label)).result;
    const used = this.#used;
    this.#used = [];
    if (this.#invalid !== null) this.#device[ROUTE_ERROR](new GPUValidationError(`${ctx}: ${this.#invalid}`));
    return new GPUCommandBuffer(handle, label, this.#device[ERROR_COUNT] > errorsBefore, used);
  }

  #finishEngine(label: string): bigint | null {
    return withScratch((s) => {
      const L = layout.WGPUCommandBufferDescriptor;
      const off = s.alloc(L.$size);
      s.stringView(off + L.label, label);
      return rt().fns.wgpuCommandEncoderFinish(this[HANDLE], s.addr(off));
    });
  }

  pushDebugGroup(groupLabel: string): undefined {
    debugLabel("CommandEncoder", "PushDebugGroup", this[HANDLE], groupLabel);
    return undefined;
  }

  popDebugGroup(): undefined {
    popDebugGroup("CommandEncoder", this[HANDLE]);
    return undefined;
  }

  insertDebugMarker(markerLabel: string): undefined {
    debugLabel("CommandEncoder", "InsertDebugMarker", this[HANDLE], markerLabel);
    return undefined;
  }

  declare readonly __brand: "GPUCommandEncoder";
}

export function createCommandEncoder(device: GPUDevice, descriptor?: GPUCommandEncoderDescriptor): GPUCommandEncoder {
  const ctx = "GPUDevice.createCommandEncoder";
  const d = dict(ctx, "descriptor", descriptor);
  const label = checkLabel(ctx, d.label);
  const handle = withScratch((s) => {
    const L = layout.WGPUCommandEncoderDescriptor;
    const off = s.alloc(L.$size);
    s.stringView(off + L.label, label);
    return rt().fns.wgpuDeviceCreateCommandEncoder(device[HANDLE], s.addr(off));
  });
  return new GPUCommandEncoder(device, handle, label);
}
