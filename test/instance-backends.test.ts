// Which backends wgpu-native's instance enables when none were chosen (engine/instance-options.ts):
// GL only where no Vulkan driver is installed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { defaultBackends } from "../src/native/engine/instance-options.ts";

function withEnv<T>(vars: Record<string, string | undefined>, fn: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars))
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  try {
    return fn();
  } finally {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
}

test("a machine with a Vulkan driver (lavapipe here) gets the primary backends by default", () => {
  assert.deepEqual(defaultBackends(), ["primary"]);
  assert.deepEqual(withEnv({ VK_DRIVER_FILES: "/x.json" }, defaultBackends), ["primary"]);
});
