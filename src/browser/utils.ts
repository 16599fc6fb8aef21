// getDefaultDevice and computeWithBuffers in a browser: the same calls as in Node.js, answering
// with a Promise (a page cannot wait in place), so that `await` code runs unchanged in both.
import { GPUMapMode } from "../api/constants.ts";
import { rejectingErrors } from "../api/error-scopes.ts";
import { submitCompute, type ComputeOptions, type OutputSpec, type TypedArray } from "../utils/compute-core.ts";

let device: Promise<GPUDevice> | undefined;

/** The page's default device, made on first use from the default adapter (a Promise here). */
export function getDefaultDevice(): Promise<GPUDevice> {
  device ??= (async () => {
    const adapter = await (globalThis as { navigator?: Navigator }).navigator?.gpu?.requestAdapter({ powerPreference: "high-performance" });
    if (!adapter) throw new Error("wgpu-ts: getDefaultDevice found no adapter: this browser has no WebGPU (navigator.gpu), or no adapter for it");
    return adapter.requestDevice();
  })();
  // A failed request is not kept: the next call tries again.
  device.catch(() => {
    device = undefined;
  });
  return device;
}

/**
 * Binds each input and output at its binding number of group 0 as a storage buffer, dispatches
 * `shader`, and resolves to the outputs by binding number.
 */
export async function computeWithBuffers(
  inputs: Record<number, ArrayBufferView | ArrayBuffer>,
  outputs: Record<number, OutputSpec>,
  shader: string,
  options: ComputeOptions = {},
): Promise<Record<number, TypedArray>> {
  const device = options.device ?? (await getDefaultDevice());
  // Its calls' errors are its own, as in Node.js: a rejection, with every buffer it made released.
  const run = await rejectingErrors(
    device,
    "computeWithBuffers",
    () => submitCompute(device, inputs, outputs, shader, options),
    (failed) => failed?.release(),
  );
  await run.staging.mapAsync(GPUMapMode.READ);
  return run.finish(run.staging.getMappedRange());
}
