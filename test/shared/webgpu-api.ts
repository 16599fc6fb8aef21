// One test text for three implementations: wgpu-ts in Node.js on wgpu-native and on Dawn
// (test/webgpu-api.test.ts) and the browser build in Chromium (test/browser.chromium.ts, which
// bundles this file into a page). It imports nothing: the runner hands it the wgpu-ts module of
// its implementation and what only the runner can do (a canvas, a reference image).
import { makeTriangle } from "../../examples/triangle.ts";

/** wgpu-ts's module as the tests use it: what the browser build and the native one both export. */
export type Api = typeof import("../../src/browser.ts");

export interface Env {
  /** "wgpu-native", "dawn" or "chromium". */
  implementation: string;
  /** A canvas that getContext("webgpu") works on: a page's <canvas>, wgpu-ts's offscreen canvas in Node.js. */
  createCanvas(width: number, height: number): { width: number; height: number; getContext(id: "webgpu"): GPUCanvasContext | null };
  /** test/reference/<name>.png as RGBA8 pixels. */
  readReference(name: string): Promise<{ width: number; height: number; data: Uint8Array }>;
}

export interface SharedTest {
  name: string;
  run(): Promise<void>;
}

/** The assertions the tests make; node:assert is not in a page. */
function check(ok: unknown, message: string): asserts ok {
  if (!ok) throw new Error(message);
}

function equal<T>(actual: T, expected: T, message: string): void {
  if (!Object.is(actual, expected)) throw new Error(`${message}: expected ${String(expected)}, got ${String(actual)}`);
}

function sameArray(actual: ArrayLike<unknown>, expected: ArrayLike<unknown>, message: string): void {
  equal(actual.length, expected.length, `${message} (length)`);
  for (let i = 0; i < expected.length; i++) equal(actual[i], expected[i], `${message} [${i}]`);
}

async function rejects(promise: Promise<unknown>, name: string, message: string): Promise<void> {
  try {
    await promise;
  } catch (e) {
    equal((e as Error).name, name, message);
    return;
  }
  throw new Error(`${message}: expected a rejection (${name})`);
}

function throws(fn: () => unknown, name: string, pattern: RegExp, message: string): void {
  try {
    fn();
  } catch (e) {
    equal((e as Error).name, name, message);
    check(pattern.test((e as Error).message), `${message}: "${(e as Error).message}" does not match ${pattern}`);
    return;
  }
  throw new Error(`${message}: expected a ${name}`);
}

const doubler = /* wgsl */ `
@group(0) @binding(0) var<storage, read> input: array<f32>;
@group(0) @binding(1) var<storage, read_write> output: array<f32>;
@compute @workgroup_size(1) fn main(@builtin(global_invocation_id) id: vec3u) { output[id.x] = input[id.x] * 2.0; }`;

/** The shared tests, in order; each makes what it needs from `api`'s default device or its own. */
export function webgpuApiTests(api: Api, env: Env): SharedTest[] {
  const { GPUBufferUsage: B, GPUMapMode, GPUTextureUsage } = api;
  const browser = env.implementation === "chromium";
  let shared: { adapter: GPUAdapter; device: GPUDevice } | undefined;
  const setup = async () => {
    if (shared) return shared;
    const adapter = await api.gpu.requestAdapter();
    check(adapter, "requestAdapter gives an adapter");
    shared = { adapter, device: await adapter.requestDevice({ label: "shared test device" }) };
    return shared;
  };
  const tests: SharedTest[] = [];
  const test = (name: string, run: () => Promise<void>) => tests.push({ name, run });

  test("requestAdapter gives an adapter with info, features, limits and a summary", async () => {
    const { adapter } = await setup();
    check(adapter instanceof api.GPUAdapter, "the adapter is a GPUAdapter");
    check(typeof adapter.info.vendor === "string", "info.vendor is a string");
    check(adapter.limits.maxBufferSize >= 256 * 1024 * 1024, "limits.maxBufferSize is at least the spec's default");
    check(typeof adapter.features.has === "function", "features is a set");
    check(/^.+ \((CPU|DiscreteGPU|IntegratedGPU|Unknown)\) via \w+$/.test(adapter.summary), `summary: ${adapter.summary}`);
  });

  test("requestDevice gives a device with its queue, its adapter and its limits", async () => {
    const { adapter, device } = await setup();
    check(device instanceof api.GPUDevice, "the device is a GPUDevice");
    check(device.queue instanceof api.GPUQueue, "device.queue is a GPUQueue");
    equal(device.adapter, adapter, "device.adapter");
    equal(device.label, "shared test device", "device.label");
    check(device.limits.maxBindGroups >= 4, "device.limits.maxBindGroups");
  });

  test("createBufferWithData and queue.readBuffer round-trip, also at unaligned offsets", async () => {
    const { device } = await setup();
    const data = Uint8Array.from({ length: 37 }, (_, i) => i * 3);
    const buffer = device.createBufferWithData(data, B.COPY_SRC);
    equal(buffer.size, 40, "the size is rounded up to a multiple of 4");
    sameArray(new Uint8Array(await device.queue.readBuffer(buffer)), [...data, 0, 0, 0], "the whole buffer");
    sameArray(new Uint8Array(await device.queue.readBuffer(buffer, 5, 7)), data.slice(5, 12), "bytes 5..12");
    buffer.destroy();
  });

  test("bad arguments to the extras: errors that name the method and the member", async () => {
    const { device } = await setup();
    const buffer = device.createBuffer({ size: 8, usage: B.COPY_SRC });
    await rejects(device.queue.readBuffer(buffer, 4, 8), "RangeError", "readBuffer past the end");
    await rejects(device.queue.readBuffer({} as GPUBuffer), "TypeError", "readBuffer of a non-buffer");
    throws(
      () => device.createBufferWithData(42 as unknown as BufferSource, B.COPY_SRC),
      "TypeError",
      /GPUDevice\.createBufferWithData: data must be/,
      "createBufferWithData(42)",
    );
    throws(() => buffer.readMapped(), "OperationError", /GPUBuffer\.readMapped: the buffer is not mapped/, "readMapped of an unmapped buffer");
    buffer.destroy();
  });

  test("readBuffer and computeWithBuffers report their own errors as rejections, and nothing reaches uncapturederror", async () => {
    const adapter = await api.gpu.requestAdapter();
    check(adapter, "an adapter");
    const device = await adapter.requestDevice();
    const uncaptured: string[] = [];
    device.addEventListener("uncapturederror", (e) => void uncaptured.push((e as GPUUncapturedErrorEvent).error.message));
    const gone = device.createBuffer({ size: 8, usage: B.COPY_SRC, label: "gone" });
    gone.destroy();
    const message = async (p: Promise<unknown>) =>
      p.then(
        () => "resolved",
        (e: Error) => `${e.constructor.name}: ${e.message}`,
      );
    equal(await message(device.queue.readBuffer(gone)), 'GPUValidationError: GPUQueue.readBuffer: buffer "gone" is destroyed', "a destroyed buffer");
    equal(
      await message(device.queue.readBuffer(device.createBuffer({ size: 8, usage: B.COPY_DST }))),
      "GPUValidationError: GPUQueue.readBuffer: buffer has no COPY_SRC usage",
      "a buffer without COPY_SRC",
    );
    const bad = await message(Promise.resolve().then(() => api.computeWithBuffers({ 0: new Float32Array(4) }, { 1: 16 }, "this is not WGSL", { device })));
    check(/^GPUValidationError: computeWithBuffers: /.test(bad), `a shader that does not compile: ${bad}`);
    await device.queue.onSubmittedWorkDone();
    sameArray(uncaptured, [], "uncaptured errors");
    device.destroy();
  });

  test("queue.writeBuffer with a data offset and size in elements", async () => {
    const { device } = await setup();
    const buffer = device.createBuffer({ size: 16, usage: B.COPY_DST | B.COPY_SRC });
    device.queue.writeBuffer(buffer, 4, new Uint32Array([1, 2, 3, 4]), 1, 2);
    sameArray(new Uint32Array(await device.queue.readBuffer(buffer)), [0, 2, 3, 0], "the written words");
    buffer.destroy();
  });

  test("mapAsync(READ): mapState moves pending -> mapped -> unmapped; getMappedRange and readMapped see the data", async () => {
    const { device } = await setup();
    const source = device.createBufferWithData(new Uint32Array([7, 8, 9, 10]), B.COPY_SRC);
    const staging = device.createBuffer({ size: 16, usage: B.MAP_READ | B.COPY_DST });
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(source, 0, staging, 0, 16);
    device.queue.submit([encoder.finish()]);
    const mapped = staging.mapAsync(GPUMapMode.READ);
    equal(staging.mapState, "pending", "mapState while mapping");
    await mapped;
    equal(staging.mapState, "mapped", "mapState once mapped");
    sameArray(new Uint32Array(staging.readMapped(4, 8)), [8, 9], "readMapped(4, 8)");
    sameArray(new Uint32Array(staging.readMapped()), [7, 8, 9, 10], "readMapped() again, the whole range");
    staging.unmap();
    equal(staging.mapState, "unmapped", "mapState after unmap");
    source.destroy();
    staging.destroy();
  });

  test("mappedAtCreation and writeMapped fill a buffer; a read-mapped buffer refuses writeMapped", async () => {
    const { device } = await setup();
    const buffer = device.createBuffer({ size: 8, usage: B.COPY_SRC, mappedAtCreation: true });
    buffer.writeMapped(new Uint16Array([1, 2]), 4);
    buffer.unmap();
    sameArray(new Uint16Array(await device.queue.readBuffer(buffer)), [0, 0, 1, 2], "the written halves");
    const readable = device.createBuffer({ size: 8, usage: B.MAP_READ | B.COPY_DST });
    await readable.mapAsync(GPUMapMode.READ);
    throws(() => readable.writeMapped(new Uint8Array(4)), "OperationError", /mapped for reading/, "writeMapped on a read mapping");
    buffer.destroy();
    readable.destroy();
  });

  test("mapAsync rejects with an AbortError when the buffer is unmapped first", async () => {
    const { device } = await setup();
    const buffer = device.createBuffer({ size: 4, usage: B.MAP_READ });
    const mapped = buffer.mapAsync(GPUMapMode.READ);
    buffer.unmap();
    await rejects(mapped, "AbortError", "the map aborted by unmap");
    buffer.destroy();
  });

  test("computeWithBuffers doubles an array (await works on both backends)", async () => {
    const input = Float32Array.from({ length: 64 }, (_, i) => i - 10.5);
    const out = await api.computeWithBuffers({ 0: input }, { 1: { length: 64, type: Float32Array } }, doubler, { device: (await setup()).device });
    check(out[1] instanceof Float32Array, "the output is a Float32Array");
    sameArray(
      out[1],
      input.map((x) => x * 2),
      "output = 2 * input",
    );
  });

  test("computeWithBuffers on the default device, with byte outputs and override constants", async () => {
    const device = await api.getDefaultDevice();
    equal(await api.getDefaultDevice(), device, "the same default device twice");
    const shader = /* wgsl */ `
      override k: u32;
      @group(0) @binding(0) var<storage, read_write> a: array<u32>;
      @group(0) @binding(2) var<storage, read_write> b: array<u32>;
      @compute @workgroup_size(1) fn main(@builtin(global_invocation_id) id: vec3u) { a[id.x] = id.x * k; b[id.x] = id.x + k; }`;
    const out = await api.computeWithBuffers({}, { 0: 16, 2: { length: 4, type: Uint32Array } }, shader, { n: 4, constants: { k: 3 } });
    sameArray(new Uint32Array(out[0].buffer), [0, 3, 6, 9], "binding 0 (bytes)");
    sameArray(out[2], [3, 4, 5, 6], "binding 2");
  });

  test("a validation error is caught by its error scope, as a GPUValidationError with a message", async () => {
    const { device } = await setup();
    device.pushErrorScope("validation");
    device.createBuffer({ size: 4, usage: B.MAP_READ | B.MAP_WRITE });
    const error = await device.popErrorScope();
    check(error instanceof api.GPUValidationError, `a GPUValidationError (got ${String(error)})`);
    check(error instanceof api.GPUError, "a GPUError");
    check(error.message.length > 0, "with a message");
  });

  test("nested error scopes: the out-of-memory scope lets a validation error through to the outer one", async () => {
    const { device } = await setup();
    device.pushErrorScope("validation");
    device.pushErrorScope("out-of-memory");
    device.createTexture({ size: [4, 4], format: "rgba8unorm", usage: 0 });
    equal(await device.popErrorScope(), null, "the out-of-memory scope sees nothing");
    check((await device.popErrorScope()) instanceof api.GPUValidationError, "the validation scope has the error");
    await rejects(device.popErrorScope(), "OperationError", "popErrorScope with no scope left");
  });

  test("an error outside every scope fires uncapturederror on the device", async () => {
    const adapter = await api.gpu.requestAdapter(); // an adapter gives one device
    check(adapter, "a second adapter");
    const device = await adapter.requestDevice();
    const seen = new Promise<GPUUncapturedErrorEvent>((resolve) => device.addEventListener("uncapturederror", resolve as (e: Event) => void, { once: true }));
    device.createBuffer({ size: 4, usage: B.MAP_READ | B.MAP_WRITE });
    // A round trip to the GPU: a browser sends its commands (and hears of their errors) then.
    await device.queue.onSubmittedWorkDone();
    const event = await seen;
    check(event.error instanceof api.GPUValidationError, "the event carries the GPUValidationError");
    device.destroy();
  });

  test("getCompilationInfo gives an error with its line for a bad shader", async () => {
    const { device } = await setup();
    device.pushErrorScope("validation");
    const module = device.createShaderModule({ code: "@compute @workgroup_size(1)\nfn main() {\n  let x: u32 = 1.5;\n}" });
    const info = await module.getCompilationInfo();
    await device.popErrorScope();
    const errors = info.messages.filter((m) => m.type === "error");
    check(errors.length > 0, "an error message");
    equal(errors[0].lineNum, 3, "its line");
  });

  test("texture.size, view.texture and view.size", async () => {
    const { device } = await setup();
    const texture = device.createTexture({ size: [8, 4, 2], format: "rgba8unorm", usage: GPUTextureUsage.TEXTURE_BINDING });
    sameArray(texture.size, [8, 4, 2], "texture.size");
    const view = texture.createView({ dimension: "2d", baseArrayLayer: 1, arrayLayerCount: 1 });
    equal(view.texture, texture, "view.texture");
    sameArray(view.size, [8, 4, 2], "view.size");
    texture.destroy();
  });

  test("writeTexture and readTexture: tightly packed rows, and a layout with row padding", async () => {
    const { device } = await setup();
    const texture = device.createTexture({ size: [3, 2], format: "rgba8unorm", usage: GPUTextureUsage.COPY_DST | GPUTextureUsage.COPY_SRC });
    const texels = Uint8Array.from({ length: 24 }, (_, i) => i + 1);
    device.queue.writeTexture({ texture }, texels, { bytesPerRow: 12 }, [3, 2]);
    sameArray(new Uint8Array(await device.queue.readTexture({ texture }, [3, 2])), texels, "tightly packed");
    const padded = new Uint8Array(await device.queue.readTexture({ texture, origin: [1, 0] }, { offset: 2, bytesPerRow: 12 }, [2, 2]));
    equal(padded.length, 2 + 12 + 8, "offset + a padded row + a row");
    sameArray(padded.subarray(2, 10), texels.subarray(4, 12), "row 0 from x = 1");
    sameArray(padded.subarray(14, 22), texels.subarray(16, 24), "row 1 from x = 1");
    texture.destroy();
  });

  test("the Sync twins: they answer in place in Node.js, and are a NotSupportedError in a browser", async () => {
    const { device } = await setup();
    const buffer = device.createBufferWithData(new Uint32Array([5, 6]), B.COPY_SRC);
    if (browser) {
      throws(() => device.queue.readBufferSync(buffer), "NotSupportedError", /GPUQueue\.readBufferSync: .*use readBuffer/, "readBufferSync");
      throws(() => api.gpu.requestAdapterSync(), "NotSupportedError", /use requestAdapter/, "requestAdapterSync");
      const note = api.apiDiff.find((d) => d.target === "GPUBuffer.mapSync")?.browser;
      check(note?.startsWith("throws a NotSupportedError"), `apiDiff says so: ${note}`);
    } else {
      sameArray(new Uint32Array(device.queue.readBufferSync(buffer)), [5, 6], "readBufferSync");
      check(api.gpu.requestAdapterSync() instanceof api.GPUAdapter, "requestAdapterSync");
    }
    buffer.destroy();
  });

  test("every extra of the apiDiff registry is there, unless its browser note says absent", async () => {
    const { adapter, device } = await setup();
    const texture = device.createTexture({ size: [1, 1], format: "rgba8unorm", usage: GPUTextureUsage.TEXTURE_BINDING });
    const objects: Record<string, object> = {
      GPU: api.gpu,
      GPUAdapter: adapter,
      GPUDevice: device,
      GPUQueue: device.queue,
      GPUBuffer: device.createBuffer({ size: 4, usage: B.COPY_DST }),
      GPUTexture: texture,
      GPUTextureView: texture.createView(),
      GPUShaderModule: device.createShaderModule({ code: "" }),
      GPUCanvasContext: env.createCanvas(1, 1).getContext("webgpu")!,
    };
    const missing: string[] = [];
    for (const d of api.apiDiff.filter((e) => e.kind === "added")) {
      const [owner, member] = d.target.split(".");
      const absent = browser && d.browser?.startsWith("absent");
      const present = member === undefined ? owner in api : objects[owner] ? member in objects[owner] : undefined;
      if (present === undefined) continue; // a dictionary member or a rule for every class
      if (present === absent) missing.push(`${d.target} is ${present ? "there" : "missing"}`);
    }
    sameArray(missing, [], `the registry and the objects disagree: ${missing.join("; ")}`);
    texture.destroy();
  });

  test("a canvas in the preferred format (bgra8unorm or rgba8unorm) reads back as RGBA8; enumerateAdapters lists one at least", async () => {
    const { device } = await setup();
    const adapters = await api.gpu.enumerateAdapters();
    check(adapters.length >= 1 && adapters.every((a) => a instanceof api.GPUAdapter), `enumerateAdapters: ${adapters.length} adapters`);
    const format = api.gpu.getPreferredCanvasFormat();
    check(format === "bgra8unorm" || format === "rgba8unorm", `preferred format ${format}`);
    const canvas = env.createCanvas(8, 4);
    const context = canvas.getContext("webgpu")!;
    context.configure({ device, format });
    check(context.getConfiguration()?.format === format, "getConfiguration gives the format back");
    const encoder = device.createCommandEncoder();
    const view = context.getCurrentTexture().createView();
    encoder.beginRenderPass({ colorAttachments: [{ view, loadOp: "clear", storeOp: "store", clearValue: { r: 1, g: 0.5, b: 0, a: 1 } }] }).end();
    device.queue.submit([encoder.finish()]);
    const image = await api.readCanvas(canvas);
    equal(image.width * image.height, 32, "8 x 4 pixels");
    const [r, g, b, a] = image.data.subarray(4 * 9, 4 * 10);
    check(r === 255 && Math.abs(g - 128) <= 1 && b === 0 && a === 255, `pixel (1, 1) is orange in RGBA order: ${[r, g, b, a]}`);
    context.present();
  });

  test("a triangle rendered to a canvas and read back (readCanvas) matches the reference image", async () => {
    const { device } = await setup();
    const canvas = env.createCanvas(64, 64);
    const context = canvas.getContext("webgpu")!;
    context.configure({ device, format: "rgba8unorm", alphaMode: "opaque" });
    const draw = makeTriangle(device, "rgba8unorm");
    draw(context.getCurrentTexture().createView());
    // In the task that drew: a browser presents the canvas (and drops its texture) when it ends.
    const image = await api.readCanvas(canvas);
    const reference = await env.readReference("triangle");
    const diff = api.compareImages(image, reference, 3);
    equal(diff.mismatchedPixels, 0, `pixels that differ from test/reference/triangle.png (largest channel difference ${diff.maxDelta})`);
    context.present();
  });

  return tests;
}
