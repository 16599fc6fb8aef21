// The browser build in a real browser: headless Chromium (Debian's, through playwright-core; no
// browser download) with WebGPU on SwiftShader loads a page served on loopback that runs the
// shared API tests (test/shared/webgpu-api.ts, the same text as test/webgpu-api.test.ts in Node.js),
// each reported here as a test of its own, then the examples page (triangle, cube, matmul).
// scripts/test.mjs runs this file once, as the "chromium" implementation, beside the two engines.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { bundlePage, root } from "../examples/browser/build.ts";
import { examplesSite, serve } from "../examples/browser/serve.ts";

const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
// WebGPU in headless Chromium on a machine without a GPU: Vulkan through SwiftShader (and ANGLE on SwiftShader for the rest).
const args = ["--no-sandbox", "--enable-unsafe-webgpu", "--enable-features=Vulkan", "--use-webgpu-adapter=swiftshader", "--use-angle=swiftshader"];
/** The whole page must finish in this time: the browser pass stays bounded. */
const pageMs = 20_000;

const missing = !existsSync(executablePath)
  ? `no Chromium at ${executablePath} (apt-get install chromium, or set CHROMIUM)`
  : !existsSync(join(root, "dist/browser.js"))
    ? "no dist/browser.js (npm run build)"
    : null;
if (missing && process.env.CI) throw new Error(`browser tests: ${missing}`);

interface Outcome {
  name: string;
  ok: boolean;
  error?: string;
  ms: number;
}

/** Waits for `flag` on the page; a page error ends the wait at once (it is in `problems`). */
async function finish(page: import("playwright-core").Page, what: string, flag: string, problems: string[]): Promise<void> {
  const failed = new Promise<void>((resolve) => page.once("pageerror", () => resolve()));
  const done = page.waitForFunction((f) => (globalThis as unknown as Record<string, { done?: boolean } | undefined>)[f]?.done, flag, { timeout: pageMs });
  await Promise.race([done, failed]).catch((e: Error) => {
    problems.push(`the ${what} did not finish: ${e.message}`);
  });
}

async function runPages() {
  const { chromium } = await import("playwright-core");
  const t0 = performance.now();
  const times: Record<string, number> = {};
  const lap = (name: string) => (times[name] = Math.round(performance.now() - t0));
  const bundle = await bundlePage({ test: join(root, "test/browser/page.ts") });
  const files = new Map<string, Uint8Array | string>(bundle.files);
  files.set(
    "index.html",
    '<!doctype html><html><head><meta charset="utf-8"><title>wgpu-ts browser tests</title></head><body><script type="module" src="test.js"></script></body></html>',
  );
  const testSite = await serve({ files, folders: { "reference/": "test/reference", "dist/": "dist" } });
  const examples = await serve(await examplesSite());
  lap("bundled");
  const browser = await chromium.launch({ executablePath, args, headless: true, timeout: 20_000 });
  lap("launched");
  const problems: string[] = [];
  try {
    // The two pages run side by side (each has its own device).
    const page = await browser.newPage();
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => m.type() === "error" && problems.push(`console error: ${m.text()}`));
    const examplesPage = await browser.newPage();
    examplesPage.on("pageerror", (e) => problems.push(`examples page error: ${e.message}`));
    await Promise.all([page.goto(testSite.url), examplesPage.goto(examples.url)]);
    await Promise.all([finish(page, "test page", "results", problems), finish(examplesPage, "examples page", "examples", problems)]);
    const state = (await page.evaluate(() => (globalThis as { results?: unknown }).results ?? { results: [], auto: {} })) as {
      results: Outcome[];
      auto: { bundled?: boolean; runtimeBackend?: string; runtimeGpuIsNavigatorGpu?: boolean; error?: string };
    };
    const adapter = await page.evaluate(async () => (await navigator.gpu.requestAdapter())?.info.architecture);
    const exampleResults = (await examplesPage.evaluate(() => (globalThis as { examples?: { results: unknown } }).examples?.results ?? {})) as Record<
      string,
      { ok: boolean; detail: string }
    >;
    lap("pages");
    return { ...state, adapter, exampleResults, problems, metafile: bundle.metafile, times };
  } finally {
    await browser.close();
    testSite.server.close();
    examples.server.close();
  }
}

/** All of it (start, both pages, close) is bounded: a browser that hangs fails the run, it does not stall it. */
const allMs = 60_000;
const run = missing
  ? null
  : await Promise.race([
      runPages(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`browser tests: Chromium did not finish in ${allMs / 1000} s`)), allMs).unref()),
    ]);
const skip = missing ? { skip: missing } : {};
if (missing) console.log(`browser tests: skipped: ${missing}`);
else {
  console.log(
    `browser tests: Chromium with WebGPU on ${run!.adapter}; shared tests took ${Math.round(run!.results.reduce((n, r) => n + r.ms, 0))} ms in the page; ms since the start: ${JSON.stringify(run!.times)}`,
  );
  for (const [name, r] of Object.entries(run!.exampleResults)) console.log(`  examples page, ${name}: ${r.detail}`);
}

const shared = run?.results.length ? run.results : [{ name: "the shared API tests", ok: false, ms: 0, error: run?.problems.join("\n") }];
for (const r of shared) {
  test(`${r.name} (chromium)`, skip, () => {
    assert.ok(r.ok, r.error);
  });
}

test("page: the bundler took the browser build (browser condition): no native code, koffi or node: module in the page", skip, () => {
  const inputs = Object.keys(run!.metafile.inputs);
  assert.ok(
    inputs.some((f) => f.endsWith("dist/browser.js")),
    `dist/browser.js is in the page: ${inputs.filter((f) => f.includes("dist/")).join(", ")}`,
  );
  const native = inputs.filter((f) => /dist\/(index|extras|wgpu-ts-\w+)\.js$|koffi|^node:|src\/native\//.test(f));
  assert.deepEqual(native, [], "native inputs");
  const size = statSync(join(root, "dist/browser.js")).size;
  assert.ok(size < 200_000, `dist/browser.js is small (${size} bytes)`);
});

test("page: wgpu-ts/auto is the browser backend, bundled and as dist/auto.js decides at run time; no page errors", skip, () => {
  assert.deepEqual(run!.problems, [], "errors in the pages");
  assert.equal(run!.auto.error, undefined, run!.auto.error);
  assert.equal(run!.auto.bundled, true, "wgpu-ts/auto through the browser condition is wgpu-ts's browser build");
  assert.equal(run!.auto.runtimeBackend, "browser", "dist/auto.js picked");
  assert.equal(run!.auto.runtimeGpuIsNavigatorGpu, true, "its gpu is navigator.gpu");
});

for (const name of ["triangle", "cube"]) {
  test(`examples page: the ${name} example drawn into a <canvas> matches test/reference/${name}.png`, skip, () => {
    const r = run!.exampleResults[name];
    assert.ok(r?.ok, r?.detail ?? "no result");
  });
}

test("examples page: the matmul example (N = 64) checks its product against the CPU", skip, () => {
  const r = run!.exampleResults.matmul;
  assert.ok(r?.ok, r?.detail ?? "no result");
  assert.match(r.detail, /^matmul 64x64: OK/);
});
