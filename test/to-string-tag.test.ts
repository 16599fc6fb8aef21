// Every class wgpu-ts exports names itself as WebIDL interfaces do (Symbol.toStringTag), in the
// source and in the built bundle: Object.prototype.toString and console.log say "GPUDevice".
import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { isClass } from "../src/api/to-string-tag.ts";
import { engine } from "./helpers/engine.ts";
import { gpu } from "../src/index.ts";

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
