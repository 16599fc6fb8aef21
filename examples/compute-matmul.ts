// A tiled f32 matrix product on the GPU, checked against the CPU, with its GFLOP/s.
// Run: npx tsx examples/compute-matmul.ts [N]
import { gpu, GPUBufferUsage } from "wgpu-ts";

const N = Number(process.argv[2] ?? 512);
const TILE = 16;
if (!Number.isInteger(N) || N <= 0 || N % TILE !== 0) throw new RangeError(`N must be a positive multiple of ${TILE}`);

const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
if (!adapter) throw new Error("no WebGPU adapter");
const device = await adapter.requestDevice();
console.log(`adapter: ${adapter.summary}`);

const shader = /* wgsl */ `
const TILE = ${TILE}u;
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

const a = Float32Array.from({ length: N * N }, (_, i) => ((i * 7) % 13) / 13 - 0.5);
const b = Float32Array.from({ length: N * N }, (_, i) => ((i * 5) % 11) / 11 - 0.5);
const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC;
const bufA = device.createBufferWithData(a, usage);
const bufB = device.createBufferWithData(b, usage);
const bufC = device.createBuffer({ size: N * N * 4, usage });
const module = device.createShaderModule({ code: shader });
const pipeline = await device.createComputePipelineAsync({ layout: "auto", compute: { module, constants: { n: N } } });
const bindGroup = device.createBindGroup({
  layout: pipeline.getBindGroupLayout(0),
  entries: [bufA, bufB, bufC].map((buffer, binding) => ({ binding, resource: { buffer } })),
});

function run(times: number): void {
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  for (let i = 0; i < times; i++) pass.dispatchWorkgroups(N / TILE, N / TILE);
  pass.end();
  device.queue.submit([encoder.finish()]);
}

run(1); // warm-up
await device.queue.onSubmittedWorkDone();
const reps = 3;
const start = performance.now();
run(reps);
await device.queue.onSubmittedWorkDone();
const seconds = (performance.now() - start) / 1000;
const gflops = (2 * N ** 3 * reps) / seconds / 1e9;

const c = new Float32Array(await device.queue.readBuffer(bufC));
let maxError = 0;
for (let i = 0; i < N; i++) {
  for (let j = 0; j < N; j++) {
    let sum = 0;
    for (let k = 0; k < N; k++) sum += a[i * N + k] * b[k * N + j];
    maxError = Math.max(maxError, Math.abs(sum - c[i * N + j]));
  }
}
const ok = maxError < 1e-3;
console.log(`matmul ${N}x${N}: ${ok ? "OK" : "WRONG"} (max error vs CPU ${maxError.toExponential(2)}), ${gflops.toFixed(2)} GFLOP/s`);
if (!ok) process.exitCode = 1;
