// The benchmark workloads, written once against the standard WebGPU API and run unchanged by
// Node (wgpu-ts, dawn.node), Deno (its built-in navigator.gpu) and Bun (bun-webgpu).
// Plain JavaScript on purpose: every runtime loads it as it is. bench/workloads.py is the port
// for wgpu-py; keep the two in step (same sizes, same shaders, same steps).
//
// Each workload returns { unit, better, runs: [value per timed run] } after its warm-up run;
// the runner takes the median. Time-based units are per operation, rate-based units per second.

export const U = { MAP_READ: 1, MAP_WRITE: 2, COPY_SRC: 4, COPY_DST: 8, INDEX: 16, VERTEX: 32, UNIFORM: 64, STORAGE: 128, INDIRECT: 256 };
const TEX_RENDER = 16;
const TEX_COPY_SRC = 1;
const MiB = 1 << 20;

/** Sizes; the runner passes the same values to every peer (bench/workloads.py reads the same keys). */
export function defaultSizes(quick) {
  return {
    warmups: 1,
    runs: quick ? 3 : 5,
    draws: quick ? 10_000 : 100_000,
    dispatches: quick ? 10_000 : 100_000,
    objects: quick ? 1_000 : 10_000,
    bigBytes: 64 * MiB,
    chunkBytes: 4096,
    roundTrips: quick ? 100 : 1000,
    matmulN: 512,
    matmulReps: 3,
    // The throughput-bound rows: sizes where the GPU's work, not the wait, dominates a run.
    // The runner picks smaller ones for a CPU adapter (bench/run.ts), where 4096 takes minutes.
    matmulBigN: 4096,
    matmulBigReps: 1,
    streamBytes: 128 * MiB,
    streamReps: 50,
    sceneDraws: 10_000,
    frames: quick ? 3 : 10,
  };
}

const now = () => performance.now();

/** Runs `body` warmups + runs times and keeps the timed values. */
export async function repeat(sizes, body) {
  const runs = [];
  for (let i = 0; i < sizes.warmups + sizes.runs; i++) {
    const v = await body();
    if (i >= sizes.warmups) runs.push(v);
  }
  return runs;
}

/**
 * Between the runs of a workload that drops native objects: a collection, and a turn of the event
 * loop for the finalizers that release them. Without it a garbage-collected runtime holds every
 * run's objects: 60k bind groups are 60k memory mappings on lavapipe, which crashes (any binding,
 * wgpu-py included) past vm.max_map_count (65530). Untimed; Python frees at once anyway.
 */
async function releaseDropped() {
  (globalThis.gc ?? globalThis.Bun?.gc)?.(true);
  await new Promise((r) => setTimeout(r, 10));
}

/**
 * Encoding cost per command: `encode` records `n` commands and returns the finished command buffer.
 * Two figures: to finish() (what the issue names "encode"), and to submit() returning, because
 * engines split the work differently: wgpu-core records the Vulkan commands at finish(), Dawn at
 * submit(). The GPU's execution of the commands is waited for untimed after each run.
 */
async function encodeCost(device, sizes, n, unit, encode) {
  const runs = [];
  const withSubmit = [];
  for (let i = 0; i < sizes.warmups + sizes.runs; i++) {
    const t0 = now();
    const commands = encode();
    const t1 = now();
    device.queue.submit([commands]);
    const t2 = now();
    await device.queue.onSubmittedWorkDone();
    if (i >= sizes.warmups) {
      runs.push(((t1 - t0) * 1e6) / n);
      withSubmit.push(((t2 - t0) * 1e6) / n);
    }
  }
  return { unit, better: "lower", runs, also: { Submit: { unit, better: "lower", runs: withSubmit } } };
}

export const TRIANGLE_WGSL = /* wgsl */ `
struct Out { @builtin(position) pos: vec4f, @location(0) color: vec4f };
@group(0) @binding(0) var<uniform> tint: vec4f;
@vertex fn vsPlain(@builtin(vertex_index) v: u32) -> Out {
  var p = array(vec2f(0.0, 0.5), vec2f(-0.5, -0.5), vec2f(0.5, -0.5));
  return Out(vec4f(p[v], 0.0, 1.0), vec4f(1.0, 0.5, 0.2, 1.0));
}
@vertex fn vsTinted(@builtin(vertex_index) v: u32) -> Out {
  var p = array(vec2f(0.0, 0.5), vec2f(-0.5, -0.5), vec2f(0.5, -0.5));
  return Out(vec4f(p[v], 0.0, 1.0), tint);
}
@fragment fn fs(i: Out) -> @location(0) vec4f { return i.color; }
`;

const SCENE_WGSL = /* wgsl */ `
struct Out { @builtin(position) pos: vec4f, @location(0) color: vec4f };
@group(0) @binding(0) var<storage, read> offsets: array<vec4f>;
@vertex fn vs(@builtin(vertex_index) v: u32, @builtin(instance_index) i: u32) -> Out {
  var p = array(vec2f(0.0, 0.02), vec2f(-0.02, -0.02), vec2f(0.02, -0.02));
  let o = offsets[i];
  return Out(vec4f(p[v] + o.xy, 0.0, 1.0), vec4f(o.z, o.w, 0.5, 1.0));
}
@fragment fn fs(i: Out) -> @location(0) vec4f { return i.color; }
`;

const COMPUTE_WGSL = /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> data: array<u32>;
@compute @workgroup_size(1) fn main() { data[0] = data[0] + 1u; }
`;

const MATMUL_TILE = 16;
const MATMUL_WGSL = /* wgsl */ `
const TILE = ${MATMUL_TILE}u;
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
override n: u32;
var<workgroup> ta: array<array<f32, TILE>, TILE>;
var<workgroup> tb: array<array<f32, TILE>, TILE>;
@compute @workgroup_size(TILE, TILE)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let row = gid.y;
  let col = gid.x;
  var sum = 0.0;
  for (var t = 0u; t < n; t += TILE) {
    ta[lid.y][lid.x] = a[row * n + t + lid.x];
    tb[lid.y][lid.x] = b[(t + lid.y) * n + col];
    workgroupBarrier();
    for (var k = 0u; k < TILE; k++) { sum += ta[lid.y][k] * tb[k][lid.x]; }
    workgroupBarrier();
  }
  c[row * n + col] = sum;
}`;

// Grid-stride loop over STREAM_WORKGROUPS x 256 invocations: one dispatch covers any size within
// the dispatch limit (65535 workgroups would cover only 16M vec4s).
const STREAM_WORKGROUPS = 4096;
const STREAM_WGSL = /* wgsl */ `
@group(0) @binding(0) var<storage, read> src: array<vec4f>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4f>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let count = arrayLength(&dst);
  for (var i = gid.x; i < count; i += ${STREAM_WORKGROUPS}u * 256u) { dst[i] = 2.0 * src[i]; }
}`;

/** Milliseconds from encoding one submit of `reps` dispatches of x by y workgroups to its completion. */
async function timeDispatches(device, pipeline, bindGroup, reps, x, y = 1) {
  const t0 = now();
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  for (let i = 0; i < reps; i++) pass.dispatchWorkgroups(x, y);
  pass.end();
  device.queue.submit([encoder.finish()]);
  await device.queue.onSubmittedWorkDone();
  return now() - t0;
}

/** GFLOP/s of `reps` n x n products per submit (one element checked against the CPU, so that a peer that computes nothing cannot win). */
async function matmulRate(device, sizes, n, reps) {
  const module = device.createShaderModule({ code: MATMUL_WGSL });
  const pipeline = device.createComputePipeline({ layout: "auto", compute: { module, entryPoint: "main", constants: { n } } });
  const a = new Float32Array(n * n).map((_, i) => ((i * 7) % 13) / 13 - 0.5);
  const b = new Float32Array(n * n).map((_, i) => ((i * 5) % 11) / 11 - 0.5);
  const usage = U.STORAGE | U.COPY_SRC | U.COPY_DST;
  const [ba, bb, bc] = [a, b, null].map((d) => {
    const buf = device.createBuffer({ size: n * n * 4, usage });
    if (d) device.queue.writeBuffer(buf, 0, d);
    return buf;
  });
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [ba, bb, bc].map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  await device.queue.onSubmittedWorkDone();
  const runs = await repeat(sizes, async () => {
    const ms = await timeDispatches(device, pipeline, bindGroup, reps, n / MATMUL_TILE, n / MATMUL_TILE);
    return (2 * n ** 3 * reps) / (ms / 1e3) / 1e9;
  });
  const check = device.createBuffer({ size: 4, usage: U.MAP_READ | U.COPY_DST });
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(bc, 4 * (n + 1), check, 0, 4);
  device.queue.submit([encoder.finish()]);
  await check.mapAsync(1);
  const got = new Float32Array(check.getMappedRange())[0];
  let want = 0;
  for (let k = 0; k < n; k++) want += a[n + k] * b[k * n + 1];
  if (Math.abs(got - want) > 1e-3 * Math.max(1, Math.abs(want))) throw new Error(`matmul ${n}: c[1][1] = ${got}, want ${want}`);
  return { unit: "GFLOP/s", better: "higher", runs };
}

const FORMAT = "rgba8unorm";

function canRender(device) {
  return typeof device.createRenderPipeline === "function" && typeof device.createTexture === "function";
}

export function renderTarget(device, size) {
  return device.createTexture({ size: [size, size], format: FORMAT, usage: TEX_RENDER | TEX_COPY_SRC });
}

function uniformBindGroups(device, layout, count) {
  const groups = [];
  for (let i = 0; i < count; i++) {
    const buffer = device.createBuffer({ size: 16, usage: U.UNIFORM | U.COPY_DST });
    device.queue.writeBuffer(buffer, 0, new Float32Array([i / count, 0.5, 0.5, 1]));
    groups.push(device.createBindGroup({ layout, entries: [{ binding: 0, resource: { buffer } }] }));
  }
  return groups;
}

export function beginPass(encoder, view) {
  return encoder.beginRenderPass({
    colorAttachments: [{ view, loadOp: "clear", storeOp: "store", clearValue: { r: 0, g: 0, b: 0, a: 1 } }],
  });
}

/** The workloads, by id. Each takes (device, sizes) and returns { unit, better, runs } or { na: reason }. */
export const workloads = {
  /** Encoding cost per draw() in a render pass: the loop, end() and finish(), divided by the draws (and with submit: see encodeCost). */
  async draw(device, sizes) {
    if (!canRender(device)) return { na: "no render pipelines" };
    const pipeline = renderPipeline(device, TRIANGLE_WGSL, "vsPlain");
    const view = renderTarget(device, 64).createView();
    const n = sizes.draws;
    return encodeCost(device, sizes, n, "ns/draw", () => {
      const encoder = device.createCommandEncoder();
      const pass = beginPass(encoder, view);
      pass.setPipeline(pipeline);
      for (let i = 0; i < n; i++) pass.draw(3);
      pass.end();
      return encoder.finish();
    });
  },

  /** Per setBindGroup + draw, the bind group changing every draw. */
  async bindDraw(device, sizes) {
    if (!canRender(device)) return { na: "no render pipelines" };
    const pipeline = renderPipeline(device, TRIANGLE_WGSL, "vsTinted");
    const groups = uniformBindGroups(device, pipeline.getBindGroupLayout(0), 2);
    const [g0, g1] = groups;
    const view = renderTarget(device, 64).createView();
    const n = sizes.draws;
    return encodeCost(device, sizes, n, "ns/(setBindGroup+draw)", () => {
      const encoder = device.createCommandEncoder();
      const pass = beginPass(encoder, view);
      pass.setPipeline(pipeline);
      for (let i = 0; i < n; i++) {
        pass.setBindGroup(0, i & 1 ? g1 : g0);
        pass.draw(3);
      }
      pass.end();
      return encoder.finish();
    });
  },

  /** Per setBindGroup + dispatchWorkgroups in a compute pass, the bind group changing every time. */
  async bindDispatch(device, sizes) {
    const module = device.createShaderModule({ code: COMPUTE_WGSL });
    const pipeline = device.createComputePipeline({ layout: "auto", compute: { module, entryPoint: "main" } });
    const layout = pipeline.getBindGroupLayout(0);
    const [g0, g1] = [0, 1].map(() => {
      const buffer = device.createBuffer({ size: 16, usage: U.STORAGE });
      return device.createBindGroup({ layout, entries: [{ binding: 0, resource: { buffer } }] });
    });
    const n = sizes.dispatches;
    return encodeCost(device, sizes, n, "ns/(setBindGroup+dispatch)", () => {
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline);
      for (let i = 0; i < n; i++) {
        pass.setBindGroup(0, i & 1 ? g1 : g0);
        pass.dispatchWorkgroups(1);
      }
      pass.end();
      return encoder.finish();
    });
  },

  /** createBuffer + destroy, per buffer. */
  async createBuffer(device, sizes) {
    const n = sizes.objects;
    const runs = await repeat(sizes, () => {
      const t0 = now();
      for (let i = 0; i < n; i++) device.createBuffer({ size: 256, usage: U.UNIFORM | U.COPY_DST }).destroy();
      return ((now() - t0) * 1e6) / n;
    });
    return { unit: "ns/buffer", better: "lower", runs };
  },

  /** createBindGroup (one uniform buffer), per bind group. */
  async createBindGroup(device, sizes) {
    const module = device.createShaderModule({ code: COMPUTE_WGSL });
    const pipeline = device.createComputePipeline({ layout: "auto", compute: { module, entryPoint: "main" } });
    const layout = pipeline.getBindGroupLayout(0);
    const buffer = device.createBuffer({ size: 256, usage: U.STORAGE });
    const entries = [{ binding: 0, resource: { buffer } }];
    const n = sizes.objects;
    const runs = await repeat(sizes, async () => {
      await releaseDropped();
      const t0 = now();
      for (let i = 0; i < n; i++) device.createBindGroup({ layout, entries });
      return ((now() - t0) * 1e6) / n;
    });
    return { unit: "ns/bind group", better: "lower", runs };
  },

  /** writeBuffer of 64 MiB in one call, until the queue has done it, in GiB/s. */
  writeBig: (device, sizes) => writeRate(device, sizes, sizes.bigBytes),

  /** writeBuffer of 64 MiB in 4 KiB chunks (one call each), until the queue has done them, in GiB/s. */
  writeChunks: (device, sizes) => writeRate(device, sizes, sizes.chunkBytes),

  /** Readback of 64 MiB: copy to a MAP_READ buffer, submit, mapAsync, copy the bytes into JS memory, unmap. */
  async readback(device, sizes) {
    const bytes = sizes.bigBytes;
    const { src, dst, out } = await readbackBuffers(device, bytes);
    const runs = await repeat(sizes, async () => {
      const t0 = now();
      const encoder = device.createCommandEncoder();
      encoder.copyBufferToBuffer(src, 0, dst, 0, bytes);
      device.queue.submit([encoder.finish()]);
      await dst.mapAsync(1);
      out.set(new Uint8Array(dst.getMappedRange()));
      dst.unmap();
      return gibPerSecond(bytes, now() - t0);
    });
    if (out[12345] !== (12345 & 0xff)) throw new Error(`readback: wrong byte ${out[12345]}`);
    src.destroy();
    dst.destroy();
    return { unit: "GiB/s", better: "higher", runs };
  },

  /** Submit + map round trip of 16 bytes: copy, submit, mapAsync, read, unmap. Microseconds each. */
  async roundTrip(device, sizes) {
    const { src, dst } = roundTripBuffers(device);
    const n = sizes.roundTrips;
    let sum = 0;
    const runs = await repeat(sizes, async () => {
      const t0 = now();
      for (let i = 0; i < n; i++) {
        const encoder = device.createCommandEncoder();
        encoder.copyBufferToBuffer(src, 0, dst, 0, 16);
        device.queue.submit([encoder.finish()]);
        await dst.mapAsync(1);
        sum += new Uint32Array(dst.getMappedRange())[3];
        dst.unmap();
      }
      return ((now() - t0) * 1e3) / n;
    });
    if (sum !== 4 * n * (sizes.warmups + sizes.runs)) throw new Error(`roundTrip: wrong data (${sum})`);
    return { unit: "µs", better: "lower", runs };
  },

  /** Tiled f32 matmul (16x16 tiles), GFLOP/s over matmulReps products per run: latency-bound at 512 (0.2 ms of GPU work). */
  matmul: (device, sizes) => matmulRate(device, sizes, sizes.matmulN, sizes.matmulReps),

  /** The same kernel at matmulBigN (4096 on a GPU: ~30 ms of work per product), where the kernel's speed shows, not the wait. */
  matmulBig: (device, sizes) => matmulRate(device, sizes, sizes.matmulBigN, sizes.matmulBigReps),

  /**
   * Memory-bound kernel: dst = 2 * src over streamBytes of vec4f, streamReps dispatches per submit,
   * as GB/s of bytes read plus written (10^9, as GPU memory bandwidth is quoted).
   */
  async streamKernel(device, sizes) {
    const bytes = sizes.streamBytes;
    const reps = sizes.streamReps;
    const module = device.createShaderModule({ code: STREAM_WGSL });
    const pipeline = device.createComputePipeline({ layout: "auto", compute: { module, entryPoint: "main" } });
    const src = device.createBuffer({ size: bytes, usage: U.STORAGE | U.COPY_DST });
    const dst = device.createBuffer({ size: bytes, usage: U.STORAGE | U.COPY_SRC });
    const pattern = new Float32Array(1 << 20).map((_, i) => (i % 97) - 48);
    for (let off = 0; off < bytes; off += pattern.byteLength) device.queue.writeBuffer(src, off, pattern, 0, Math.min(pattern.length, (bytes - off) / 4));
    const bindGroup = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [src, dst].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    await device.queue.onSubmittedWorkDone();
    const runs = await repeat(sizes, async () => {
      const ms = await timeDispatches(device, pipeline, bindGroup, reps, STREAM_WORKGROUPS);
      return (2 * bytes * reps) / (ms / 1e3) / 1e9;
    });
    // The last vec4 is checked, so that a kernel that skips the grid-stride loop cannot win.
    const check = device.createBuffer({ size: 16, usage: U.MAP_READ | U.COPY_DST });
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(dst, bytes - 16, check, 0, 16);
    device.queue.submit([encoder.finish()]);
    await check.mapAsync(1);
    const got = Array.from(new Float32Array(check.getMappedRange()));
    const want = [0, 1, 2, 3].map((k) => 2 * (((((bytes - 16) / 4 + k) % pattern.length) % 97) - 48));
    if (got.some((v, k) => v !== want[k])) throw new Error(`streamKernel: last vec4 = ${got}, want ${want}`);
    return { unit: "GB/s", better: "higher", runs };
  },

  /** Frames per second of a scene of sceneDraws small triangles (one draw each), 512x512, submitted and waited for. */
  async renderLoop(device, sizes) {
    if (!canRender(device)) return { na: "no render pipelines" };
    const scene = makeScene(device, sizes.sceneDraws);
    const frames = sizes.frames;
    const runs = await repeat(sizes, async () => {
      const t0 = now();
      for (let f = 0; f < frames; f++) {
        device.queue.submit([scene.encodeFrame()]);
        await device.queue.onSubmittedWorkDone();
      }
      return frames / ((now() - t0) / 1e3);
    });
    return { unit: "frames/s", better: "higher", runs };
  },
};

/** The memory-copy limit beside writeBuffer and readback: TypedArray.set of the same sizes. */
export const memcpy = {
  setBig(sizes) {
    const src = filled(sizes.bigBytes);
    const dst = new Uint8Array(sizes.bigBytes);
    return repeatSync(sizes, () => {
      const t0 = now();
      dst.set(src);
      return gibPerSecond(sizes.bigBytes, now() - t0);
    });
  },
  setChunks(sizes) {
    const src = filled(sizes.bigBytes);
    const dst = new Uint8Array(sizes.bigBytes);
    const chunk = sizes.chunkBytes;
    return repeatSync(sizes, () => {
      const t0 = now();
      for (let off = 0; off < sizes.bigBytes; off += chunk) dst.set(src.subarray(off, off + chunk), off);
      return gibPerSecond(sizes.bigBytes, now() - t0);
    });
  },
};

async function writeRate(device, sizes, chunk) {
  const bytes = sizes.bigBytes;
  const buffer = device.createBuffer({ size: bytes, usage: U.COPY_DST | U.STORAGE });
  const data = filled(bytes);
  const runs = await repeat(sizes, async () => {
    const t0 = now();
    for (let off = 0; off < bytes; off += chunk) device.queue.writeBuffer(buffer, off, data, off, chunk);
    await device.queue.onSubmittedWorkDone();
    return gibPerSecond(bytes, now() - t0);
  });
  buffer.destroy();
  return { unit: "GiB/s", better: "higher", runs };
}

export function renderPipeline(device, code, vs) {
  const module = device.createShaderModule({ code });
  return device.createRenderPipeline({
    layout: "auto",
    vertex: { module, entryPoint: vs },
    fragment: { module, entryPoint: "fs", targets: [{ format: FORMAT }] },
  });
}

function repeatSync(sizes, body) {
  const runs = [];
  for (let i = 0; i < sizes.warmups + sizes.runs; i++) {
    const v = body();
    if (i >= sizes.warmups) runs.push(v);
  }
  return { unit: "GiB/s", better: "higher", runs };
}

/** The 16-byte source (1, 2, 3, 4) and MAP_READ destination of a round trip. */
export function roundTripBuffers(device) {
  const src = device.createBuffer({ size: 16, usage: U.COPY_SRC | U.COPY_DST });
  device.queue.writeBuffer(src, 0, new Uint32Array([1, 2, 3, 4]));
  const dst = device.createBuffer({ size: 16, usage: U.MAP_READ | U.COPY_DST });
  return { src, dst };
}

/** The render loop's scene of `count` small triangles (one draw each, instance i), 512x512; encodeFrame() returns one frame's command buffer. */
export function makeScene(device, count) {
  const pipeline = renderPipeline(device, SCENE_WGSL, "vs");
  const offsets = new Float32Array(count * 4);
  for (let i = 0; i < count; i++) offsets.set([((i * 37) % 200) / 100 - 1, ((i * 91) % 200) / 100 - 1, (i % 7) / 7, (i % 5) / 5], i * 4);
  const storage = device.createBuffer({ size: offsets.byteLength, usage: U.STORAGE | U.COPY_DST });
  device.queue.writeBuffer(storage, 0, offsets);
  const bindGroup = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: storage } }] });
  const view = renderTarget(device, 512).createView();
  return {
    encodeFrame() {
      const encoder = device.createCommandEncoder();
      const pass = beginPass(encoder, view);
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      for (let i = 0; i < count; i++) pass.draw(3, 1, 0, i);
      pass.end();
      return encoder.finish();
    },
  };
}

/** The source (filled, written), the MAP_READ destination and the JS array of a readback of `bytes`. */
export async function readbackBuffers(device, bytes) {
  const src = device.createBuffer({ size: bytes, usage: U.COPY_SRC | U.COPY_DST | U.STORAGE });
  device.queue.writeBuffer(src, 0, filled(bytes));
  const dst = device.createBuffer({ size: bytes, usage: U.MAP_READ | U.COPY_DST });
  await device.queue.onSubmittedWorkDone();
  return { src, dst, out: new Uint8Array(bytes) };
}

export function filled(bytes) {
  const data = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) data[i] = i & 0xff;
  return data;
}

function gibPerSecond(bytes, ms) {
  return bytes / (1 << 30) / (ms / 1e3);
}
