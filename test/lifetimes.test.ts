// Lifetimes: dispose releases now, the FinalizationRegistry releases what was dropped, and a
// released handle never reaches the engine again.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { GPUBufferUsage, GPUShaderStage } from "../src/index.ts";
import { liveObjectCounts } from "../src/native/index.ts";
import { layoutShares, pressureBlocks } from "../src/native/memory-pressure.ts";
import { HANDLE } from "../src/native/object.ts";
import { testDevice } from "./helpers/gpu.ts";

test("objects dropped by the program are released by the garbage collector", () => {
  const out = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", fileURLToPath(new URL("./fixtures/drop-objects.ts", import.meta.url))], {
    encoding: "utf8",
  });
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
  const querySet = device.createQuerySet({ type: "occlusion", count: 4097 }); // over the spec's 4096
  const objects = [
    querySet, // wgpu-core 29 panics releasing any query set
    device.createBuffer({ size: 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.MAP_WRITE }),
    device.createShaderModule({ code: "not wgsl" }),
  ];
  assert.ok(await device.popErrorScope());
  for (const o of objects) o[Symbol.dispose]();
  querySet.destroy();
});

test("objects released by dispose hand their memory-pressure block to the next ones; live ones keep theirs, destroyed ones a smaller one", () => {
  const device = testDevice();
  const make = () => device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM });
  make()[Symbol.dispose](); // at least one spare block
  const start = pressureBlocks();
  for (let i = 0; i < 2000; i++) make()[Symbol.dispose]();
  assert.deepEqual(pressureBlocks(), start, "a create+dispose loop allocates no new blocks");
  const kept = Array.from({ length: 50 }, make);
  const held = pressureBlocks();
  assert.equal(held.made - start.made + (start.spare - held.spare), 50, "objects alive at once each have a block of their own");
  for (const b of kept) b.destroy();
  // Their engine objects stay until collected: each keeps a smaller block, and hands its own back.
  assert.deepEqual(pressureBlocks(), { made: held.made, spare: Math.min(1024, held.spare + 50) });
  for (let i = 0; i < 50; i++) make();
  assert.equal(pressureBlocks().made, held.made, "new objects take the destroyed ones' blocks");
});

test("a bind group layout counts as its descriptor pool (1 MiB) in V8's external memory, once per engine layout alive", () => {
  // Counted as 4 KiB, the CTS's distinct layouts were collected too rarely: lavapipe's pools ran
  // the process out of memory mappings (map-limit.ts).
  const device = testDevice();
  const entry = (minBindingSize: number) => ({ binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: "storage" as const, minBindingSize } });
  const start = layoutShares();
  const layouts = [4, 8, 12].map((size) => device.createBindGroupLayout({ entries: [entry(size)] }));
  assert.equal(layoutShares() - start, 3);
  const again = device.createBindGroupLayout({ entries: [entry(4)] });
  // Dawn gives an equal layout's engine object again: it holds no second share.
  const shared = again[HANDLE] === layouts[0][HANDLE];
  assert.equal(layoutShares() - start, shared ? 3 : 4);
  for (const l of [...layouts, again]) l[Symbol.dispose]();
  device.createBindGroupLayout({ entries: [entry(4)] });
  assert.equal(layoutShares() - start, shared ? 4 : 5, "a released layout's share went with it");
});
