// TypeScript, as a user writes it: the standard WebGPU types (@webgpu/types, which wgpu-ts brings)
// and navigator.gpu after installGlobals(). Type-checked with tsc --strict (node16 and bundler
// resolution, skipLibCheck off); run with Node 24's type stripping, or compiled by tsc for Node 20.
import { GPUBufferUsage, installGlobals, report } from "wgpu-ts";

installGlobals();
const adapter: GPUAdapter | null = await navigator.gpu.requestAdapter();
if (!adapter) throw new Error("no adapter");
const device: GPUDevice = await adapter.requestDevice();
const n = 1024;
const data = new Uint32Array(n).map((_, i) => i);
const buffer: GPUBuffer = device.createBuffer({ size: n * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
device.queue.writeBuffer(buffer, 0, data);
const pipeline: GPUComputePipeline = device.createComputePipeline({
  layout: "auto",
  compute: {
    module: device.createShaderModule({
      code: `@group(0) @binding(0) var<storage, read_write> v: array<u32>;
             @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) { v[id.x] = v[id.x] * 3u + 5u; }`,
    }),
  },
});
const encoder: GPUCommandEncoder = device.createCommandEncoder();
const pass: GPUComputePassEncoder = encoder.beginComputePass();
pass.setPipeline(pipeline);
pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer } }] }));
pass.dispatchWorkgroups(n / 64);
pass.end();
const readback: GPUBuffer = device.createBuffer({ size: n * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
encoder.copyBufferToBuffer(buffer, 0, readback, 0, n * 4);
device.queue.submit([encoder.finish()]);
await readback.mapAsync(GPUMapMode.READ);
const got = new Uint32Array(readback.getMappedRange());
const bad = data.findIndex((x, i) => got[i] !== x * 3 + 5);
if (bad !== -1) throw new Error(`v[${bad}] = ${got[bad]}, the CPU says ${data[bad] * 3 + 5}`);
readback.unmap();
const r = report();
// No @types/node in this project: wgpu-ts's types do not need them.
const node = (globalThis as { process?: { version: string } }).process?.version;
console.log(JSON.stringify({ how: "ts", node, ok: n, engine: r.engine.name, engineSource: r.engineSource, commands: r.commands.path }));
