// Mapping: states, ranges, views detached at unmap, and the spec's errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { GPUBufferUsage, GPUMapMode } from "../src/index.ts";
import { mappedRangesAreViews } from "../src/native/buffer.ts";
import { freshDevice, testDevice } from "./helpers/gpu.ts";

const { MAP_READ, MAP_WRITE, COPY_DST, COPY_SRC } = GPUBufferUsage;

test("mapState goes unmapped -> pending -> mapped -> unmapped", async () => {
  const buffer = testDevice().createBuffer({ size: 64, usage: MAP_READ | COPY_DST });
  assert.equal(buffer.mapState, "unmapped");
  const p = buffer.mapAsync(GPUMapMode.READ);
  assert.equal(buffer.mapState, "pending");
  await p;
  assert.equal(buffer.mapState, "mapped");
  buffer.unmap();
  assert.equal(buffer.mapState, "unmapped");
});

test("mappedAtCreation starts mapped, and what is written there is in the buffer", async () => {
  const device = testDevice();
  const buffer = device.createBuffer({ size: 16, usage: COPY_SRC, mappedAtCreation: true });
  assert.equal(buffer.mapState, "mapped");
  new Uint32Array(buffer.getMappedRange()).set([1, 2, 3, 4]);
  buffer.unmap();
  assert.deepEqual(Array.from(new Uint32Array(await device.queue.readBuffer(buffer))), [1, 2, 3, 4]);
});

test("a MAP_READ buffer mapped at creation reads back what was written there, with no submit between (wgpu-core 29 read zeros)", async () => {
  const device = testDevice();
  for (const usage of [MAP_READ, MAP_READ | COPY_DST]) {
    const buffer = device.createBuffer({ size: 12, usage, mappedAtCreation: true });
    new Uint32Array(buffer.getMappedRange()).set([1, 2, 3]);
    buffer.unmap();
    await buffer.mapAsync(GPUMapMode.READ);
    assert.deepEqual(Array.from(new Uint32Array(buffer.getMappedRange())), [1, 2, 3], `usage ${usage}`);
    buffer.unmap();
  }
});

test("mappedAtCreation with a size not a multiple of 4 is a RangeError", () => {
  assert.throws(() => testDevice().createBuffer({ size: 6, usage: COPY_SRC, mappedAtCreation: true }), RangeError);
});

test("mappedAtCreation past maxBufferSize is a RangeError, not host memory of that size", async () => {
  const device = testDevice();
  const max = device.limits.maxBufferSize;
  // 19 GB: Dawn backed the invalid buffer's mapping with that much memory (the fuzzer's OOM kill).
  assert.throws(
    () => device.createBuffer({ size: 19_447_040_080, usage: COPY_SRC, mappedAtCreation: true }),
    (e: unknown) => e instanceof RangeError && /size \(19447040080\).*maxBufferSize/.test(e.message),
  );
  assert.throws(() => device.createBuffer({ size: max + 4, usage: COPY_SRC, mappedAtCreation: true }), RangeError);
  // Without mappedAtCreation it is the spec's validation error, and an invalid buffer.
  device.pushErrorScope("validation");
  const invalid = device.createBuffer({ size: max + 4, usage: COPY_SRC });
  assert.ok(await device.popErrorScope());
  assert.equal(invalid.size, max + 4);
});

test("the range's ArrayBuffer is detached at unmap, and at destroy", async () => {
  const device = testDevice();
  const buffer = device.createBuffer({ size: 32, usage: MAP_WRITE | COPY_SRC });
  await buffer.mapAsync(GPUMapMode.WRITE);
  const range = buffer.getMappedRange();
  assert.equal(range.byteLength, 32);
  buffer.unmap();
  assert.equal(range.byteLength, 0, "detached after unmap");
  assert.throws(() => new Uint8Array(range), TypeError);

  await buffer.mapAsync(GPUMapMode.WRITE);
  const again = buffer.getMappedRange(8, 8);
  buffer.destroy();
  assert.equal(again.byteLength, 0, "detached after destroy");
  assert.equal(buffer.mapState, "unmapped");
});

test(`mapped ranges are ${mappedRangesAreViews() ? "views of the engine's memory" : "copies written back at unmap"} on Node ${process.versions.node}`, async () => {
  const device = testDevice();
  const buffer = device.createBuffer({ size: 16, usage: MAP_WRITE | COPY_SRC });
  await buffer.mapAsync(GPUMapMode.WRITE);
  const a = new Uint8Array(buffer.getMappedRange(0, 8));
  const b = new Uint8Array(buffer.getMappedRange(8, 8));
  a.fill(7);
  b.fill(9);
  buffer.unmap();
  assert.deepEqual(Array.from(new Uint8Array(await device.queue.readBuffer(buffer))), [...Array(8).fill(7), ...Array(8).fill(9)]);
  assert.equal(mappedRangesAreViews(), Number(process.versions.node.split(".")[0]) >= 21);
});

test("mapping with offsets and sizes, reading what the GPU wrote", async () => {
  const device = testDevice();
  const src = device.createBufferWithData(
    Uint32Array.from({ length: 64 }, (_, i) => i),
    COPY_SRC,
  );
  const dst = device.createBuffer({ size: 256, usage: MAP_READ | COPY_DST });
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(src, dst);
  device.queue.submit([encoder.finish()]);
  await dst.mapAsync(GPUMapMode.READ, 64, 128);
  assert.deepEqual(Array.from(new Uint32Array(dst.getMappedRange(64, 16))), [16, 17, 18, 19]);
  assert.deepEqual(
    Array.from(new Uint32Array(dst.getMappedRange(128, 64))),
    Array.from({ length: 16 }, (_, i) => 32 + i),
  );
  assert.deepEqual(Array.from(new Uint32Array(dst.readMapped(80, 8))), [20, 21]);
  dst.unmap();
});

test("getMappedRange refuses what the spec refuses, with OperationError", async () => {
  const device = testDevice();
  const buffer = device.createBuffer({ size: 64, usage: MAP_READ | COPY_DST });
  const opError = { name: "OperationError" };
  assert.throws(() => buffer.getMappedRange(), opError, "not mapped");
  await buffer.mapAsync(GPUMapMode.READ, 16, 32);
  assert.throws(() => buffer.getMappedRange(0, 8), opError, "before the mapped range");
  assert.throws(() => buffer.getMappedRange(16, 40), opError, "past the mapped range");
  assert.throws(() => buffer.getMappedRange(20, 8), opError, "offset not a multiple of 8");
  assert.throws(() => buffer.getMappedRange(16, 6), opError, "size not a multiple of 4");
  buffer.getMappedRange(16, 16);
  assert.throws(() => buffer.getMappedRange(24, 8), opError, "overlaps");
  buffer.getMappedRange(32, 16);
  assert.throws(() => buffer.getMappedRange(-8), TypeError);
  buffer.unmap();
});

test("mapAsync rejects a second map, a bad mode, and is aborted by unmap", async () => {
  const device = testDevice();
  const buffer = device.createBuffer({ size: 64, usage: MAP_READ | COPY_DST });
  const first = buffer.mapAsync(GPUMapMode.READ);
  await assert.rejects(buffer.mapAsync(GPUMapMode.READ), { name: "OperationError" });
  buffer.unmap();
  await assert.rejects(first, { name: "AbortError" });
  assert.equal(buffer.mapState, "unmapped");

  device.pushErrorScope("validation");
  await assert.rejects(buffer.mapAsync(GPUMapMode.READ | GPUMapMode.WRITE), { name: "OperationError" });
  assert.match((await device.popErrorScope())?.message ?? "", /exactly one of/);

  device.pushErrorScope("validation");
  await assert.rejects(buffer.mapAsync(GPUMapMode.WRITE), { name: "OperationError" }, "MAP_WRITE on a MAP_READ buffer");
  assert.ok(await device.popErrorScope(), "the engine reports the usage error");
  await buffer.mapAsync(GPUMapMode.READ);
  buffer.unmap();
});

test("a failing mapAsync reads pending until it rejects, later; on a mapped buffer it is a validation error", async () => {
  // The spec's [[pending_map]]: set before validation, so an invalid buffer is "pending" too, and
  // the rejection is not early (the CTS's mapAsync,mapState and the validation tests' microtask check).
  const device = testDevice();
  device.pushErrorScope("validation");
  const invalid = device.createBuffer({ size: 8, usage: 0 });
  const p = invalid.mapAsync(GPUMapMode.READ);
  assert.equal(invalid.mapState, "pending");
  let early = true;
  queueMicrotask(() => (early = false));
  await assert.rejects(p, { name: "OperationError" });
  assert.equal(early, false, "the rejection came after a microtask queued after the call");
  assert.equal(invalid.mapState, "unmapped");
  assert.ok(await device.popErrorScope());

  const buffer = device.createBuffer({ size: 8, usage: MAP_READ | COPY_DST });
  await buffer.mapAsync(GPUMapMode.READ);
  device.pushErrorScope("validation");
  const again = buffer.mapAsync(GPUMapMode.READ);
  assert.equal(buffer.mapState, "mapped");
  await assert.rejects(again, { name: "OperationError" });
  assert.match((await device.popErrorScope())?.message ?? "", /already mapped/);
  assert.equal(buffer.mapState, "mapped");
  // unmap() before that rejection turns it into an AbortError.
  const aborted = buffer.mapAsync(GPUMapMode.READ);
  buffer.unmap();
  await assert.rejects(aborted, { name: "AbortError" });
  assert.throws(() => buffer.mapSync(GPUMapMode.WRITE), { name: "OperationError" }, "the sync twin throws at once");
});

test("getMappedRange's default size runs to the end of the buffer, not of the mapping", async () => {
  const buffer = testDevice().createBuffer({ size: 80, usage: MAP_READ | COPY_DST });
  await buffer.mapAsync(GPUMapMode.READ, 0, 64);
  assert.throws(() => buffer.getMappedRange(), { name: "OperationError" });
  assert.equal(buffer.getMappedRange(0, 64).byteLength, 64);
  buffer.unmap();
});

test("writeMapped and readMapped (wgpu-py's extras)", async () => {
  const device = testDevice();
  const buffer = device.createBuffer({ size: 16, usage: MAP_WRITE | COPY_SRC });
  buffer.mapSync(GPUMapMode.WRITE);
  buffer.writeMapped(new Uint16Array([1, 2, 3, 4]), 8);
  assert.deepEqual(Array.from(new Uint16Array(buffer.readMapped(8, 8))), [1, 2, 3, 4]);
  assert.throws(() => buffer.writeMapped(new Uint8Array(4), 14), RangeError);
  buffer.unmap();
  assert.throws(() => buffer.readMapped(), { name: "OperationError" });
  const read = device.createBuffer({ size: 16, usage: MAP_READ });
  read.mapSync(GPUMapMode.READ);
  assert.throws(() => read.writeMapped(new Uint8Array(4)), { name: "OperationError" });
  read.unmap();
});

test("device loss detaches mapped ranges and ends the mapping", async () => {
  const device = testDeviceOfItsOwn();
  const buffer = device.createBuffer({ size: 16, usage: MAP_READ });
  await buffer.mapAsync(GPUMapMode.READ);
  const range = buffer.getMappedRange();
  device.destroy();
  assert.equal(range.byteLength, 0);
  assert.equal(buffer.mapState, "unmapped");
  assert.equal((await device.lost).reason, "destroyed");
  await assert.rejects(buffer.mapAsync(GPUMapMode.READ), { name: "OperationError" });
});

function testDeviceOfItsOwn() {
  return freshDevice({ label: "to be lost" });
}

test("unmap or destroy while a failed map is pending adds no error (the engine never had the mapping)", async () => {
  const device = testDevice();
  for (const end of ["unmap", "destroy"] as const) {
    const buffer = device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    device.pushErrorScope("validation");
    const map = buffer.mapAsync(GPUMapMode.WRITE); // no MAP_WRITE usage: a validation error, pending
    const mapError = device.popErrorScope();
    assert.equal(buffer.mapState, "pending");
    device.pushErrorScope("validation");
    buffer[end]();
    assert.equal(await device.popErrorScope(), null, `${end} adds no error`);
    assert.match((await mapError)?.message ?? "", /has no MAP_WRITE usage$/);
    await assert.rejects(map);
  }
});

test("a map that fails on a mapped buffer leaves the mapping to unmap (mappedAtCreation, then mapped)", async () => {
  const device = testDevice();
  const buffer = device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ, mappedAtCreation: true });
  device.pushErrorScope("validation");
  await assert.rejects(buffer.mapAsync(GPUMapMode.READ)); // already mapped: a validation error
  assert.match((await device.popErrorScope())?.message ?? "", /already mapped/);
  buffer.unmap();
  await buffer.mapAsync(GPUMapMode.READ); // the engine's mapping at creation was ended by unmap
  assert.equal(buffer.mapState, "mapped");
  buffer.unmap();
});
