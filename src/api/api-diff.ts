// Every deliberate difference from the WebGPU spec, in one place. The docs' "differences from
// WebGPU" section and test/api-diff.test.ts are generated from / checked against this list.

export interface ApiDiff {
  kind: "added" | "changed" | "hidden";
  /** `Interface.member`, or a module-level name for exports. */
  target: string;
  reason: string;
  /**
   * What it is in a browser (wgpu-ts's browser build, over the page's navigator.gpu), where that
   * differs: "absent: why" for what that build does not have. No note: the same as in Node.js.
   */
  browser?: string;
}

const added = (target: string, reason: string, browser?: string): ApiDiff => ({ kind: "added", target, reason, ...(browser && { browser }) });

/** The browser note of a Sync twin: the call throws, since a page cannot wait in place. */
const cannotWait = (instead: string) =>
  `throws a NotSupportedError naming ${instead}: the GPU's answer comes as a task on the page's (or worker's) own thread, so no wait in place can see it, Atomics.wait included`;

/** The browser note of readMapped and writeMapped. */
const mappedOnce =
  "the same, through one getMappedRange of the whole mapping: a getMappedRange of the caller's own over those bytes before it is an OperationError (a browser hands out a range once)";

export const apiDiff: readonly ApiDiff[] = Object.freeze([
  added("GPU.requestAdapterSync", "sync twin of requestAdapter, for scripts and REPLs", cannotWait("requestAdapter")),
  added(
    "GPU.enumerateAdapters",
    "lists every adapter of the engine (wgpu-py's enumerate_adapters)",
    "the one adapter requestAdapter() gives: a page sees no list",
  ),
  added("GPU.enumerateAdaptersSync", "sync twin of enumerateAdapters", cannotWait("enumerateAdapters")),
  added("GPUAdapter.label", "every native object has a label, the adapter too"),
  added(
    "GPUAdapter.summary",
    "one line naming the adapter, its type and its backend",
    'names the adapter from its info; type CPU for a fallback adapter, else Unknown; backend "browser"',
  ),
  added("GPUAdapter.requestDeviceSync", "sync twin of requestDevice", cannotWait("requestDevice")),
  added(
    "GPUDevice.adapter",
    "the adapter the device came from: too useful not to have",
    "null for a device that wgpu-ts's extras did not see made (made before the browser build was loaded)",
  ),
  added("GPUDevice.createBufferWithData", "a buffer filled with data in one call (wgpu-py's create_buffer_with_data)"),
  added("GPUDevice.createComputePipelineAsyncSync", "sync twin of createComputePipelineAsync", cannotWait("createComputePipelineAsync")),
  added("GPUDevice.createRenderPipelineAsyncSync", "sync twin of createRenderPipelineAsync", cannotWait("createRenderPipelineAsync")),
  added("GPUDevice.popErrorScopeSync", "sync twin of popErrorScope", cannotWait("popErrorScope")),
  added("GPUBuffer.mapSync", "sync twin of mapAsync", cannotWait("mapAsync")),
  added("GPUBuffer.readMapped", "a copy of the mapped bytes without handing out a range (wgpu-py's read_mapped)", mappedOnce),
  added("GPUBuffer.writeMapped", "writes bytes into the mapped range (wgpu-py's write_mapped)", mappedOnce),
  added("GPUQueue.readBuffer", "one call readback through a staging buffer (wgpu-py's read_buffer)"),
  added("GPUQueue.readBufferSync", "sync twin of readBuffer", cannotWait("readBuffer")),
  added("GPUQueue.onSubmittedWorkDoneSync", "sync twin of onSubmittedWorkDone", cannotWait("onSubmittedWorkDone")),
  added("GPUQueue.readTexture", "one call texture readback without the 256-byte row padding (wgpu-py's read_texture)"),
  added("GPUQueue.readTextureSync", "sync twin of readTexture", cannotWait("readTexture")),
  added("GPUShaderModule.getCompilationInfoSync", "sync twin of getCompilationInfo", cannotWait("getCompilationInfo")),
  added(
    "GPUDeviceDescriptor.requiredFeatures",
    "may name an engine feature that relaxes the spec's validation (wgpu-native's mappable-primary-buffers, texture-adapter-specific-format-features, vertex-writable-storage, multisample-array): granted, though adapter.features leaves it out so that asking for every listed feature keeps the spec's rules",
    "as the spec: the browser's engine grants only the features its adapter lists",
  ),
  added(
    "GPUDeviceDescriptor.strict",
    "true throws uncaptured errors from the call that caused them, as wgpu-py does (default: WGPU_STRICT=1)",
    "ignored: the browser reports errors later, as uncapturederror events",
  ),
  added(
    "setLogLevel",
    "how much the engine logs to the logger: off, error, warn (default, or WGPU_LOG_LEVEL), info, debug, trace",
    "absent: the browser's engine logs to its own console",
  ),
  added("getLogLevel", "the engine log level in force", "absent: the browser's engine logs to its own console"),
  added("setLogger", "where the engine's log messages go (stderr by default)", "absent: the browser's engine logs to its own console"),
  added(
    "GPUDeviceDescriptor.watchdogMs",
    "a GPU that does not finish its work within this many ms loses the device, as a browser's GPU timeout does (default: WGPU_WATCHDOG_MS, else 30000)",
    "ignored: the browser's own GPU watchdog applies",
  ),
  added("GPUTexture.size", "[width, height, depthOrArrayLayers] (wgpu-py's size)"),
  added("GPUTextureView.texture", "the texture the view looks into (wgpu-py's texture)"),
  added("GPUTextureView.size", "the size of the texture the view looks into (wgpu-py's size)"),
  added(
    "GPUCanvasContext.present",
    "ends the frame (a browser does it after each animation frame); the canvas keeps its pixels",
    "does nothing: the browser presents the canvas when the task that drew it ends",
  ),
  added(
    "*.[Symbol.dispose]",
    "releases the native object now (`using`); using it afterwards throws a TypeError",
    "destroy() on the objects that have it (device, buffer, texture, query set); the others are left to the garbage collector",
  ),
  added(
    "getDefaultDevice",
    "one device per process for scripts that do not care which (wgpu-py's get_default_device)",
    "a Promise of the device (await works on both)",
  ),
  added(
    "computeWithBuffers",
    "one compute shader over typed arrays, typed arrays back (wgpu-py's compute_with_buffers)",
    "a Promise of the outputs (await works on both)",
  ),
  added(
    "readCanvas",
    "a Promise of the canvas's current frame as RGBA8 pixels, through a copy to a buffer; call it before the frame is presented",
    "the same, on a page's <canvas> or OffscreenCanvas",
  ),
  {
    kind: "changed",
    target: "GPUDevice.importExternalTexture",
    reason:
      "always a TypeError: there are no video frames in Node.js. externalTexture bind group layout entries take texture views (as the spec allows) on Dawn, and are a TypeError on wgpu-native",
    browser: "the browser's own, which takes video frames",
  },
  {
    kind: "changed",
    target: "GPUCanvasContext.getCurrentTexture",
    reason: "the texture's usage also has COPY_SRC, so that the presented frame can be read back (readPixels, savePng)",
    browser: "the same: configure() adds COPY_SRC to the usage (for readCanvas), and getConfiguration() shows it",
  },
  {
    kind: "changed",
    target: "GPUAdapter.requestDevice",
    reason: "an adapter may create more than one device, as desktop engines allow (the spec consumes the adapter)",
    browser: "as the spec: the adapter gives one device",
  },
  {
    kind: "changed",
    target: "GPUError",
    reason: "extends Error, so that an error thrown in strict mode or logged has a name and a stack; instanceof works as in the spec",
    browser: "the browser's own GPUError",
  },
  {
    kind: "changed",
    target: "GPUObjectBase",
    reason:
      "an object of another GPUDevice as an argument or descriptor member of a create method (pipelines, layouts, the bind group's layout, bundle encoders) or of a hot pass command (setPipeline, setBindGroup, draws, dispatches) is a TypeError naming the member (the spec: a validation error; wgpu-native aborts on some); in queue writes, the encoder's commands, pass openers, executeBundles and bind group entries it is the spec's validation error",
    browser: "as the spec: the browser's validation error",
  },
  {
    kind: "changed",
    target: "GPUObjectBase.destroy",
    reason:
      "destroy() or [Symbol.dispose]() called by user code that runs inside another call (a getter, valueOf) takes effect when that call returns: the call sees its objects alive",
    browser: "as the browser does it",
  },
  {
    kind: "changed",
    target: "GPUSize64",
    reason: "values above 2^53 - 1 (Number.MAX_SAFE_INTEGER) are a TypeError: a JS number cannot hold them exactly",
    browser: "as the browser converts them",
  },
]);
