// What the render examples share in a desktop window (`--window`): a device, a window canvas and a
// requestAnimationFrame loop. Flags: --size WxH (800x600), --no-vsync, --fps (frames per second,
// printed each second), --frames N (stop drawing after N frames; the window stays until closed),
// --close (close the window after the last frame).
import type { Frame } from "./offscreen.ts";

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : (process.argv[i + 1] ?? "");
}

/** True when the example was asked to run in a window. */
export const inWindow = process.argv.includes("--window");

/** Opens a window and draws `draw` (made once, for the device and the canvas's format) each frame. */
export async function showInWindow(title: string, make: (device: GPUDevice, format: GPUTextureFormat) => (frame: Frame) => void): Promise<void> {
  const { gpu, createWindow, installGlobals } = await import("wgpu-ts");
  installGlobals();
  const [width, height] = (flag("--size") ?? "800x600").split("x").map(Number);
  const frames = flag("--frames") === undefined ? Infinity : Number(flag("--frames"));
  const fps = process.argv.includes("--fps");
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new Error("no WebGPU adapter");
  const device = await adapter.requestDevice();
  const canvas = createWindow({ width, height, title, vsync: !process.argv.includes("--no-vsync") });
  const context = canvas.getContext("webgpu");
  const format = gpu.getPreferredCanvasFormat();
  context.configure({ device, format });
  const draw = make(device, format);
  canvas.addEventListener("keydown", (e) => {
    if ((e as KeyboardEvent).key === "Escape") canvas.close();
  });
  let index = 0;
  let since = performance.now();
  let counted = 0;
  const frame = () => {
    draw({ device, view: context.getCurrentTexture().createView(), format, width: canvas.width, height: canvas.height, index });
    if (index === 0) setImmediate(() => console.log(`window: ${canvas.width}x${canvas.height} (${adapter.summary}), present mode ${canvas.presentMode}`));
    index++;
    counted++;
    const now = performance.now();
    if (fps && (now - since >= 1000 || index === frames)) {
      console.log(`fps: ${((counted * 1000) / (now - since)).toFixed(1)} (${canvas.width}x${canvas.height}, ${canvas.presentMode})`);
      since = now;
      counted = 0;
    }
    if (index < frames) canvas.requestAnimationFrame(frame);
    else if (process.argv.includes("--close")) setImmediate(() => canvas.close());
  };
  canvas.requestAnimationFrame(frame);
}
