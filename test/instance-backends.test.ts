// Which backends wgpu-native's instance enables (runtime.ts): GL only where it is needed or asked for.
import { test } from "node:test";
import assert from "node:assert/strict";
import { wgpuNativeBackends } from "../src/native/runtime.ts";
import { WGPUInstanceBackend } from "../src/native/ffi/generated/webgpu.ts";

function withEnv<T>(vars: Record<string, string | undefined>, fn: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  try {
    return fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
}

test("WGPU_BACKEND picks the backends by wgpu's names", () => {
  assert.equal(withEnv({ WGPU_BACKEND: "gl" }, wgpuNativeBackends), WGPUInstanceBackend.GL);
  assert.equal(withEnv({ WGPU_BACKEND: "Vulkan, gl" }, wgpuNativeBackends), WGPUInstanceBackend.Vulkan | WGPUInstanceBackend.GL);
  assert.equal(withEnv({ WGPU_BACKEND: "all" }, wgpuNativeBackends), WGPUInstanceBackend.All);
});

test("without WGPU_BACKEND, a machine with a Vulkan driver (lavapipe here) gets the primary backends", () => {
  assert.equal(withEnv({ WGPU_BACKEND: undefined }, wgpuNativeBackends), WGPUInstanceBackend.Primary);
  assert.equal(withEnv({ WGPU_BACKEND: undefined, VK_DRIVER_FILES: "/x.json" }, wgpuNativeBackends), WGPUInstanceBackend.Primary);
});
