// Command encoder and pass details: query sets, timestamp writes, debug markers, labels, copies.
import { test } from "node:test";
import assert from "node:assert/strict";
import { GPUBufferUsage, GPUQuerySet, GPUTextureUsage, getDefaultDevice } from "../src/index.ts";
import { freshDevice, testAdapter, testDevice, validationErrorOf } from "./helpers/gpu.ts";

test("timestampWrites on a compute pass, resolved into a buffer, are monotonic", async (t) => {
  const adapter = testAdapter();
  if (!adapter.features.has("timestamp-query")) {
    t.skip(`${adapter.summary} has no timestamp-query`);
    return;
  }
  const device = freshDevice({ requiredFeatures: ["timestamp-query"] });
  const querySet = device.createQuerySet({ type: "timestamp", count: 4, label: "ts" });
  assert.ok(querySet instanceof GPUQuerySet);
  assert.equal(querySet.type, "timestamp");
  assert.equal(querySet.count, 4);
  const resolve = device.createBuffer({ size: 32, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
  const module = device.createShaderModule({ code: "@compute @workgroup_size(64) fn main() { var x = 0u; for (var i = 0u; i < 1000u; i++) { x += i; } }" });
  const pipeline = device.createComputePipeline({ layout: "auto", compute: { module } });
  const encoder = device.createCommandEncoder();
  for (const [begin, end] of [
    [0, 1],
    [2, 3],
  ]) {
    const pass = encoder.beginComputePass({ timestampWrites: { querySet, beginningOfPassWriteIndex: begin, endOfPassWriteIndex: end } });
    pass.setPipeline(pipeline);
    pass.dispatchWorkgroups(16);
    pass.end();
  }
  encoder.resolveQuerySet(querySet, 0, 4, resolve, 0);
  device.queue.submit([encoder.finish()]);
  const ts = new BigUint64Array(await device.queue.readBuffer(resolve));
  for (let i = 1; i < 4; i++) assert.ok(ts[i] >= ts[i - 1], `timestamps ${ts.join(", ")} are monotonic`);
  assert.ok(ts[3] > ts[0]);
  querySet.destroy();
  device.destroy();
});

test("occlusion query sets have their type and count; a timestamp set needs the feature", async () => {
  const device = testDevice();
  const q = device.createQuerySet({ type: "occlusion", count: 8 });
  assert.deepEqual([q.type, q.count], ["occlusion", 8]);
  q.destroy();
  q.destroy();
  assert.throws(() => device.createQuerySet({ type: "bogus" as GPUQueryType, count: 1 }), { name: "TypeError", message: /"occlusion", "timestamp"/ });
  assert.throws(() => device.createQuerySet({ type: "timestamp", count: 1 }), { name: "TypeError", message: /"timestamp-query" feature/ });
});

test("debug groups and markers on encoders and passes; unbalanced groups fail the encoding", async () => {
  const device = testDevice();
  const encoder = device.createCommandEncoder({ label: "debug" });
  encoder.pushDebugGroup("outer");
  encoder.insertDebugMarker("mark ünïcödé");
  const pass = encoder.beginComputePass({ label: "pass" });
  pass.pushDebugGroup("inner");
  pass.insertDebugMarker("m");
  pass.popDebugGroup();
  pass.end();
  encoder.popDebugGroup();
  assert.equal(await validationErrorOf(device, () => device.queue.submit([encoder.finish()])), null);
  const unbalanced = device.createCommandEncoder();
  unbalanced.popDebugGroup();
  assert.ok(await validationErrorOf(device, () => unbalanced.finish()));
  assert.throws(() => encoder.pushDebugGroup(Symbol() as never), { name: "TypeError", message: /groupLabel/ });
});

test("labels: given at creation, readable, and settable on every object", () => {
  const device = testDevice();
  const buffer = device.createBuffer({ size: 4, usage: GPUBufferUsage.STORAGE, label: "first" });
  assert.equal(buffer.label, "first");
  buffer.label = "second";
  assert.equal(buffer.label, "second");
  const encoder = device.createCommandEncoder({ label: "enc" });
  assert.equal(encoder.label, "enc");
  assert.equal(encoder.finish({ label: "cb" }).label, "cb");
  assert.equal(device.createShaderModule({ code: "", label: "sm" }).label, "sm");
  assert.equal(device.createBindGroupLayout({ entries: [] }).label, "");
});

test("copyBufferToBuffer in both forms, and clearBuffer with an offset", async () => {
  const device = testDevice();
  const src = device.createBufferWithData(
    Uint32Array.from({ length: 8 }, (_, i) => i + 1),
    GPUBufferUsage.COPY_SRC,
  );
  const dst = device.createBuffer({ size: 32, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC });
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(src, dst); // the short form: whole buffer
  encoder.clearBuffer(dst, 8, 8);
  encoder.copyBufferToBuffer(src, 28, dst, 0, 4); // the long form
  device.queue.submit([encoder.finish()]);
  assert.deepEqual(Array.from(new Uint32Array(await device.queue.readBuffer(dst))), [8, 2, 0, 0, 5, 6, 7, 8]);
});

test("an empty clearBuffer past the buffer's end is an encoder error, reported at finish", async () => {
  const device = testDevice();
  const buffer = device.createBuffer({ size: 32, usage: GPUBufferUsage.COPY_DST });
  const encoder = device.createCommandEncoder();
  device.pushErrorScope("validation");
  encoder.clearBuffer(buffer, 36, 0);
  assert.equal(await device.popErrorScope(), null, "nothing at the call");
  device.pushErrorScope("validation");
  const commands = encoder.finish();
  assert.match(String((await device.popErrorScope())?.message), /clearBuffer: offset \(36\) must be a multiple of 4 and within the buffer/);
  device.pushErrorScope("validation");
  device.queue.submit([commands]);
  assert.ok(await device.popErrorScope(), "its command buffer is invalid");
  const fine = device.createCommandEncoder();
  fine.clearBuffer(buffer, 32, 0);
  device.pushErrorScope("validation");
  device.queue.submit([fine.finish()]);
  assert.equal(await device.popErrorScope(), null, "an empty clear at the end is valid");
});

test("a pass begun while another is open: its end() is quiet and the encoding fails at finish", async () => {
  const device = testDevice();
  const view = device.createTexture({ size: [4, 4], format: "rgba8unorm", usage: GPUTextureUsage.RENDER_ATTACHMENT }).createView();
  const begin = (encoder: GPUCommandEncoder, kind: string) =>
    kind === "compute" ? encoder.beginComputePass() : encoder.beginRenderPass({ colorAttachments: [{ view, loadOp: "clear", storeOp: "store" }] });
  for (const [first, second] of [
    ["compute", "render"],
    ["render", "compute"],
  ]) {
    for (const order of [[1], [0, 1], [1, 0]]) {
      const encoder = device.createCommandEncoder();
      const passes = [begin(encoder, first), begin(encoder, second)];
      const atEnds = await validationErrorOf(device, () => {
        for (const i of order) passes[i].end();
      });
      assert.equal(atEnds, null, `${first} then ${second}, ending ${order}: nothing at the ends`);
      assert.ok(await validationErrorOf(device, () => encoder.finish()), "finish fails: the encoder was locked");
    }
    const encoder = device.createCommandEncoder();
    const pass = begin(encoder, first);
    pass.end();
    assert.ok(await validationErrorOf(device, () => pass.end()), "ending an open encoder's pass again is an error");
  }
  const fine = device.createCommandEncoder();
  begin(fine, "compute").end();
  begin(fine, "render").end();
  assert.equal(await validationErrorOf(device, () => fine.finish()), null, "passes one after the other are valid");
});

test("getDefaultDevice gives one device per process", () => {
  const d = getDefaultDevice();
  assert.equal(getDefaultDevice(), d);
  assert.ok(d.queue);
});
