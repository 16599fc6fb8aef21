// What engine/behaviour.ts makes the same on both engines, checked on the engine under test.
import { test } from "node:test";
import assert from "node:assert/strict";
import { gpu, GPUBufferUsage, GPUMapMode } from "../src/index.ts";
import { freshDevice } from "./helpers/gpu.ts";
import { engine } from "./helpers/engine.ts";

test(`an adapter gives one device, as the spec says (${engine})`, async () => {
  const adapter = gpu.requestAdapterSync()!;
  const device = await adapter.requestDevice();
  await assert.rejects(adapter.requestDevice(), { name: "OperationError", message: /the adapter is consumed/ });
  assert.throws(() => adapter.requestDeviceSync(), { name: "OperationError" });
  device.destroy();
});

test(`enumerateAdapters lists at least the default adapter (${engine})`, async () => {
  const adapters = await gpu.enumerateAdapters();
  assert.ok(adapters.length >= 1);
  assert.ok(adapters.some((a) => a.info.device === gpu.requestAdapterSync()!.info.device));
});

test(`the Sync twins wait for submitted work (${engine})`, () => {
  const device = freshDevice();
  const src = device.createBufferWithData(new Uint32Array([7, 8, 9, 10]), GPUBufferUsage.COPY_SRC);
  const dst = device.createBuffer({ size: 16, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(src, 0, dst, 0, 16);
  device.queue.submit([encoder.finish()]);
  device.queue.onSubmittedWorkDoneSync();
  dst.mapSync(GPUMapMode.READ);
  assert.deepEqual([...new Uint32Array(dst.getMappedRange())], [7, 8, 9, 10]);
  dst.unmap();
  device.destroy();
});

test(`wgslLanguageFeatures are what the engine reports, by their WGSL names (${engine})`, () => {
  const names = [...gpu.wgslLanguageFeatures];
  for (const name of names) assert.match(name, /^[a-z0-9]+(_[a-z0-9]+)*$/);
  // wgpu-native cannot tell (its wgpuInstanceGetWGSLLanguageFeatures is unimplemented): the ones
  // naga accepts (test/features-limits.test.ts compiles each).
  if (engine === "wgpu-native")
    assert.deepEqual(names, ["packed_4x8_integer_dot_product", "pointer_composite_access", "readonly_and_readwrite_storage_textures"]);
  else for (const name of ["packed_4x8_integer_dot_product", "pointer_composite_access", "texture_formats_tier1"]) assert.ok(names.includes(name), name);
});
