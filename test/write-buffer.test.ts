// queue.writeBuffer from every BufferSource, with dataOffset and size counted in elements.
import { test } from "node:test";
import assert from "node:assert/strict";
import { GPUBufferUsage } from "../src/index.ts";
import { testDevice } from "./helpers/gpu.ts";

const kinds = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
] as const;

async function roundTrip(write: (device: ReturnType<typeof testDevice>, buffer: import("../src/index.ts").GPUBuffer) => void, size = 64): Promise<Uint8Array> {
  const device = testDevice();
  const buffer = device.createBuffer({ size, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC });
  write(device, buffer);
  return new Uint8Array(await device.queue.readBuffer(buffer));
}

for (const Kind of kinds) {
  test(`writeBuffer from ${Kind.name}, whole and with element offsets`, async () => {
    const n = 16 / Kind.BYTES_PER_ELEMENT;
    const src = new (Kind as unknown as new (n: number) => ArrayBufferView<ArrayBuffer>)(n * 2);
    const bytes = new Uint8Array(src.buffer);
    bytes.forEach((_, i) => (bytes[i] = i + 1));
    const got = await roundTrip((device, buffer) => {
      device.queue.writeBuffer(buffer, 0, src);
      device.queue.writeBuffer(buffer, 32, src, n, n); // the second half, counted in elements
    });
    assert.deepEqual(Array.from(got.subarray(0, 32)), Array.from(bytes), `${Kind.name} whole`);
    assert.deepEqual(Array.from(got.subarray(32, 48)), Array.from(bytes.subarray(16, 32)), `${Kind.name} offset ${n} elements`);
  });
}

test("writeBuffer from an ArrayBuffer and a DataView counts bytes; a subarray view starts where it starts", async () => {
  const backing = Uint8Array.from({ length: 32 }, (_, i) => 100 + i);
  const got = await roundTrip((device, buffer) => {
    device.queue.writeBuffer(buffer, 0, backing.buffer, 4, 8);
    device.queue.writeBuffer(buffer, 16, new DataView(backing.buffer, 8, 16), 4, 4);
    device.queue.writeBuffer(buffer, 32, backing.subarray(20, 24));
  });
  assert.deepEqual(Array.from(got.subarray(0, 8)), [104, 105, 106, 107, 108, 109, 110, 111]);
  assert.deepEqual(Array.from(got.subarray(16, 20)), [112, 113, 114, 115]);
  assert.deepEqual(Array.from(got.subarray(32, 36)), [120, 121, 122, 123]);
});

test("writeBuffer checks its arguments", () => {
  const device = testDevice();
  const buffer = device.createBuffer({ size: 16, usage: GPUBufferUsage.COPY_DST });
  const q = device.queue;
  assert.throws(() => q.writeBuffer(buffer, 0, new Uint8Array(3)), { name: "OperationError", message: /multiple of 4/ });
  assert.throws(() => q.writeBuffer(buffer, 0, new Uint32Array(4), 5), { name: "OperationError", message: /dataOffset/ });
  assert.throws(() => q.writeBuffer(buffer, 0, new Uint32Array(4), 2, 3), { name: "OperationError" });
  assert.throws(() => q.writeBuffer(buffer, 0, [1, 2, 3, 4] as unknown as Uint8Array), {
    name: "TypeError",
    message: /GPUQueue.writeBuffer: data must be an ArrayBuffer/,
  });
  assert.throws(() => q.writeBuffer({} as never, 0, new Uint8Array(4)), { name: "TypeError", message: /buffer must be a GPUBuffer/ });
  assert.throws(() => q.writeBuffer(buffer, -4, new Uint8Array(4)), { name: "TypeError", message: /bufferOffset/ });
});

test("writeBuffer past the end of the buffer is a validation error, not a crash", async () => {
  const device = testDevice();
  const buffer = device.createBuffer({ size: 16, usage: GPUBufferUsage.COPY_DST });
  device.pushErrorScope("validation");
  device.queue.writeBuffer(buffer, 8, new Uint8Array(16));
  const error = await device.popErrorScope();
  assert.ok(error, "an error was reported");
  assert.equal(error.constructor.name, "GPUValidationError");
});

test("a map after writeBuffer sees the write, with no submit in between (spec order)", async () => {
  const device = testDevice();
  const buffer = device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(buffer, 0, new Uint32Array([1, 2, 3, 4]));
  await buffer.mapAsync(1);
  assert.deepEqual(Array.from(new Uint32Array(buffer.getMappedRange())), [1, 2, 3, 4]);
  buffer.unmap();
});
