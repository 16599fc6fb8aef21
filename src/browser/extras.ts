// wgpu-ts's extras on a browser's own WebGPU objects. They are added to the prototypes of the
// page's classes (GPUDevice, GPUQueue, ...), not to wrappers, so that every object stays the
// browser's own and passes wherever @webgpu/types code (three.js, a library's bind group) expects
// one. What each extra does here is the `browser` note of its apiDiff entry (api/api-diff.ts).
import { dict, instance, integer, u32, u64 } from "../api/check.ts";
import { bufferSourceBytes } from "../api/buffer-source.ts";
import { GPUMapMode, GPUTextureUsage } from "../api/constants.ts";
import { rejectingErrors } from "../api/error-scopes.ts";
import { readStaging, stageBufferRead, stageTextureRead, unreadableBuffer } from "../api/readback.ts";
import { origin3D } from "../api/texel-copy.ts";

/** What the extras remember about the page's objects, without adding fields to them. */
const adapterOf = new WeakMap<GPUDevice, GPUAdapter>();
const deviceOf = new WeakMap<GPUQueue, GPUDevice>();
const textureOf = new WeakMap<GPUTextureView, GPUTexture>();
const labels = new WeakMap<GPUAdapter, string>();
/** Buffers destroyed through destroy() (a browser does not say), for readBuffer's own checks. */
const destroyed = new WeakSet<GPUBuffer>();
/** A mapped buffer's range and, once an extra asked for it, the one ArrayBuffer over all of it. */
const mappings = new WeakMap<GPUBuffer, { mode: number; offset: number; size: number; range?: ArrayBuffer }>();

/**
 * A Sync twin: a browser cannot wait in place, since the GPU's answer comes as a task on the same
 * thread (a worker blocked in Atomics.wait would never see it either).
 */
function cannotWait(name: string, instead: string): () => never {
  return () => {
    throw new DOMException(`${name}: a browser cannot wait in place for the GPU (its answer comes on this thread); use ${instead}`, "NotSupportedError");
  };
}

type Members = Record<string, PropertyDescriptor>;

/** Adds the members a prototype does not have yet (a browser that grows one of them keeps its own). */
function extend(proto: object | undefined, members: Members): void {
  if (!proto) return;
  for (const [name, descriptor] of Object.entries(members)) {
    if (!(name in proto)) Object.defineProperty(proto, name, { configurable: true, enumerable: false, ...descriptor });
  }
}

const method = (value: (...args: never[]) => unknown): PropertyDescriptor => ({ value, writable: true });
const getter = (get: () => unknown): PropertyDescriptor => ({ get });

/** Wraps a prototype's method with `around`, which gets the original. */
function wrap<T extends object, K extends keyof T>(proto: T | undefined, name: K, around: (original: T[K]) => T[K]): void {
  if (!proto) return;
  const original = proto[name];
  Object.defineProperty(proto, name, { configurable: true, enumerable: false, writable: true, value: around(original) });
}

function deviceOfQueue(ctx: string, queue: GPUQueue): GPUDevice {
  const device = deviceOf.get(queue);
  if (!device) throw new TypeError(`${ctx}: this queue's device was not made through wgpu-ts's gpu (its adapter's requestDevice)`);
  return device;
}

function mappedRange(ctx: string, buffer: GPUBuffer, offsetArg: unknown, sizeArg: unknown, needWrite: boolean): Uint8Array {
  const m = mappings.get(buffer);
  if (buffer.mapState !== "mapped" || !m) throw new DOMException(`${ctx}: the buffer is not mapped (mapState is "${buffer.mapState}")`, "OperationError");
  if (needWrite && !(m.mode & GPUMapMode.WRITE)) throw new DOMException(`${ctx}: the buffer is mapped for reading, not writing`, "OperationError");
  const offset = u64(ctx, "offset", offsetArg, m.offset);
  const size = u64(ctx, "size", sizeArg, Math.max(0, m.offset + m.size - offset));
  if (offset < m.offset || offset + size > m.offset + m.size) {
    throw new RangeError(`${ctx}: the range [${offset}, ${offset + size}) is outside the mapped range [${m.offset}, ${m.offset + m.size})`);
  }
  // getMappedRange wants aligned ranges that do not overlap: take the whole mapping once and step into it.
  m.range ??= buffer.getMappedRange(m.offset, m.size);
  return new Uint8Array(m.range, offset - m.offset, size);
}

function checkedSource(ctx: string, source: GPUTexelCopyTextureInfo) {
  const d = dict(ctx, "source", source, true);
  const texture = instance(ctx, "source.texture", d.texture, globalThis.GPUTexture);
  return { texture, mipLevel: u32(ctx, "source.mipLevel", d.mipLevel, 0), origin: origin3D(ctx, "source.origin", d.origin), aspect: d.aspect ?? "all" };
}

/** Marks the page's GPU prototype once the extras are on: two copies of the browser build in a page add them once. */
const INSTALLED = Symbol.for("wgpu-ts browser extras");

/** Adds the extras to the page's WebGPU classes, once; does nothing where the page has no WebGPU. */
export function installExtras(): void {
  const g = globalThis as Partial<typeof globalThis>;
  if (!g.GPU || !g.GPUDevice || INSTALLED in g.GPU.prototype) return;
  Object.defineProperty(g.GPU.prototype, INSTALLED, { value: true });

  extend(g.GPU.prototype, {
    requestAdapterSync: method(cannotWait("GPU.requestAdapterSync", "requestAdapter")),
    enumerateAdapters: method(async function (this: GPU) {
      const adapter = await this.requestAdapter();
      return adapter ? [adapter] : [];
    }),
    enumerateAdaptersSync: method(cannotWait("GPU.enumerateAdaptersSync", "enumerateAdapters")),
  });

  const adapterProto = g.GPUAdapter?.prototype;
  wrap(
    adapterProto,
    "requestDevice",
    (original) =>
      async function (this: GPUAdapter, descriptor?: GPUDeviceDescriptor) {
        const device = await original.call(this, descriptor);
        adapterOf.set(device, this);
        deviceOf.set(device.queue, device);
        return device;
      },
  );
  extend(adapterProto, {
    label: {
      get(this: GPUAdapter) {
        return labels.get(this) ?? "";
      },
      set(this: GPUAdapter, v: string) {
        labels.set(this, String(v));
      },
    },
    summary: getter(function (this: GPUAdapter) {
      const { vendor, architecture, device, description } = this.info;
      const name = description || [vendor, architecture, device].filter(Boolean).join(" ") || "unknown adapter";
      return `${name} (${this.info.isFallbackAdapter ? "CPU" : "Unknown"}) via browser`;
    }),
    requestDeviceSync: method(cannotWait("GPUAdapter.requestDeviceSync", "requestDevice")),
  });

  const deviceProto = g.GPUDevice.prototype;
  wrap(
    deviceProto,
    "createBuffer",
    (original) =>
      function (this: GPUDevice, descriptor: GPUBufferDescriptor) {
        const buffer = original.call(this, descriptor);
        if (descriptor?.mappedAtCreation) mappings.set(buffer, { mode: GPUMapMode.WRITE, offset: 0, size: buffer.size });
        return buffer;
      },
  );
  extend(deviceProto, {
    adapter: getter(function (this: GPUDevice) {
      return adapterOf.get(this) ?? null;
    }),
    createBufferWithData: method(function (this: GPUDevice, data: AllowSharedBufferSource, usage: GPUBufferUsageFlags, label?: string) {
      const ctx = "GPUDevice.createBufferWithData";
      const bytes = bufferSourceBytes(ctx, "data", data);
      // Mapped at creation, a buffer's size must be a multiple of 4.
      const size = Math.ceil(bytes.byteLength / 4) * 4;
      const buffer = this.createBuffer({ size, usage: integer(ctx, "usage", usage, 0xffffffff), mappedAtCreation: true, label: label ?? "" });
      new Uint8Array(buffer.getMappedRange()).set(bytes);
      buffer.unmap();
      return buffer;
    }),
    createComputePipelineAsyncSync: method(cannotWait("GPUDevice.createComputePipelineAsyncSync", "createComputePipelineAsync")),
    createRenderPipelineAsyncSync: method(cannotWait("GPUDevice.createRenderPipelineAsyncSync", "createRenderPipelineAsync")),
    popErrorScopeSync: method(cannotWait("GPUDevice.popErrorScopeSync", "popErrorScope")),
  });

  const bufferProto = g.GPUBuffer?.prototype;
  wrap(
    bufferProto,
    "mapAsync",
    (original) =>
      function (this: GPUBuffer, mode: GPUMapModeFlags, offset?: GPUSize64, size?: GPUSize64) {
        const start = offset ?? 0;
        const promise = original.call(this, mode, offset, size);
        return promise.then(() => {
          mappings.set(this, { mode, offset: start, size: size ?? Math.max(0, this.size - start) });
          return undefined;
        });
      },
  );
  for (const name of ["unmap", "destroy"] as const) {
    wrap(
      bufferProto,
      name,
      (original) =>
        function (this: GPUBuffer) {
          mappings.delete(this);
          if (name === "destroy") destroyed.add(this);
          return original.call(this);
        },
    );
  }
  extend(bufferProto, {
    mapSync: method(cannotWait("GPUBuffer.mapSync", "mapAsync")),
    readMapped: method(function (this: GPUBuffer, offset?: GPUSize64, size?: GPUSize64) {
      return mappedRange("GPUBuffer.readMapped", this, offset, size, false).slice().buffer;
    }),
    writeMapped: method(function (this: GPUBuffer, data: AllowSharedBufferSource, offset?: GPUSize64) {
      const bytes = bufferSourceBytes("GPUBuffer.writeMapped", "data", data);
      mappedRange("GPUBuffer.writeMapped", this, offset, bytes.byteLength, true).set(bytes);
    }),
  });

  extend(g.GPUQueue?.prototype, {
    // async, as in Node.js: a bad argument is a rejection, not a throw.
    readBuffer: method(async function (this: GPUQueue, buffer: GPUBuffer, offset?: GPUSize64, size?: GPUSize64) {
      const ctx = "GPUQueue.readBuffer";
      instance(ctx, "buffer", buffer, globalThis.GPUBuffer);
      const device = deviceOfQueue(ctx, this);
      const problem = unreadableBuffer(ctx, buffer, destroyed.has(buffer));
      if (problem) throw new globalThis.GPUValidationError(problem);
      // Its calls' errors are its own, as in Node.js: a rejection, with the staging buffer released.
      const read = await rejectingErrors(
        device,
        ctx,
        () => stageBufferRead(device, buffer, offset, size),
        (r) => r?.staging.destroy(),
      );
      return readStaging(read.staging, (mapped) => mapped.slice(read.skip, read.skip + read.length));
    }),
    readBufferSync: method(cannotWait("GPUQueue.readBufferSync", "readBuffer")),
    readTexture: method(async function (
      this: GPUQueue,
      source: GPUTexelCopyTextureInfo,
      dataLayout?: GPUTexelCopyBufferLayout | GPUExtent3DStrict | null,
      size?: GPUExtent3DStrict,
    ) {
      const ctx = "GPUQueue.readTexture";
      const read = stageTextureRead(deviceOfQueue(ctx, this), source, checkedSource(ctx, source), dataLayout, size);
      return readStaging(read.staging, read.unpack);
    }),
    readTextureSync: method(cannotWait("GPUQueue.readTextureSync", "readTexture")),
    onSubmittedWorkDoneSync: method(cannotWait("GPUQueue.onSubmittedWorkDoneSync", "onSubmittedWorkDone")),
  });

  extend(g.GPUShaderModule?.prototype, {
    getCompilationInfoSync: method(cannotWait("GPUShaderModule.getCompilationInfoSync", "getCompilationInfo")),
  });

  const textureProto = g.GPUTexture?.prototype;
  wrap(
    textureProto,
    "createView",
    (original) =>
      function (this: GPUTexture, descriptor?: GPUTextureViewDescriptor) {
        const view = original.call(this, descriptor);
        textureOf.set(view, this);
        return view;
      },
  );
  extend(textureProto, {
    size: getter(function (this: GPUTexture) {
      return [this.width, this.height, this.depthOrArrayLayers];
    }),
  });
  extend(g.GPUTextureView?.prototype, {
    texture: getter(function (this: GPUTextureView) {
      return textureOf.get(this);
    }),
    size: getter(function (this: GPUTextureView) {
      const t = textureOf.get(this);
      return t && [t.width, t.height, t.depthOrArrayLayers];
    }),
  });

  const contextProto = g.GPUCanvasContext?.prototype;
  // As in Node.js, the canvas's texture can be read back (readCanvas): COPY_SRC is added to its usage.
  wrap(
    contextProto,
    "configure",
    (original) =>
      function (this: GPUCanvasContext, configuration: GPUCanvasConfiguration) {
        if (configuration === null || typeof configuration !== "object") return original.call(this, configuration);
        const usage = (configuration.usage ?? GPUTextureUsage.RENDER_ATTACHMENT) | GPUTextureUsage.COPY_SRC;
        return original.call(this, { ...configuration, usage });
      },
  );
  extend(contextProto, {
    // The browser presents the canvas itself once the task that drew it ends.
    present: method(() => undefined),
  });

  // `using` releases what has a destroy(); the other objects are the garbage collector's.
  const dispose = (Symbol as { dispose?: symbol }).dispose;
  if (dispose) {
    for (const cls of [g.GPUDevice, g.GPUBuffer, g.GPUTexture, g.GPUQuerySet]) {
      const proto = cls?.prototype as { destroy(): void } | undefined;
      if (proto && !(dispose in proto))
        Object.defineProperty(proto, dispose, {
          configurable: true,
          writable: true,
          value(this: { destroy(): void }) {
            this.destroy();
          },
        });
    }
  }
}
