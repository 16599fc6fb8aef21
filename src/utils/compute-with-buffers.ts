// computeWithBuffers: run one compute shader over typed arrays and get typed arrays back
// (wgpu-py's compute_with_buffers), answering in place (the core is in compute-core.ts).
import { GPUMapMode } from "../api/constants.ts";
import { submitCompute, type ComputeOptions, type OutputSpec, type TypedArray } from "./compute-core.ts";
import { getDefaultDevice } from "./default-device.ts";
import { throwingErrors } from "../api/error-scopes.ts";

export type { ComputeOptions, OutputSpec, TypedArray, TypedArrayConstructor } from "./compute-core.ts";

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
  // Its calls' errors are its own: thrown here, with every buffer it made released.
  const run = throwingErrors(
    device,
    "computeWithBuffers",
    () => submitCompute(device, inputs, outputs, shader, options),
    (failed) => failed?.release(),
  );
  run.staging.mapSync(GPUMapMode.READ);
  return run.finish(run.staging.getMappedRange());
}
