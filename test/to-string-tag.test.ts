// Every class wgpu-ts exports names itself as WebIDL interfaces do (Symbol.toStringTag), in the
// source and in the built bundle: Object.prototype.toString and console.log say "GPUDevice".
import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { isClass } from "../src/api/to-string-tag.ts";
import { engine } from "./helpers/engine.ts";
import { GPUBufferUsage, GPUTextureUsage, gpu } from "../src/index.ts";

for (const entry of ["src/index.ts", "src/extras.ts", "dist/index.js", "dist/extras.js"]) {
  test(`every class exported by ${entry} has its name as Symbol.toStringTag`, async () => {
    const exports = (await import(`../${entry}`)) as Record<string, unknown>;
    const classes = Object.entries(exports).filter(([, v]) => isClass(v));
    if (entry.endsWith("index.ts")) assert.ok(classes.length >= 30, `the classes were found (${classes.length})`);
    for (const [name, c] of classes) {
      assert.equal(Object.prototype.toString.call(Object.create((c as { prototype: object }).prototype)), `[object ${name}]`, name);
    }
  });
}

test(`live objects print with their class's name (${engine})`, () => {
  const device = gpu.requestAdapterSync()!.requestDeviceSync();
  assert.equal(Object.prototype.toString.call(device), "[object GPUDevice]");
  assert.equal(String(device.queue), "[object GPUQueue]");
  assert.match(inspect(device), /^GPUDevice \{/);
  assert.doesNotMatch(inspect(device), /EventTarget/);
  assert.equal(Object.prototype.toString.call(device.createCommandEncoder()), "[object GPUCommandEncoder]");
  device.destroy();
});

test(`attributes and operations are enumerable, as WebIDL makes them, and an extra attribute can be set over (${engine})`, () => {
  const device = gpu.requestAdapterSync()!.requestDeviceSync();
  const buffer = device.createBuffer({ size: 16, usage: GPUBufferUsage.VERTEX, label: "b" });
  const keys: string[] = [];
  for (const key in buffer) keys.push(key);
  for (const key of ["size", "usage", "label", "mapState", "mapAsync", "destroy"]) assert.ok(keys.includes(key), key);
  const copy = device.createBuffer(buffer); // a buffer's reflection is a descriptor (the CTS's reflection tests)
  assert.deepEqual([copy.size, copy.usage, copy.label], [16, GPUBufferUsage.VERTEX, "b"]);
  // texture.size is wgpu-ts's, not the spec's: code that sets it (as it may in a browser) gets an own property.
  const texture = device.createTexture({ size: [4, 2], format: "rgba8unorm", usage: GPUTextureUsage.TEXTURE_BINDING });
  assert.deepEqual(texture.size, [4, 2, 1]);
  (texture as { size: unknown }).size = [4, 2];
  assert.deepEqual(texture.size, [4, 2]);
  assert.deepEqual(device.createTexture(texture as unknown as GPUTextureDescriptor).size, [4, 2, 1]);
  device.destroy();
});
