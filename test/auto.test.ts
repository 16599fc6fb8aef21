// wgpu-ts/auto in Node.js is the native backend, with the same names as the browser build; the
// browser build loads in Node.js without WebGPU and without touching the native code.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import * as native from "../src/index.ts";

test("wgpu-ts/auto picks the native backend in Node.js, and exports what the browser build exports", async () => {
  const auto = await import("../src/auto.ts");
  const browser = await import("../src/browser.ts");
  assert.equal(auto.backend, "native");
  assert.equal(auto.gpu, native.gpu, "auto's gpu is the native one");
  assert.equal(auto.GPUDevice, native.GPUDevice);
  assert.equal(browser.backend, "browser");
  assert.deepEqual(Object.keys(auto).sort(), Object.keys(browser).sort(), "auto's names are the browser build's");
  const missing = Object.keys(browser).filter((k) => !(k in native));
  assert.deepEqual(missing, [], "every name of the browser build is in the native one too");
});

test("the browser build's sources take in no native code, koffi or node: module (bundled for the browser platform)", async () => {
  const result = await build({
    entryPoints: [fileURLToPath(new URL("../src/browser.ts", import.meta.url))],
    bundle: true,
    platform: "browser",
    format: "esm",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const inputs = Object.keys(result.metafile.inputs);
  assert.ok(inputs.includes("src/browser/extras.ts"), inputs.join(", "));
  assert.deepEqual(
    inputs.filter((f) => /src\/native\/|koffi|^node:|src\/(index|backend|globals)\.ts$/.test(f)),
    [],
  );
});

test("the browser build loads in Node.js, where there is no navigator.gpu: gpu is undefined and the helpers are there", async () => {
  const browser = await import("../src/browser.ts");
  assert.equal(browser.gpu, undefined);
  assert.equal(typeof browser.computeWithBuffers, "function");
  await assert.rejects(browser.getDefaultDevice(), /no WebGPU/);
});
