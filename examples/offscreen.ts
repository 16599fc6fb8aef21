// What the render examples share: a device and a 128x128 offscreen canvas; each frame is drawn,
// presented, and saved as a PNG (by default in examples/output/, which git ignores).
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Where an example saves `name` unless told otherwise: examples/output/. */
export function outputPath(name: string): string {
  return join(dirname(fileURLToPath(import.meta.url)), "output", name);
}

export interface Frame {
  device: GPUDevice;
  view: GPUTextureView;
  format: GPUTextureFormat;
  width: number;
  height: number;
  index: number;
}

/** Draws `frames` frames with `draw` and saves each one (out, or out-<i>.png for several). */
export async function drawToPng(out: string, draw: (frame: Frame) => void, frames = 1): Promise<void> {
  const { gpu, createCanvas, installGlobals } = await import("wgpu-ts");
  installGlobals();
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new Error("no WebGPU adapter");
  const device = await adapter.requestDevice();
  const canvas = createCanvas(128, 128);
  const context = canvas.getContext("webgpu");
  context.configure({ device, format: "rgba8unorm" });
  for (let index = 0; index < frames; index++) {
    draw({ device, view: context.getCurrentTexture().createView(), format: "rgba8unorm", width: canvas.width, height: canvas.height, index });
    context.present();
    const path = frames === 1 ? out : out.replace(/\.png$/, `-${index}.png`);
    mkdirSync(dirname(path), { recursive: true });
    canvas.savePng(path);
    console.log(`wrote ${path} (${adapter.summary})`);
  }
}
