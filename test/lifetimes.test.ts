// Lifetimes: dispose releases now, the FinalizationRegistry releases what was dropped, and a
// released handle never reaches the engine again.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { GPUBufferUsage } from "../src/index.ts";
import { liveObjectCounts } from "../src/native/index.ts";
import { testDevice } from "./helpers/gpu.ts";

test("objects dropped by the program are released by the garbage collector", () => {
  const out = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", fileURLToPath(new URL("./fixtures/drop-objects.ts", import.meta.url))], { encoding: "utf8" });
  const r = JSON.parse(out);
  assert.equal(r.made - r.before, 2000);
  assert.ok(r.after < 100, `${r.after} of 2000 buffers still alive after gc`);
  assert.ok(r.layouts < 100, `${r.layouts} of 2000 layouts still alive after gc`);
});

test("[Symbol.dispose] releases at once; using the object afterwards throws, without reaching the engine", () => {
  const device = testDevice();
  const count = () => liveObjectCounts().GPUBindGroup ?? 0;
  const layout = device.createBindGroupLayout({ entries: [] });
  const before = count();
  {
    using group = device.createBindGroup({ layout, entries: [], label: "short-lived" });
    assert.equal(count(), before + 1);
    const pass = device.createCommandEncoder().beginComputePass();
    pass.setBindGroup(0, group);
    pass.end();
    var escaped = group;
  }
  assert.equal(count(), before);
  const pass = device.createCommandEncoder().beginComputePass();
  assert.throws(() => pass.setBindGroup(0, escaped), { name: "TypeError", message: /GPUBindGroup "short-lived" was disposed/ });
  pass.end();
  escaped[Symbol.dispose](); // twice is harmless
});

test("dispose of a buffer destroys it and detaches its mapped range", () => {
  const device = testDevice();
  const buffer = device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_WRITE, mappedAtCreation: true });
  const range = buffer.getMappedRange();
  buffer[Symbol.dispose]();
  assert.equal(range.byteLength, 0);
  assert.throws(() => buffer.getMappedRange(), { name: "OperationError" });
  assert.throws(() => device.queue.writeBuffer(buffer, 0, new Uint8Array(4)), { name: "TypeError", message: /GPUBuffer was disposed/ });
});

test("releasing objects whose creation failed does not abort the engine", async () => {
  const device = testDevice();
  device.pushErrorScope("validation");
  const querySet = device.createQuerySet({ type: "timestamp", count: 1 }); // no timestamp-query
  const objects = [
    querySet, // wgpu-core 29 panics releasing any query set
    device.createBuffer({ size: 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.MAP_WRITE }),
    device.createShaderModule({ code: "not wgsl" }),
  ];
  assert.ok(await device.popErrorScope());
  for (const o of objects) o[Symbol.dispose]();
  querySet.destroy();
});
