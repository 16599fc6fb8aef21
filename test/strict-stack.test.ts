// A strict-mode error's stack starts at the user's call, with none of wgpu-ts's frames.
import { test } from "node:test";
import assert from "node:assert/strict";
import { GPUBufferUsage, GPUValidationError, gpu } from "../src/index.ts";
import { engine } from "./helpers/engine.ts";

function stackOf(f: () => void): string {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof GPUValidationError, String(e));
    return e.stack ?? "";
  }
  assert.fail("strict mode threw nothing");
}

test(`strict-mode errors have a stack that starts at the call that caused them (${engine})`, () => {
  const device = gpu.requestAdapterSync()!.requestDeviceSync({ strict: true } as GPUDeviceDescriptor);
  function makeBadBuffer() {
    device.createBuffer({ size: 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.MAP_WRITE });
  }
  function finishUnbalanced() {
    const encoder = device.createCommandEncoder();
    encoder.popDebugGroup();
    encoder.finish();
  }
  for (const [f, name] of [
    [makeBadBuffer, "makeBadBuffer"],
    [finishUnbalanced, "finishUnbalanced"],
  ] as const) {
    const stack = stackOf(f);
    const frames = stack.split("\n").filter((l) => /^\s+at /.test(l));
    assert.match(stack, /^GPUValidationError: /);
    assert.match(frames[0], new RegExp(`at ${name} \\(.*strict-stack\\.test\\.ts:\\d+:\\d+\\)`), stack);
    assert.deepEqual(
      frames.filter((l) => /[/\\](src|dist)[/\\]|node:internal/.test(l)),
      [],
      "no library or Node frames",
    );
  }
  device.destroy();
});
