// Hostile and careless programs (issue 14, classes 1, 2, 3 and 8), one child process per class, so
// that a crash is a failed test and not a dead runner: each case must end in a clean error or the
// spec's result, never a crash, a hang, freed memory or wrong data.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const fixture = fileURLToPath(new URL("./fixtures/hostile.ts", import.meta.url));

// biome-ignore lint/suspicious/noExplicitAny: the child's JSON answers
function run(which: string): Record<string, any> {
  const r = spawnSync(process.execPath, ["--import", "tsx", fixture, which], { encoding: "utf8", timeout: 120_000, env: { ...process.env, WGPU_STRICT: "" } });
  assert.equal(r.signal, null, `the child died of ${r.signal}:\n${r.stderr.slice(-3000)}`);
  assert.equal(r.status, 0, r.stderr.slice(-3000));
  return JSON.parse(r.stdout.trim().split("\n").pop()!);
}

const disposedError = (cls: string) => new RegExp(`^TypeError: ${cls}( "[^"]*")? was disposed`);
/** The error of another device's object as `member` of `method`: a TypeError, or (`scoped`) the validation error's message where the call can be made invalid. */
const otherDevice = (method: string, member: string, scoped = false) =>
  new RegExp(`^${scoped ? "" : "TypeError: "}${method}: ${member.replace(/[[\]]/g, "\\$&")} belongs to another GPUDevice`);

test("class 1: user code inside argument conversion cannot make a call use a released object or disagree with its checks", () => {
  const r = run("reentrant");
  // A dispose inside the call takes effect when it returns: the call works, the object is gone after, nothing strays.
  assert.deepEqual(r.writeBufferDisposedInValueOf.threw, "ok");
  assert.match(r.writeBufferDisposedInValueOf.after, disposedError("GPUBuffer"));
  assert.deepEqual(r.writeBufferDisposedInValueOf.other, [9, 9, 9, 9]);
  assert.equal(r.copyBufferToBufferSourceDisposedInValueOf.threw, "ok");
  assert.match(r.copyBufferToBufferSourceDisposedInValueOf.submitted, /GPUBuffer it uses is destroyed/);
  assert.deepEqual(r.copyBufferToBufferSourceDisposedInValueOf.dst, [0, 0, 0, 0]);
  // The hot pass commands convert first and take handles last: a group disposed meanwhile is a TypeError.
  assert.match(r.setBindGroupDisposedByOffsetsIterator.threw, disposedError("GPUBindGroup"));
  assert.match(r.dispatchIndirectDisposedInValueOf.threw, disposedError("GPUBuffer"));
  // A descriptor getter that disposes the layout and destroys the buffer: created with both, then they go.
  assert.equal(r.createBindGroupGetterDestroysAndDisposes.threw, "ok");
  assert.match(r.createBindGroupGetterDestroysAndDisposes.layoutAfter, disposedError("GPUBindGroupLayout"));
  assert.match(r.createBindGroupGetterDestroysAndDisposes.submitError, /GPUBuffer it uses is destroyed/);
  // Each member is read once: the buffer the group binds is the one the submit checks and the dispatch writes.
  assert.deepEqual(r.bindingGetterAnswersAnotherBufferLater, { reads: 1, a: 5, b: 0 });
  assert.deepEqual(r.colorAttachmentViewGetterFlips, { reads: 1, pixel: [255, 0, 0, 255] });
  // In Web IDL's order: inherited members first, then sorted.
  assert.deepEqual(r.membersReadOnceInWebIdlOrder.read, ["label", "mappedAtCreation", "size", "usage"]);
  assert.deepEqual(r.deviceDestroyedInGetter, { threw: "ok", lost: "destroyed" });
});

test("class 2: a mapped range cannot be transferred into an alias that outlives unmap", () => {
  const r = run("escape");
  const t = r.transferOfAMappedRange;
  if (t.views) {
    // Views of the engine's memory carry the spec's detach key.
    assert.match(t.tries.transfer, /^TypeError: ArrayBuffer is not detachable/);
    assert.match(t.tries.structuredClone, /^DOMException/);
    assert.equal(t.aliasRead, null);
  } else {
    // Copies: an alias, if the runtime makes one, is JS memory that holds what was written.
    process.stdout.write("# mapped ranges are copies here (no detach-key addon for this Node): an alias is JS memory\n");
    if (t.tries.transfer === "ok") assert.equal(t.aliasRead, 7);
  }
  assert.equal(t.afterUnmap, 0);
  assert.equal(r.deviceDestroyedWithAMappedRange.afterDestroy, 0);
  assert.match(r.deviceDestroyedWithAMappedRange.read, /detached/);
});

test("class 3: what made an engine abort is a validation error or a TypeError", () => {
  const r = run("engineAborts");
  assert.match(r.commandBufferOfAnotherDevice.error, /^GPUQueue\.submit: commandBuffers\[0\]: it belongs to another GPUDevice/);
  assert.equal(r.commandBufferOfAnotherDevice.stillWorks, null);
  assert.match(
    r.compilationInfoAfterTheDeviceWasDisposed.info,
    /^rejected TypeError: GPUShaderModule\.getCompilationInfo: the module's GPUDevice was disposed/,
  );
  const o = r.objectsOfAnotherDeviceInDescriptors;
  assert.match(o.bindGroup, otherDevice("GPUDevice.createBindGroup", "entries[0]: resource.buffer", true));
  assert.match(o.pipelineLayout, otherDevice("GPUDevice.createPipelineLayout", "bindGroupLayouts[0]"));
  assert.match(o.renderPass, otherDevice("GPUCommandEncoder.finish: GPUCommandEncoder.beginRenderPass", "colorAttachments[0].view", true));
  assert.match(o.computePass, otherDevice("GPUCommandEncoder.finish: GPUCommandEncoder.beginComputePass", "timestampWrites.querySet", true));
  assert.match(o.bundle, otherDevice("GPUCommandEncoder.finish: GPURenderPassEncoder.executeBundles", "bundles[0]", true));
  assert.match(o.copy, otherDevice("GPUCommandEncoder.finish: GPUCommandEncoder.copyBufferToBuffer", "source", true));
  assert.deepEqual(r.uncaptured, []);
});

test("class 3 on a strict device: the mismatch's validation error is thrown from the call, and later calls behave", () => {
  const r = run("strictMismatch");
  assert.match(r.thenADispose.error, /^GPUValidationError: GPUQueue\.writeBuffer: buffer belongs to another GPUDevice/);
  assert.match(r.thenADispose.afterDispose, disposedError("GPUBuffer"));
});

test("class 8: errors are the caller's, named after its call, and no longer hide", () => {
  const r = run("hidden");
  assert.equal(r.readBufferOfADestroyedBuffer.read, "rejected GPUValidationError: GPUQueue.readBuffer: buffer is destroyed");
  assert.equal(r.readBufferWithoutCopySrc.read, "rejected GPUValidationError: GPUQueue.readBuffer: buffer has no COPY_SRC usage");
  assert.match(r.computeWithBuffersOfBadWgsl.threw, /^GPUValidationError: computeWithBuffers: /);
  assert.match(r.pendingMapAtDeviceDestroy.map, /^rejected DOMException: GPUBuffer\.mapAsync: the mapping was aborted/);
  assert.equal(r.pendingMapAtDeviceDestroy.mapState, "unmapped");
  const fake = r.objectsWgpuTsDidNotMake;
  assert.match(fake.method, /^rejected TypeError: GPUBuffer\.mapAsync: this must be a GPUBuffer, got an object with GPUBuffer's prototype/);
  assert.match(fake.getter, /^TypeError: GPUBuffer\.mapState: this must be a GPUBuffer/);
  assert.match(fake.proxyArgument, /^TypeError: GPUQueue\.writeBuffer: buffer must be a GPUBuffer, got a Proxy/);
  assert.match(fake.proxyThis, /^TypeError: GPUBuffer\.unmap: this must be a GPUBuffer, got a Proxy/);
  assert.match(r.stagedWriteToAnotherDevice.error, otherDevice("GPUQueue.writeBuffer", "buffer", true));
  // A staged write, then a map that fails (the buffer pending), then a submit: was an internal error (fuzz seed 1012436991).
  assert.equal(r.stagedWriteThenAFailedMap.submit, "ok");
  assert.deepEqual(r.stagedWriteThenAFailedMap.data, [1, 2, 3, 4]);
  // The only uncaptured error is the failed map's own validation error: none from readBuffer's or computeWithBuffers' internals.
  assert.deepEqual(r.uncaptured, ["GPUBuffer.mapAsync: offset (4) must be a multiple of 8"]);
});
