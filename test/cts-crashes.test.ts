// Every crash the WebGPU CTS found (npm run cts), as a test of its own: the CTS case it came from,
// and what the process does instead of dying, on the engine under test.
import { test } from "node:test";
import assert from "node:assert/strict";
import { GPUBufferUsage } from "../src/index.ts";
import { engine } from "./helpers/engine.ts";
import { freshDevice, testDevice, validationErrorOf } from "./helpers/gpu.ts";

// webgpu:api,validation,queue,submit:command_buffer,device_mismatch (SIGABRT: wgpu-native's
// wgpuQueueSubmit panics on "Device ... of CommandBuffer doesn't match Device ... of Queue").
test(`submitting another device's command buffer is a validation error that submits nothing (${engine})`, async () => {
  const device = testDevice();
  const other = freshDevice();
  const buffer = device.createBuffer({ size: 16, usage: GPUBufferUsage.COPY_DST });
  const mine = device.createCommandEncoder();
  mine.clearBuffer(buffer);
  const theirs = other.createCommandEncoder().finish({ label: "theirs" });
  const mineDone = mine.finish();
  const error = await validationErrorOf(device, () => device.queue.submit([mineDone, theirs]));
  assert.match(error?.message ?? "", /GPUQueue\.submit: commandBuffers\[1\]: it belongs to another GPUDevice/);
  // Nothing was submitted: this device's buffer can still be submitted once, and the other's on its own device.
  assert.equal(await validationErrorOf(device, () => device.queue.submit([mineDone])), null);
  assert.equal(await validationErrorOf(other, () => other.queue.submit([theirs])), null);
  other.destroy();
});
