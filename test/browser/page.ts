// The browser tests' page: the shared API tests (test/shared/webgpu-api.ts) on wgpu-ts's browser
// build, bundled as a user's bundler would (`wgpu-ts` through the `browser` condition), and a look
// at what `wgpu-ts/auto` picked. Results go to window.results for test/browser.chromium.ts.
import * as wgpu from "wgpu-ts";
import * as auto from "wgpu-ts/auto";
import { loadImage } from "../../examples/browser/load-image.ts";
import { webgpuApiTests, type Api } from "../shared/webgpu-api.ts";

interface Outcome {
  name: string;
  ok: boolean;
  error?: string;
  ms: number;
}

interface AutoCheck {
  /** wgpu-ts/auto through the bundler's browser condition is the browser build itself. */
  bundled: boolean;
  /** dist/auto.js loaded as it is (no bundler): the backend it picked at run time, and its gpu. */
  runtimeBackend: string;
  runtimeGpuIsNavigatorGpu: boolean;
}

const state: { done: boolean; results: Outcome[]; auto?: AutoCheck | { error: string } } = { done: false, results: [] };
(globalThis as { results?: unknown }).results = state;

const tests = webgpuApiTests(wgpu as unknown as Api, {
  implementation: "chromium",
  createCanvas(width, height) {
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    document.body.append(canvas);
    return canvas;
  },
  readReference: (name) => loadImage(`reference/${name}.png`),
});
/** A test that takes longer is failed here, so that the page always finishes (the runner has its own bound too). */
const perTestMs = 5000;
for (const t of tests) {
  const start = performance.now();
  try {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`did not finish in ${perTestMs} ms`)), perTestMs);
    });
    await Promise.race([t.run(), timeout]).finally(() => clearTimeout(timer));
    state.results.push({ name: t.name, ok: true, ms: performance.now() - start });
  } catch (e) {
    state.results.push({ name: t.name, ok: false, error: String((e as Error)?.stack ?? e), ms: performance.now() - start });
  }
}
try {
  // A URL the bundler leaves alone: the server has dist/ as the package has it.
  const runtime = (await import(/* @vite-ignore */ new URL("dist/auto.js", location.href).href)) as { backend: string; gpu: GPU };
  state.auto = {
    bundled: auto.gpu === wgpu.gpu && (auto.computeWithBuffers as unknown) === wgpu.computeWithBuffers && auto.gpu === navigator.gpu,
    runtimeBackend: runtime.backend,
    runtimeGpuIsNavigatorGpu: runtime.gpu === navigator.gpu,
  };
} catch (e) {
  state.auto = { error: String((e as Error)?.stack ?? e) };
}
state.done = true;
