// Frames per second of the cube example (800x600, depth, 4x MSAA) on each engine: in a window under
// Xvfb with vsync off and on, beside the offscreen canvas drawing and presenting the same frames
// (its present reads the frame back into its pixels). Run: npx tsx bench/window-fps.ts [frames]
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startXvfb } from "../test/helpers/x11.ts";

const frames = Number(process.argv[2] ?? 300);
const root = fileURLToPath(new URL("..", import.meta.url));
const engines = ["wgpu-native", "dawn"];

function run(args: string[], env: Record<string, string>): string {
  const r = spawnSync(process.execPath, ["--import", "tsx", ...args], { cwd: root, env: { ...process.env, ...env }, encoding: "utf8", timeout: 300_000 });
  if (r.status !== 0) throw new Error(`${args.join(" ")}: exit ${r.status}\n${r.stderr}`);
  return r.stdout;
}

/** The median of the per-second fps lines, the first second (start-up) left out. */
function windowFps(out: string): number {
  const values = [...out.matchAll(/^fps: ([\d.]+)/gm)].map((m) => Number(m[1])).slice(1, -1);
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)] ?? Number.NaN;
}

const offscreenScript = `
import { gpu, createCanvas, installGlobals } from "wgpu-ts";
import { makeCube } from "./examples/cube.ts";
installGlobals();
const device = await (await gpu.requestAdapter()).requestDevice();
const canvas = createCanvas(800, 600);
const context = canvas.getContext("webgpu");
const format = gpu.getPreferredCanvasFormat();
context.configure({ device, format });
const cube = makeCube(device, format);
const frame = (i) => { cube(context.getCurrentTexture().createView(), 800, 600, i / 60); context.present(); };
for (let i = 0; i < 30; i++) frame(i);
const start = performance.now();
for (let i = 0; i < ${frames}; i++) frame(i);
console.log(JSON.stringify({ fps: (${frames} * 1000) / (performance.now() - start) }));
`;

const display = await startXvfb();
try {
  console.log(`| engine | window, vsync off | window, vsync on (fifo) | offscreen canvas |`);
  console.log(`|---|---|---|---|`);
  for (const engine of engines) {
    const env = { WGPU_ENGINE: engine, DISPLAY: display.name };
    const cube = ["examples/cube.ts", "--window", "--fps", "--close"];
    const off = windowFps(run([...cube, "--no-vsync", "--frames", String(frames)], env));
    const on = windowFps(run([...cube, "--frames", "240"], env));
    const offscreen = JSON.parse(run(["--input-type=module", "-e", offscreenScript], env).trim().split("\n").pop()!).fps;
    console.log(`| ${engine} | ${off.toFixed(1)} | ${on.toFixed(1)} | ${offscreen.toFixed(1)} |`);
  }
} finally {
  display.stop();
}
