// computeWithBuffers' engine-agnostic core (wgpu-py's compute_with_buffers): buffers, pipeline,
// dispatch and one staging copy, in standard WebGPU calls only; each backend maps the staging
// buffer its own way (in place in Node.js, awaited in a browser).
import { bufferSourceBytes } from "../api/buffer-source.ts";
import { GPUBufferUsage } from "../api/constants.ts";

export type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;
export type TypedArrayConstructor = { new (buffer: ArrayBuffer): TypedArray; BYTES_PER_ELEMENT: number; name: string };

/** An output: a size in bytes (read back as Uint8Array), or a length and element type. */
export type OutputSpec = number | { length: number; type: TypedArrayConstructor };

export interface ComputeOptions {
  /** Workgroups to dispatch in x, y, z; defaults to the element count of the first output. */
  n?: number | [number, number?, number?];
  entryPoint?: string;
  constants?: Record<string, number>;
  /** The device to run on (default: getDefaultDevice()). */
  device?: GPUDevice;
}

/** The submitted work: map `staging`, then `finish` its bytes into the outputs (it frees the buffers). */
export interface ComputeRun {
  staging: GPUBuffer;
  finish(mapped: ArrayBuffer): Record<number, TypedArray>;
  /** Frees the buffers without reading them (the run failed). */
  release(): void;
}

/**
 * Binds each input and output at its binding number of group 0 as a storage buffer, dispatches
 * `shader`, copies the outputs into one staging buffer (read with one map) and submits.
 */
export function submitCompute(
  device: GPUDevice,
  inputs: Record<number, ArrayBufferView | ArrayBuffer>,
  outputs: Record<number, OutputSpec>,
  shader: string,
  options: ComputeOptions,
): ComputeRun {
  const ctx = "computeWithBuffers";
  const buffers: { binding: number; buffer: GPUBuffer }[] = [];
  const outputTypes = new Map<number, { bytes: number; type: TypedArrayConstructor }>();
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
  for (const [key, data] of Object.entries(inputs)) {
    const bytes = bufferSourceBytes(ctx, `inputs[${key}]`, data);
    const buffer = device.createBuffer({ size: Math.ceil(bytes.byteLength / 4) * 4, usage, mappedAtCreation: true, label: `${ctx} input ${key}` });
    new Uint8Array(buffer.getMappedRange()).set(bytes);
    buffer.unmap();
    buffers.push({ binding: Number(key), buffer });
  }
  for (const [key, spec] of Object.entries(outputs)) {
    const binding = Number(key);
    const { bytes, type } =
      typeof spec === "number"
        ? { bytes: spec, type: Uint8Array as unknown as TypedArrayConstructor }
        : { bytes: spec.length * spec.type.BYTES_PER_ELEMENT, type: spec.type };
    if (!Number.isInteger(bytes) || bytes <= 0) throw new TypeError(`${ctx}: outputs[${key}] must be a positive size, got ${bytes} bytes`);
    outputTypes.set(binding, { bytes, type });
    if (!(binding in inputs)) {
      buffers.push({ binding, buffer: device.createBuffer({ size: Math.ceil(bytes / 4) * 4, usage, label: `${ctx} output ${key}` }) });
    }
  }
  const firstOutput = outputTypes.values().next().value;
  const n = options.n ?? (firstOutput ? firstOutput.bytes / firstOutput.type.BYTES_PER_ELEMENT : 1);
  const [x, y = 1, z = 1] = Array.isArray(n) ? n : [n];

  const module = device.createShaderModule({ code: shader, label: ctx });
  const pipeline = device.createComputePipeline({
    layout: "auto",
    compute: { module, entryPoint: options.entryPoint, constants: options.constants },
  });
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: buffers.map(({ binding, buffer }) => ({ binding, resource: { buffer } })),
  });
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(x, y, z);
  pass.end();

  let stagingSize = 0;
  const placed = new Map<number, number>();
  for (const [binding, { bytes }] of outputTypes) {
    placed.set(binding, stagingSize);
    stagingSize += Math.ceil(bytes / 4) * 4;
  }
  const staging = device.createBuffer({ size: stagingSize, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, label: `${ctx} staging` });
  for (const { binding, buffer } of buffers) {
    if (placed.has(binding)) encoder.copyBufferToBuffer(buffer, 0, staging, placed.get(binding)!, buffer.size);
  }
  device.queue.submit([encoder.finish()]);
  const release = () => {
    staging.destroy();
    for (const { buffer } of buffers) buffer.destroy();
  };
  return {
    staging,
    finish(mapped: ArrayBuffer): Record<number, TypedArray> {
      const result: Record<number, TypedArray> = {};
      for (const [binding, { bytes, type }] of outputTypes) {
        const at = placed.get(binding)!;
        result[binding] = new type(mapped.slice(at, at + bytes));
      }
      release();
      return result;
    },
    release,
  };
}
