// The examples page: the triangle and the cube drawn by the examples' own scene functions into
// <canvas> elements, read back (readCanvas) and compared with the pixel tests' reference images,
// and the matmul example run as it is (its console line shown). Results go to window.examples.
import { compareImages, getDefaultDevice, readCanvas } from "wgpu-ts";
import { makeCube } from "../cube.ts";
import { makeTriangle } from "../triangle.ts";
import { loadImage } from "./load-image.ts";

interface Result {
  ok: boolean;
  detail: string;
}
const results: Record<string, Result> = {};
(globalThis as { examples?: unknown }).examples = { done: false, results };

/**
 * `allowed`: pixels that may differ from the reference, which lavapipe drew: SwiftShader resolves
 * a few of the cube's 4x MSAA edge pixels otherwise.
 */
async function scene(name: string, size: number, allowed: number, draw: (device: GPUDevice, context: GPUCanvasContext) => void): Promise<void> {
  const figure = document.createElement("figure");
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = size;
  const caption = document.createElement("figcaption");
  figure.append(canvas, caption);
  document.getElementById("scenes")!.append(figure);
  try {
    const device = await getDefaultDevice();
    const context = canvas.getContext("webgpu")!;
    context.configure({ device, format: "rgba8unorm", alphaMode: "opaque" });
    draw(device, context);
    const image = await readCanvas(canvas);
    const diff = compareImages(image, await loadImage(`reference/${name}.png`), 3);
    const detail = `${diff.mismatchedPixels} pixels differ from test/reference/${name}.png (${allowed} allowed; largest difference ${diff.maxDelta})`;
    results[name] = { ok: diff.mismatchedPixels <= allowed, detail };
  } catch (e) {
    results[name] = { ok: false, detail: String((e as Error)?.stack ?? e) };
  }
  caption.textContent = `${name}: ${results[name].ok ? "matches" : "DIFFERS"}: ${results[name].detail}`;
}

await scene("triangle", 64, 0, (device, context) => makeTriangle(device, "rgba8unorm")(context.getCurrentTexture().createView()));
await scene("cube", 96, 40, (device, context) => makeCube(device, "rgba8unorm")(context.getCurrentTexture().createView(), 96, 96, 0.6));

// The matmul example as it is: it reads N from process.argv (here globalThis.argv) and prints one line.
const out = document.getElementById("matmul")!;
const log = console.log;
try {
  (globalThis as { argv?: string[] }).argv = ["browser", "compute-matmul", "64"];
  const lines: string[] = [];
  console.log = (...args: unknown[]) => {
    lines.push(args.join(" "));
    log(...args);
  };
  await import("../compute-matmul.ts");
  out.textContent = lines.join("\n");
  const line = lines.find((l) => l.startsWith("matmul")) ?? "no matmul line";
  results.matmul = { ok: / OK /.test(line), detail: line };
} catch (e) {
  results.matmul = { ok: false, detail: String((e as Error)?.stack ?? e) };
  out.textContent = results.matmul.detail;
} finally {
  console.log = log;
}
(globalThis as { examples?: { done: boolean } }).examples!.done = true;
