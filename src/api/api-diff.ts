// Every deliberate difference from the WebGPU spec, in one place. The docs' "differences from
// WebGPU" section and test/api-diff.test.ts are generated from / checked against this list.

export interface ApiDiff {
  kind: "added" | "changed" | "hidden";
  /** `Interface.member`, or a module-level name for exports. */
  target: string;
  reason: string;
}

const added = (target: string, reason: string): ApiDiff => ({ kind: "added", target, reason });

export const apiDiff: readonly ApiDiff[] = Object.freeze([
  added("GPU.requestAdapterSync", "sync twin of requestAdapter, for scripts and REPLs"),
  added("GPU.enumerateAdapters", "lists every adapter of the engine (wgpu-py's enumerate_adapters)"),
  added("GPU.enumerateAdaptersSync", "sync twin of enumerateAdapters"),
  added("GPUAdapter.label", "every native object has a label, the adapter too"),
  added("GPUAdapter.summary", "one line naming the adapter, its type and its backend"),
  added("GPUAdapter.requestDeviceSync", "sync twin of requestDevice"),
  added("GPUDevice.adapter", "the adapter the device came from: too useful not to have"),
  added("GPUDevice.createBufferWithData", "a buffer filled with data in one call (wgpu-py's create_buffer_with_data)"),
  added("GPUDevice.createComputePipelineAsyncSync", "sync twin of createComputePipelineAsync"),
  added("GPUDevice.createRenderPipelineAsyncSync", "sync twin of createRenderPipelineAsync"),
  added("GPUDevice.popErrorScopeSync", "sync twin of popErrorScope"),
  added("GPUBuffer.mapSync", "sync twin of mapAsync"),
  added("GPUBuffer.readMapped", "a copy of the mapped bytes without handing out a range (wgpu-py's read_mapped)"),
  added("GPUBuffer.writeMapped", "writes bytes into the mapped range (wgpu-py's write_mapped)"),
  added("GPUQueue.readBuffer", "one call readback through a staging buffer (wgpu-py's read_buffer)"),
  added("GPUQueue.readBufferSync", "sync twin of readBuffer"),
  added("GPUQueue.onSubmittedWorkDoneSync", "sync twin of onSubmittedWorkDone"),
  added("GPUQueue.readTexture", "one call texture readback without the 256-byte row padding (wgpu-py's read_texture)"),
  added("GPUQueue.readTextureSync", "sync twin of readTexture"),
  added("GPUShaderModule.getCompilationInfoSync", "sync twin of getCompilationInfo"),
  added(
    "GPUDeviceDescriptor.watchdogMs",
    "a GPU that does not finish its work within this many ms loses the device, as a browser's GPU timeout does (default: WGPU_WATCHDOG_MS, else 30000)",
  ),
  added("GPUDeviceDescriptor.strict", "true throws uncaptured errors from the call that caused them, as wgpu-py does (default: WGPU_STRICT=1)"),
  added("setLogLevel", "how much the engine logs to the logger: off, error, warn (default, or WGPU_LOG_LEVEL), info, debug, trace"),
  added("getLogLevel", "the engine log level in force"),
  added("setLogger", "where the engine's log messages go (stderr by default)"),
  added("GPUTexture.size", "[width, height, depthOrArrayLayers] (wgpu-py's size)"),
  added("GPUTextureView.texture", "the texture the view looks into (wgpu-py's texture)"),
  added("GPUTextureView.size", "the size of the texture the view looks into (wgpu-py's size)"),
  added("GPUCanvasContext.present", "ends the frame (a browser does it after each animation frame); the canvas keeps its pixels"),
  added("*.[Symbol.dispose]", "releases the native object now (`using`); using it afterwards throws a TypeError"),
  {
    kind: "changed",
    target: "GPUDevice.importExternalTexture",
    reason: "always a TypeError, and externalTexture bind group layout entries too: there are no video frames in Node.js",
  },
  {
    kind: "changed",
    target: "GPUCanvasContext.getCurrentTexture",
    reason: "the texture's usage also has COPY_SRC, so that the presented frame can be read back (readPixels, savePng)",
  },
  {
    kind: "changed",
    target: "GPUAdapter.requestDevice",
    reason: "an adapter may create more than one device, as desktop engines allow (the spec consumes the adapter)",
  },
  {
    kind: "changed",
    target: "GPUError",
    reason: "extends Error, so that an error thrown in strict mode or logged has a name and a stack; instanceof works as in the spec",
  },
  {
    kind: "changed",
    target: "GPUSize64",
    reason: "values above 2^53 - 1 (Number.MAX_SAFE_INTEGER) are a TypeError: a JS number cannot hold them exactly",
  },
]);
