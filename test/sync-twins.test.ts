// Every Promise-returning method has a ...Sync twin that answers the same, in place.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as wgpu from "../src/index.ts";
import { GPUBufferUsage, GPUMapMode, gpu } from "../src/index.ts";

const classes = (Object.values(wgpu) as unknown[]).filter((v): v is { name: string; prototype: object } => typeof v === "function" && /^GPU/.test(v.name));

// The spec's Promise-returning methods, and the extras that return Promises.
const promiseMethods = /Async$|^(requestAdapter|requestDevice|onSubmittedWorkDone|popErrorScope|getCompilationInfo|readBuffer|enumerateAdapters)$/;

test("every method that returns a Promise has a Sync twin", () => {
  const missing: string[] = [];
  let checked = 0;
  for (const cls of classes) {
    for (const name of Object.getOwnPropertyNames(cls.prototype)) {
      if (!promiseMethods.test(name) || typeof (cls.prototype as Record<string, unknown>)[name] !== "function") continue;
      checked++;
      // mapAsync -> mapSync; createComputePipelineAsync -> createComputePipelineAsyncSync; foo -> fooSync
      const twins = [`${name}Sync`, name.replace(/Async$/, "Sync")];
      if (!twins.some((t) => typeof (cls.prototype as Record<string, unknown>)[t] === "function")) missing.push(`${cls.name}.${name}`);
    }
  }
  assert.ok(checked >= 9, `found only ${checked} Promise-returning methods`);
  assert.deepEqual(missing, []);
});

test("the twins give what the promises give", async () => {
  const adapterA = await gpu.requestAdapter();
  const adapterS = gpu.requestAdapterSync();
  assert.equal(adapterA?.summary, adapterS?.summary);
  const device = adapterS!.requestDeviceSync();
  assert.equal(device.constructor.name, "GPUDevice");
  assert.equal((await adapterA!.requestDevice()).limits.maxBufferSize, device.limits.maxBufferSize);
  assert.deepEqual(
    (await gpu.enumerateAdapters()).map((a) => a.summary),
    gpu.enumerateAdaptersSync().map((a) => a.summary),
  );

  const data = new Uint32Array([5, 6, 7, 8]);
  const buffer = device.createBufferWithData(data, GPUBufferUsage.COPY_SRC);
  assert.deepEqual(new Uint32Array(device.queue.readBufferSync(buffer, 4, 8)), new Uint32Array(await device.queue.readBuffer(buffer, 4, 8)));
  assert.equal(device.queue.onSubmittedWorkDoneSync(), undefined);

  const mapped = device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ });
  assert.equal(mapped.mapSync(GPUMapMode.READ), undefined);
  assert.equal(mapped.mapState, "mapped");
  mapped.unmap();

  device.pushErrorScope("validation");
  device.createBuffer({ size: 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.MAP_WRITE });
  assert.equal(device.popErrorScopeSync()?.constructor.name, "GPUValidationError");

  const module = device.createShaderModule({ code: "@compute @workgroup_size(1) fn main() {}" });
  assert.equal(device.createComputePipelineAsyncSync({ layout: "auto", compute: { module } }).constructor.name, "GPUComputePipeline");
  assert.deepEqual(module.getCompilationInfoSync().messages, (await module.getCompilationInfo()).messages);
});
