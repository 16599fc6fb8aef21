// Splits a few workloads into their steps, for the notes on what limits them (not part of the table).
// Run: node bench/diagnose.mjs  (after npm run build)
import { gpu, GPUBufferUsage } from "../dist/index.js";

const device = await (await gpu.requestAdapter()).requestDevice();
const ms = (t) => (performance.now() - t).toFixed(2);
const MiB = 1 << 20;
const big = new Uint8Array(64 * MiB).fill(3);
const dst = device.createBuffer({ size: 64 * MiB, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.STORAGE });
for (let r = 0; r < 4; r++) {
  let t = performance.now();
  device.queue.writeBuffer(dst, 0, big);
  const call = ms(t);
  t = performance.now();
  await device.queue.onSubmittedWorkDone();
  const wait = ms(t);
  t = performance.now();
  device.queue.writeBuffer(dst, 0, big);
  device.queue.onSubmittedWorkDoneSync();
  console.log(`writeBuffer 64 MiB: call ${call} ms, async wait ${wait} ms; call + sync wait ${ms(t)} ms`);
}
const src = device.createBuffer({ size: 16, usage: GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
const rb = device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
for (const mode of ["async", "sync", "async", "sync"]) {
  const n = 500;
  let enc = 0,
    sub = 0,
    map = 0,
    read = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    let t = performance.now();
    const e = device.createCommandEncoder();
    e.copyBufferToBuffer(src, 0, rb, 0, 16);
    const cb = e.finish();
    enc += performance.now() - t;
    t = performance.now();
    device.queue.submit([cb]);
    sub += performance.now() - t;
    t = performance.now();
    if (mode === "async") await rb.mapAsync(1);
    else rb.mapSync(1);
    map += performance.now() - t;
    t = performance.now();
    void new Uint32Array(rb.getMappedRange())[0];
    rb.unmap();
    read += performance.now() - t;
  }
  const us = (x) => ((x * 1000) / n).toFixed(1);
  console.log(`round trip (${mode} map): ${us(performance.now() - t0)} µs = encode ${us(enc)} + submit ${us(sub)} + map ${us(map)} + read/unmap ${us(read)}`);
}
process.exit(0);
