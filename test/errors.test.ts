// The error model as far as the core goes: scopes, uncaptured events, and never an abort.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { GPUBufferUsage, GPUPipelineError, GPUUncapturedErrorEvent, GPUValidationError } from "../src/index.ts";
import { testDevice, validationErrorOf } from "./helpers/gpu.ts";

test("error scopes nest, filter by type, and the innermost matching one takes the error", async () => {
  const device = testDevice();
  device.pushErrorScope("validation");
  device.pushErrorScope("out-of-memory");
  device.createBuffer({ size: 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.MAP_WRITE, label: "bad usage" });
  assert.equal(await device.popErrorScope(), null, "the out-of-memory scope sees nothing");
  const error = await device.popErrorScope();
  assert.ok(error instanceof GPUValidationError);
  assert.match(error.message, /usage/i);
  await assert.rejects(device.popErrorScope(), { name: "OperationError" });
  assert.throws(() => device.pushErrorScope("nonsense" as GPUErrorFilter), { name: "TypeError", message: /"validation", "out-of-memory", "internal"/ });
});

test("an uncaptured error fires uncapturederror on the device, and onuncapturederror", async () => {
  const device = testDevice();
  const seen: string[] = [];
  const listener = (e: Event) => seen.push(`listener:${(e as GPUUncapturedErrorEvent).error.constructor.name}`);
  device.addEventListener("uncapturederror", listener);
  device.onuncapturederror = (e) => void seen.push(`handler:${e.error.constructor.name}`);
  device.createBuffer({ size: 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.MAP_WRITE });
  await new Promise((r) => setImmediate(r));
  device.removeEventListener("uncapturederror", listener);
  device.onuncapturederror = null;
  assert.deepEqual(seen.sort(), ["handler:GPUValidationError", "listener:GPUValidationError"]);
});

test("onuncapturederror keeps its place among the listeners when replaced, and takes the last place when set again after null (HTML event handlers)", async () => {
  const device = testDevice();
  const order: string[] = [];
  const mark = (name: string) => () => void order.push(name);
  const fire = async () => {
    order.length = 0;
    device.createBuffer({ size: 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.MAP_WRITE });
    await new Promise((r) => setImmediate(r));
    return order.join(",");
  };
  const [a, b] = [mark("a"), mark("b")];
  device.addEventListener("uncapturederror", a);
  device.onuncapturederror = mark("c");
  device.addEventListener("uncapturederror", b);
  assert.equal(await fire(), "a,c,b");
  device.onuncapturederror = mark("d");
  assert.equal(await fire(), "a,d,b");
  device.onuncapturederror = null;
  device.onuncapturederror = mark("e");
  assert.equal(await fire(), "a,b,e");
  device.onuncapturederror = null;
  device.removeEventListener("uncapturederror", a);
  device.removeEventListener("uncapturederror", b);
});

test("shader errors: compilation info with line and column, and a rejecting async pipeline", async () => {
  const device = testDevice();
  const code = "@compute @workgroup_size(1)\nfn main() {\n  let x = nope;\n}\n";
  let module!: ReturnType<typeof device.createShaderModule>;
  const error = await validationErrorOf(device, () => (module = device.createShaderModule({ code })));
  assert.ok(error instanceof GPUValidationError);
  const info = await module.getCompilationInfo();
  assert.equal(info.messages.length, 1);
  const [m] = info.messages;
  assert.equal(m.type, "error");
  assert.equal(m.lineNum, 3);
  assert.equal(m.linePos, 11);
  assert.equal(code.slice(m.offset, m.offset + m.length), "nope");
  // Characters past U+FFFF before the error on its line: linePos, offset and length count UTF-16 units.
  const wide = "@compute @workgroup_size(1)\nfn main() {\n  /*\u{1f408}\u{1f408}*/ let y = nope;\n}\n";
  const wideModule = device.createShaderModule({ code: wide });
  const [w] = (await wideModule.getCompilationInfo()).messages;
  assert.equal(w.lineNum, 3);
  assert.equal(w.linePos, 20, "after 2 + 2 + 2 * 2 + 2 + 9 units");
  assert.equal(wide.slice(w.offset, w.offset + w.length), "nope");
  const good = device.createShaderModule({ code: "@compute @workgroup_size(1) fn main() {}" });
  assert.equal((await good.getCompilationInfo()).messages.length, 0);
  await assert.rejects(
    device.createComputePipelineAsync({ layout: "auto", compute: { module } }),
    (e: unknown) => e instanceof GPUPipelineError && e.reason === "validation",
  );
});

test("invalid input the engine would abort on becomes a validation error", async () => {
  const device = testDevice();
  // Unknown usage bits, an empty clear, submitting a failed encoding twice, a mapped buffer in a submit.
  assert.ok(await validationErrorOf(device, () => device.createBuffer({ size: 4, usage: 0x10000 })));
  const buffer = device.createBuffer({ size: 16, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
  assert.equal(
    await validationErrorOf(device, () => {
      const e = device.createCommandEncoder();
      e.clearBuffer(buffer, 16, 0);
      device.queue.submit([e.finish()]);
    }),
    null,
  );
  // An empty clear past the end: the encoder is invalid, its error comes at finish (as the spec says).
  const past = device.createCommandEncoder();
  assert.equal(await validationErrorOf(device, () => past.clearBuffer(buffer, 20, 0)), null);
  assert.match((await validationErrorOf(device, () => past.finish()))?.message ?? "", /offset \(20\) must be a multiple of 4 and within the buffer/);
  const broken = device.createCommandEncoder();
  broken.clearBuffer(buffer, 3, 4); // misaligned: the encoding fails
  let cb!: ReturnType<typeof broken.finish>;
  assert.ok(await validationErrorOf(device, () => (cb = broken.finish())));
  assert.match((await validationErrorOf(device, () => device.queue.submit([cb])))?.message ?? "", /invalid/);
  const ok = device.createCommandEncoder();
  ok.clearBuffer(buffer);
  const okBuffer = ok.finish();
  buffer.mapSync(1);
  assert.match((await validationErrorOf(device, () => device.queue.submit([okBuffer])))?.message ?? "", /mapped/);
  buffer.unmap();
  // A failed submit spends its command buffers, the valid ones too (the spec's submit).
  assert.match((await validationErrorOf(device, () => device.queue.submit([okBuffer])))?.message ?? "", /already submitted/);
  const [first, second] = [device.createCommandEncoder().finish(), device.createCommandEncoder().finish()];
  assert.equal(await validationErrorOf(device, () => device.queue.submit([first])), null);
  assert.match((await validationErrorOf(device, () => device.queue.submit([second, first])))?.message ?? "", /commandBuffers\[1\]: .*already submitted/);
  assert.match((await validationErrorOf(device, () => device.queue.submit([second])))?.message ?? "", /already submitted/);
});

test("bad JavaScript arguments are TypeErrors naming the method and member", () => {
  const device = testDevice();
  assert.throws(() => device.createBuffer(undefined as never), { name: "TypeError", message: "GPUDevice.createBuffer: descriptor is required" });
  assert.throws(() => device.createBuffer({ size: NaN, usage: 1 }), { message: /GPUDevice.createBuffer: size must be a finite number/ });
  assert.throws(() => device.createBuffer({ size: -1, usage: 1 }), { message: /size \(-1\) is out of range/ });
  assert.throws(() => device.createBuffer({ size: 2 ** 60, usage: 1 }), { message: /out of range/ });
  assert.throws(() => device.createBuffer({ size: 4 } as never), { message: /usage is required/ });
  assert.throws(() => device.createShaderModule({} as never), { message: /GPUDevice.createShaderModule: code is required/ });
  assert.throws(() => device.createComputePipeline({ compute: {} } as never), { message: /layout is required/ });
  assert.throws(() => device.createBindGroupLayout({ entries: [{ binding: 0, visibility: 4, buffer: { type: "nope" } }] } as never), {
    message: /buffer.type \("nope"\) must be one of "uniform", "storage", "read-only-storage"/,
  });
  assert.throws(() => device.queue.submit([{}] as never), { message: /commandBuffers\[0\] must be a GPUCommandBuffer/ });
  assert.throws(() => device.createCommandEncoder().beginComputePass().dispatchWorkgroups(-1), { message: /dispatchWorkgroups: workgroupCountX/ });
});

test("a script that misuses the API dies of a JS exception, never of an engine abort", () => {
  const script = `
    import { gpu } from ${JSON.stringify(fileURLToPath(new URL("../src/index.ts", import.meta.url)))};
    const device = gpu.requestAdapterSync().requestDeviceSync();
    const b = device.createBuffer({ size: 16, usage: 1 });
    device.destroy();
    device.queue.submit([device.createCommandEncoder().finish()]);
    b.mapSync(1);
  `;
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
  assert.equal(r.signal, null, r.stderr);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /OperationError|device is lost/);
});
