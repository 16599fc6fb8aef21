// The shared API tests (test/shared/webgpu-api.ts) on this process's engine; test/browser.chromium.ts
// runs the same text in Chromium.
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import * as wgpu from "../src/index.ts";
import { readPng } from "../src/utils/image.ts";
import { engine } from "./helpers/engine.ts";
import { webgpuApiTests, type Api } from "./shared/webgpu-api.ts";

wgpu.installGlobals(); // the examples' scenes use the flag globals, as in a browser
const tests = webgpuApiTests(wgpu as unknown as Api, {
  implementation: engine,
  createCanvas: (width, height) => wgpu.createCanvas(width, height) as unknown as ReturnType<Parameters<typeof webgpuApiTests>[1]["createCanvas"]>,
  readReference: async (name) => readPng(fileURLToPath(new URL(`reference/${name}.png`, import.meta.url))),
});
for (const t of tests) test(`${t.name} (${engine})`, () => t.run());
