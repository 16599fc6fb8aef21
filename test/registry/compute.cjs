// The compute job of the registry test (scripts/registry-test.mjs), given the wgpu-ts module as its
// caller imported it (job.mjs: import, job.cjs: require): out[i] = a[i] * a[i] + 1 on the GPU,
// checked against the CPU. Prints one JSON line: what ran, on which engine and pass-command path.
async function run(wgpu, how) {
  const n = 4096;
  const a = Float32Array.from({ length: n }, (_, i) => i * 0.25 - 100);
  const adapter = await wgpu.gpu.requestAdapter();
  if (!adapter) throw new Error("no adapter");
  const device = await adapter.requestDevice();
  const input = device.createBufferWithData(a, wgpu.GPUBufferUsage.STORAGE);
  const output = device.createBuffer({ size: n * 4, usage: wgpu.GPUBufferUsage.STORAGE | wgpu.GPUBufferUsage.COPY_SRC });
  const module = device.createShaderModule({
    code: `@group(0) @binding(0) var<storage, read> a: array<f32>;
           @group(0) @binding(1) var<storage, read_write> out: array<f32>;
           @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) { out[id.x] = a[id.x] * a[id.x] + 1.0; }`,
  });
  const pipeline = device.createComputePipeline({ layout: "auto", compute: { module } });
  const group = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [
      { binding: 0, resource: { buffer: input } },
      { binding: 1, resource: { buffer: output } },
    ],
  });
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, group);
  pass.dispatchWorkgroups(n / 64);
  pass.end();
  device.queue.submit([encoder.finish()]);
  const got = new Float32Array(await device.queue.readBuffer(output));
  const bad = a.findIndex((x, i) => got[i] !== Math.fround(Math.fround(x * x) + 1));
  if (bad !== -1) throw new Error(`out[${bad}] = ${got[bad]}, the CPU says ${Math.fround(Math.fround(a[bad] * a[bad]) + 1)}`);
  const r = wgpu.report({ adapter });
  device.destroy();
  return { how, node: process.version, ok: n, engine: r.engine.name, engineSource: r.engineSource, commands: r.commands.path, helper: r.commands.helper };
}

module.exports = { run };
