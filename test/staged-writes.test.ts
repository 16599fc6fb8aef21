// writeBuffer through our mapped staging buffers (staged-writes.ts): data, order and errors as the spec says.
import { test } from "node:test";
import assert from "node:assert/strict";
import { GPUBufferUsage } from "../src/index.ts";
import { freshAdapter, testDevice, validationErrorOf } from "./helpers/gpu.ts";
import { liveObjectBytes } from "../src/native/object.ts";

const { COPY_SRC, COPY_DST, STORAGE, MAP_READ } = GPUBufferUsage;
const MiB = 1 << 20;

function pattern(bytes: number, seed: number): Uint8Array {
  const a = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) a[i] = (i * 31 + seed) & 0xff;
  return a;
}

test("small, contiguous, overlapping and chunk-spanning writes land as a CPU copy would", async () => {
  const device = testDevice();
  const size = 10 * MiB;
  const buffer = device.createBuffer({ size, usage: COPY_DST | COPY_SRC | STORAGE });
  const want = new Uint8Array(size);
  const put = (offset: number, data: Uint8Array) => {
    device.queue.writeBuffer(buffer, offset, data);
    want.set(data, offset);
  };
  for (let off = 0; off < 2 * MiB; off += 4096) put(off, pattern(4096, off)); // contiguous: merged
  put(MiB + 12, pattern(40, 7)); // overwrites part of the above, later wins
  put(3 * MiB, pattern((9 * MiB) >> 1, 3)); // large: goes to the engine directly, after the staged ones
  for (let off = 8 * MiB; off < 10 * MiB - 4096; off += 4096 - 16) put(off, pattern(4096 - 16, off)); // spans staging chunks
  for (let i = 0; i < 200; i++) put(((i * 7919) % 2000) * 4096 + 8, pattern(64, i)); // scattered
  const error = await validationErrorOf(device, () => {});
  assert.equal(error, null);
  const got = new Uint8Array(await device.queue.readBuffer(buffer));
  assert.equal(Buffer.compare(got, want), 0);
});

test("writes and submits keep their order on the queue", async () => {
  const device = testDevice();
  const a = device.createBuffer({ size: 16, usage: COPY_DST | COPY_SRC });
  const b = device.createBuffer({ size: 16, usage: COPY_DST | COPY_SRC });
  device.queue.writeBuffer(a, 0, new Uint32Array([1, 2, 3, 4]));
  const copy = device.createCommandEncoder();
  copy.copyBufferToBuffer(a, 0, b, 0, 16);
  device.queue.submit([copy.finish()]); // b gets 1 2 3 4
  device.queue.writeBuffer(a, 0, new Uint32Array([5, 6, 7, 8])); // after the copy
  assert.deepEqual([...new Uint32Array(await device.queue.readBuffer(b))], [1, 2, 3, 4]);
  assert.deepEqual([...new Uint32Array(await device.queue.readBuffer(a))], [5, 6, 7, 8]);
});

test("a write then destroy, and a map after a write, behave as with no staging", async () => {
  const device = testDevice();
  const gone = device.createBuffer({ size: 64, usage: COPY_DST });
  const error = await validationErrorOf(device, () => {
    device.queue.writeBuffer(gone, 0, new Uint32Array(16));
    gone.destroy();
    device.queue.submit([]);
  });
  assert.equal(error, null);
  const readable = device.createBuffer({ size: 16, usage: COPY_DST | MAP_READ });
  device.queue.writeBuffer(readable, 0, new Uint32Array([9, 8, 7, 6]));
  await readable.mapAsync(1);
  assert.deepEqual([...new Uint32Array(readable.getMappedRange())], [9, 8, 7, 6]);
  readable.unmap();
});

test("writes the engine would reject still raise their validation errors at the call", async () => {
  const device = testDevice();
  const noCopyDst = device.createBuffer({ size: 16, usage: STORAGE });
  assert.ok(await validationErrorOf(device, () => device.queue.writeBuffer(noCopyDst, 0, new Uint32Array(4))));
  const mapped = device.createBuffer({ size: 16, usage: COPY_DST | MAP_READ, mappedAtCreation: true });
  assert.ok(await validationErrorOf(device, () => device.queue.writeBuffer(mapped, 0, new Uint32Array(4))));
  mapped.unmap();
  const destroyed = device.createBuffer({ size: 16, usage: COPY_DST });
  destroyed.destroy();
  assert.ok(await validationErrorOf(device, () => device.queue.writeBuffer(destroyed, 0, new Uint32Array(4))));
  // A buffer whose creation failed, and one of another device: validation errors, never a failed staged copy.
  let invalid!: ReturnType<typeof device.createBuffer>;
  assert.ok(await validationErrorOf(device, () => (invalid = device.createBuffer({ size: 16, usage: COPY_DST | MAP_READ | GPUBufferUsage.MAP_WRITE }))));
  assert.ok(await validationErrorOf(device, () => device.queue.writeBuffer(invalid, 0, new Uint32Array(4))));
  const other = freshAdapter().requestDeviceSync();
  const foreign = other.createBuffer({ size: 16, usage: COPY_DST });
  assert.match(String(await validationErrorOf(device, () => device.queue.writeBuffer(foreign, 0, new Uint32Array(4)))), /buffer belongs to another GPUDevice/);
  assert.equal(await validationErrorOf(device, () => device.queue.submit([])), null, "the queue goes on");
  other.destroy();
});

test("a small write before each submit, in a loop that never yields, keeps the staging buffers bounded", async () => {
  const device = testDevice();
  const target = device.createBuffer({ size: 256, usage: COPY_DST | COPY_SRC });
  const before = liveObjectBytes().GPUBuffer ?? 0;
  for (let i = 0; i < 100; i++) {
    device.queue.writeBuffer(target, 0, new Uint32Array([i, i + 1]));
    device.queue.submit([]);
  }
  // Each submit takes the staging buffer of its writes to the GPU; they come back only when the
  // loop yields. Past the bound, writes go to the engine (they used to make 4 MiB each: 400 MiB here).
  const grown = (liveObjectBytes().GPUBuffer ?? 0) - before;
  assert.ok(grown <= 17 * 4 * MiB, `staging grew by ${grown / MiB} MiB`);
  assert.deepEqual([...new Uint32Array(await device.queue.readBuffer(target, 0, 8))], [99, 100]);
});
