// maxColorAttachmentBytesPerSample: the spec's byte count of a list of color formats
// (src/api/texture-formats.ts), and render bundle encoders over the limit, which wgpu-core 29
// makes and wgpu-ts refuses (render-bundle.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { colorAttachmentBytesPerSample } from "../src/api/texture-formats.ts";
import { freshAdapter, validationErrorOf } from "./helpers/gpu.ts";

test("colorAttachmentBytesPerSample aligns each format to its component alignment, then adds its byte cost", () => {
  assert.equal(colorAttachmentBytesPerSample([]), 0);
  assert.equal(colorAttachmentBytesPerSample(["rgba8unorm"]), 8, "8-bit unorm formats with 4 components cost 8");
  assert.equal(colorAttachmentBytesPerSample(["rgba8uint", null, "r8unorm"]), 5, "a null slot costs nothing");
  assert.equal(colorAttachmentBytesPerSample(["r8unorm", "r32float"]), 8, "r32float aligned to 4");
  assert.equal(colorAttachmentBytesPerSample(["r8unorm", "rgba16uint"]), 10, "rgba16uint aligned to 2");
  assert.equal(colorAttachmentBytesPerSample(["r8unorm", "rgba32uint", "rg8unorm", "rgba32uint"]), 40);
});

test("createRenderBundleEncoder over maxColorAttachmentBytesPerSample is a validation error, at the limit is not", async () => {
  const adapter = freshAdapter();
  const device = adapter.requestDeviceSync({ requiredLimits: { maxColorAttachments: adapter.limits.maxColorAttachments } });
  const limit = device.limits.maxColorAttachmentBytesPerSample;
  // rgba32uint targets (16 bytes each) up to the limit, then one r8unorm more.
  const atLimit: GPUTextureFormat[] = Array.from({ length: limit / 16 }, () => "rgba32uint");
  if (atLimit.length + 1 > device.limits.maxColorAttachments)
    assert.fail(`maxColorAttachments (${device.limits.maxColorAttachments}) leaves no room for the test`);
  const finish = (colorFormats: GPUTextureFormat[]) => validationErrorOf(device, () => device.createRenderBundleEncoder({ colorFormats }).finish());
  assert.equal(await finish(atLimit), null);
  const error = await finish([...atLimit, "r8unorm"]);
  assert.match(
    error?.message ?? "",
    new RegExp(`createRenderBundleEncoder: colorFormats take ${limit + 1} bytes per sample, more than maxColorAttachmentBytesPerSample \\(${limit}\\)`),
  );
  device.destroy();
});
