// GPUQueue: https://www.w3.org/TR/webgpu/#gpuqueue
import { sequence, u64 } from "../api/check.ts";
import { WGPUQueueWorkDoneStatus } from "./ffi/generated/webgpu.ts";
import { writeBufferBytes } from "../api/buffer-source.ts";
import { readStringView, type StringViewValue } from "./convert/strings.ts";
import { throwingErrors } from "../api/error-scopes.ts";
import {
  DESTROYED,
  FLUSH_WRITES,
  HANDLE,
  handleOf,
  IS_LOST,
  MARK_SUBMITTED,
  NativeObject,
  nativeInstance,
  NOT_TAKEN,
  ON_DEVICE_MISMATCH,
  ownerOf,
  ROUTE_ERROR,
} from "./object.ts";
import { asPromise, Operation, pump } from "./pump.ts";
import { rt } from "./runtime.ts";
import { StagedWrites } from "./staged-writes.ts";
import { GPUBuffer } from "./buffer.ts";
import { GPUCommandBuffer, TAKE_FOR_SUBMIT } from "./command-encoder.ts";
import { GPUValidationError } from "../api/errors.ts";
import { GPUBufferUsage } from "../api/constants.ts";
import type { GPUDevice } from "./device.ts";
import { stageTextureRead, writeTexture } from "./texture-transfer.ts";
import { stageBufferRead, unreadableBuffer } from "../api/readback.ts";
import { copyExternalImageToTexture } from "./external-image.ts";

const { MAP_READ } = GPUBufferUsage;

/** Reused across submits so that the common submit allocates nothing. */
let submitHandles = new BigUint64Array(16);

const WRITES = new Set(["writeBuffer", "writeTexture", "copyExternalImageToTexture"]);

export class GPUQueue extends NativeObject {
  readonly #device: GPUDevice;
  /** wgpu-native applies writeBuffer at the next submit; the spec orders it before any later map. */
  #unflushedWrites = false;
  /** writeBuffer's staging (staged-writes.ts). */
  readonly #staged: StagedWrites;

  constructor(device: GPUDevice, handle: bigint, label: string) {
    super({ handle, kind: "Queue", label });
    this.#device = device;
    this.#staged = new StagedWrites(device);
  }

  /** Another device's object in a write is a validation error, as the spec has it (object.ts handleOf). */
  [ON_DEVICE_MISMATCH](method: string, message: string): unknown {
    if (!WRITES.has(method)) return NOT_TAKEN;
    this.#device[ROUTE_ERROR](new GPUValidationError(message));
    return undefined;
  }

  /** https://www.w3.org/TR/webgpu/#dom-gpuqueue-submit */
  submit(commandBuffers: Iterable<GPUCommandBuffer>): undefined {
    const ctx = "GPUQueue.submit";
    const list = sequence(ctx, "commandBuffers", commandBuffers);
    if (this.#device[IS_LOST]) return undefined; // work on a lost device is dropped, silently
    if (list.length > submitHandles.length) submitHandles = new BigUint64Array(list.length * 2);
    for (let i = 0; i < list.length; i++) nativeInstance(ctx, `commandBuffers[${i}]`, list[i], GPUCommandBuffer);
    // Submitting an invalid or already submitted command buffer is a validation error that
    // submits nothing (and spends the others); wgpu-native would abort the process, so it is decided here, from JS state
    // only (a submitted buffer has no native handle left).
    for (let i = 0; i < list.length; i++) {
      const owner = ownerOf(list[i]);
      // wgpu-native aborts on another device's command buffer; the spec makes it a validation error.
      let problem = owner !== undefined && owner !== this.#device ? "it belongs to another GPUDevice" : list[i][TAKE_FOR_SUBMIT]();
      for (let j = 0; j < i && !problem; j++) if (list[j] === list[i]) problem = `it is also commandBuffers[${j}]: a command buffer is submitted once`;
      if (problem) {
        this.#device[ROUTE_ERROR](new GPUValidationError(`${ctx}: commandBuffers[${i}]: ${problem}`));
        // The spec invalidates every command buffer of a failed submit: none can be submitted again.
        for (const cb of list) {
          cb[MARK_SUBMITTED]();
          cb[Symbol.dispose]();
        }
        return undefined;
      }
    }
    for (let i = 0; i < list.length; i++) submitHandles[i] = handleOf(ctx, `commandBuffers[${i}]`, list[i], GPUCommandBuffer);
    for (const cb of list) cb[MARK_SUBMITTED]();
    this.#staged.flush();
    this.#unflushedWrites = false;
    rt().fns.wgpuQueueSubmit(this[HANDLE], list.length, submitHandles);
    // A submitted command buffer is spent: its native reference goes now, not at the next
    // garbage collection (loops that submit every frame would otherwise hold thousands).
    for (const cb of list) cb[Symbol.dispose]();
    return undefined;
  }

  /** https://www.w3.org/TR/webgpu/#dom-gpuqueue-writebuffer */
  writeBuffer(buffer: GPUBuffer, bufferOffset: GPUSize64, data: AllowSharedBufferSource, dataOffset?: GPUSize64, size?: GPUSize64): undefined {
    const ctx = "GPUQueue.writeBuffer";
    const b = handleOf(ctx, "buffer", buffer, GPUBuffer);
    const offset = u64(ctx, "bufferOffset", bufferOffset);
    const bytes = writeBufferBytes(ctx, data, dataOffset, size);
    if (!this.#device[IS_LOST] && StagedWrites.accepts(buffer, offset, bytes.byteLength, this.#device) && this.#staged.hasRoom()) {
      this.#staged.write(buffer, offset, bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return undefined;
    }
    this.#staged.flush(); // keeps the order of writes
    rt().fns.wgpuQueueWriteBuffer(this[HANDLE], b, offset, bytes, bytes.byteLength);
    this.#unflushedWrites = true;
    return undefined;
  }

  /** https://www.w3.org/TR/webgpu/#dom-gpuqueue-writetexture */
  writeTexture(destination: GPUTexelCopyTextureInfo, data: AllowSharedBufferSource, dataLayout: GPUTexelCopyBufferLayout, size: GPUExtent3DStrict): undefined {
    writeTexture(this.#device, this[HANDLE], destination, data, dataLayout, size);
    this.#unflushedWrites = true;
    return undefined;
  }

  /** https://www.w3.org/TR/webgpu/#dom-gpuqueue-copyexternalimagetotexture (ImageData-like objects and offscreen canvases) */
  copyExternalImageToTexture(source: GPUCopyExternalImageSourceInfo, destination: GPUCopyExternalImageDestInfo, copySize: GPUExtent3DStrict): undefined {
    copyExternalImageToTexture(this.#device, this[HANDLE], source, destination, copySize);
    this.#unflushedWrites = true;
    return undefined;
  }

  /**
   * Extra: the texels of a texture region, tightly packed (the 256-byte row padding of copies
   * removed) or in `dataLayout` (wgpu-py's `read_texture`). `readTexture(source, size)` works too;
   * `size` defaults to the rest of the mip level.
   */
  async readTexture(
    source: GPUTexelCopyTextureInfo,
    dataLayout?: GPUTexelCopyBufferLayout | GPUExtent3DStrict | null,
    size?: GPUExtent3DStrict,
  ): Promise<ArrayBuffer> {
    const { staging, unpack } = stageTextureRead(this.#device, source, dataLayout, size);
    try {
      await staging.mapAsync(MAP_READ);
      return unpack(staging.readMapped());
    } finally {
      staging.destroy();
    }
  }

  /** Extra: `readTexture` that answers in place. */
  readTextureSync(source: GPUTexelCopyTextureInfo, dataLayout?: GPUTexelCopyBufferLayout | GPUExtent3DStrict | null, size?: GPUExtent3DStrict): ArrayBuffer {
    const { staging, unpack } = stageTextureRead(this.#device, source, dataLayout, size);
    try {
      staging.mapSync(MAP_READ);
      return unpack(staging.readMapped());
    } finally {
      staging.destroy();
    }
  }

  /** @internal Submits nothing, which makes the engine carry out pending writes (before a map or a wait). */
  [FLUSH_WRITES](): void {
    if (this.#staged.pending) {
      this.#staged.flush(); // its submit carries out the engine's pending writes too
      this.#unflushedWrites = false;
    }
    if (!this.#unflushedWrites || this.#device[IS_LOST]) return;
    this.#unflushedWrites = false;
    rt().fns.wgpuQueueSubmit(this[HANDLE], 0, null);
  }

  /** https://www.w3.org/TR/webgpu/#dom-gpuqueue-onsubmittedworkdone */
  onSubmittedWorkDone(): Promise<undefined> {
    return asPromise(() => this.#startWorkDone());
  }

  /** Extra: waits in place for the submitted work to finish. */
  onSubmittedWorkDoneSync(): undefined {
    return this.#startWorkDone().wait();
  }

  #startWorkDone(): Operation<undefined> {
    if (this.#device[IS_LOST]) {
      // A lost device has no work left to wait for (its GPU may never answer again).
      const op = new Operation<undefined>(0, () => undefined, null);
      op.finishSoon([]);
      return op;
    }
    this[FLUSH_WRITES]();
    const { op, callbackInfo } = pump.begin<undefined>(
      "WGPUQueueWorkDoneCallback",
      (status: number, message: StringViewValue) => {
        if (status === WGPUQueueWorkDoneStatus.Success) return undefined;
        throw new DOMException(`GPUQueue.onSubmittedWorkDone: ${readStringView(message) || "the work did not complete"}`, "OperationError");
      },
      this.#device[HANDLE],
      [WGPUQueueWorkDoneStatus.Success, { data: null, length: 0 }], // resolves on a lost device, as in browsers
    );
    rt().fns.wgpuQueueOnSubmittedWorkDone(this[HANDLE], callbackInfo);
    return op;
  }

  /** Extra: copies `size` bytes of `buffer` from `offset` into a new ArrayBuffer (wgpu-py's `read_buffer`). */
  async readBuffer(buffer: GPUBuffer, offset?: GPUSize64, size?: GPUSize64): Promise<ArrayBuffer> {
    const { staging, skip, length } = this.#stageRead(buffer, offset, size);
    try {
      await staging.mapAsync(MAP_READ);
      return staging.readMapped(skip, length);
    } finally {
      staging.destroy();
    }
  }

  /** Extra: `readBuffer` that answers in place. */
  readBufferSync(buffer: GPUBuffer, offset?: GPUSize64, size?: GPUSize64): ArrayBuffer {
    const { staging, skip, length } = this.#stageRead(buffer, offset, size);
    try {
      staging.mapSync(MAP_READ);
      return staging.readMapped(skip, length);
    } finally {
      staging.destroy();
    }
  }

  #stageRead(buffer: GPUBuffer, offset: GPUSize64 | undefined, size: GPUSize64 | undefined): { staging: GPUBuffer; skip: number; length: number } {
    const ctx = "GPUQueue.readBuffer";
    handleOf(ctx, "buffer", buffer, GPUBuffer);
    // What the copy would fail on, said in readBuffer's words; anything else is the copy's own error.
    const problem = unreadableBuffer(ctx, buffer, buffer[DESTROYED]);
    if (problem) throw new GPUValidationError(problem);
    const { staging, skip, length } = throwingErrors(
      this.#device,
      ctx,
      () => stageBufferRead(this.#device, buffer, offset, size),
      (read) => read?.staging.destroy(),
    );
    return { staging: staging as GPUBuffer, skip, length };
  }

  declare readonly __brand: "GPUQueue";
}
