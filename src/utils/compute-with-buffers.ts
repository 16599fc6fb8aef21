// computeWithBuffers: run one compute shader over typed arrays and get typed arrays back
// (wgpu-py's compute_with_buffers), answering in place (the core is in compute-core.ts).
import { GPUMapMode } from "../api/constants.ts";
import type { GPUDevice } from "../backend.ts";
import { submitCompute, type ComputeOptions as CoreOptions, type OutputSpec, type TypedArray } from "./compute-core.ts";
import { getDefaultDevice } from "./default-device.ts";

export type { OutputSpec, TypedArray, TypedArrayConstructor } from "./compute-core.ts";
export type ComputeOptions = CoreOptions<GPUDevice>;

/**
 * Binds each input and output at its binding number of group 0 as a storage buffer, dispatches
 * `shader`, and returns the outputs by binding number.
 */
export function computeWithBuffers(
  inputs: Record<number, ArrayBufferView | ArrayBuffer>,
  outputs: Record<number, OutputSpec>,
  shader: string,
  options: ComputeOptions = {},
): Record<number, TypedArray> {
  const device = options.device ?? getDefaultDevice();
  const run = submitCompute(device, inputs, outputs, shader, options);
  const staging = run.staging as ReturnType<GPUDevice["createBuffer"]>;
  staging.mapSync(GPUMapMode.READ);
  return run.finish(staging.getMappedRange());
}
