// wgpu-ts shadertoy: a Shadertoy-style fragment shader rendered to PNG frames or in a window. The shader defines
// `fn shader_main(frag_coord: vec2f) -> vec4f` and reads i_resolution, i_time, i_time_delta,
// i_frame and i_mouse, as wgpu-py's shadertoy utility (wgpu-shadertoy) has them; frag_coord's
// origin is the bottom-left pixel, as on shadertoy.com.
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { GPUBufferUsage } from "../../api/constants.ts";
import { gpu } from "../../backend.ts";
import { createCanvas } from "../../canvas/offscreen.ts";
import { createWindow } from "../../canvas/window.ts";
import { UsageError, integers, type Command } from "../args.ts";
import { compileFile, strictDevice } from "../device.ts";
import { Progress } from "../progress.ts";

// After the user's code, so that its line numbers are the file's.
const prelude = /* wgsl */ `
struct ShadertoyInput {
  mouse: vec4f,
  resolution: vec3f,
  time: f32,
  time_delta: f32,
  frame: u32,
}
@group(0) @binding(0) var<uniform> shadertoy_input: ShadertoyInput;
var<private> i_mouse: vec4f;
var<private> i_resolution: vec3f;
var<private> i_time: f32;
var<private> i_time_delta: f32;
var<private> i_frame: u32;

@vertex fn shadertoy_vertex(@builtin(vertex_index) index: u32) -> @builtin(position) vec4f {
  // One triangle that covers the viewport.
  let uv = vec2f(f32((index << 1u) & 2u), f32(index & 2u));
  return vec4f(uv * 2.0 - 1.0, 0.0, 1.0);
}

@fragment fn shadertoy_fragment(@builtin(position) position: vec4f) -> @location(0) vec4f {
  i_mouse = shadertoy_input.mouse;
  i_resolution = shadertoy_input.resolution;
  i_time = shadertoy_input.time;
  i_time_delta = shadertoy_input.time_delta;
  i_frame = shadertoy_input.frame;
  return shader_main(vec2f(position.x, i_resolution.y - position.y));
}
`;

/** The uniforms' layout (WGSL alignment): mouse 0..16, resolution 16..28, time 28, time_delta 32, frame 36; 48 bytes. */
function writeInputs(data: ArrayBuffer, u: { mouse: number[]; width: number; height: number; time: number; timeDelta: number; frame: number }): void {
  const f = new Float32Array(data);
  f.set(u.mouse, 0);
  f.set([u.width, u.height, 1, u.time, u.timeDelta], 4);
  new Uint32Array(data)[9] = u.frame;
}

/** The path of frame `i` of `count`: `out` itself for one frame, else out-0000.png, out-0001.png, ... */
export function framePath(out: string, i: number, count: number): string {
  if (count === 1) return out;
  const ext = extname(out) || ".png";
  return `${out.slice(0, out.length - extname(out).length)}-${String(i).padStart(Math.max(4, String(count - 1).length), "0")}${ext}`;
}

export const shadertoy: Command = {
  name: "shadertoy",
  usage: "FILE.wgsl [options]",
  summary: "render a Shadertoy-style fragment shader to PNG frames or in a window",
  details: `The shader defines fn shader_main(frag_coord: vec2f) -> vec4f (frag_coord in pixels, origin at the
bottom left) and may read i_resolution (vec3f), i_time, i_time_delta (f32), i_frame (u32), i_mouse (vec4f).
Frame N is drawn at time --time + N / --fps. With several frames, --out frame.png writes frame-0000.png, ...
With --window the frames are drawn in a window at its rate, i_time is the time since the start (plus
--time) and i_mouse follows Shadertoy: xy where the pointer is while a button is down, zw where it was
pressed (negative once released); --frames N closes the window after N frames; Escape closes it.`,
  options: {
    size: { type: "string", short: "s", value: "WxH", help: "frame size in pixels (default: 640x360)" },
    frames: { type: "string", short: "n", value: "N", help: "frames to render (default: 1)" },
    out: { type: "string", short: "o", value: "FILE.png", help: "where to write the frame(s) (default: frame.png)" },
    time: { type: "string", value: "SECONDS", help: "i_time of the first frame (default: 0)" },
    fps: { type: "string", value: "N", help: "frames per second of shader time (default: 60)" },
    mouse: { type: "string", value: "X,Y[,Z,W]", help: "i_mouse, in pixels (default: 0,0,0,0)" },
    window: { type: "boolean", help: "show the frames in a window instead of writing PNGs" },
  },
  positionals: { min: 1, max: 1 },
  run(values, [file]) {
    const [width, height] = integers("size", (values.size as string | undefined) ?? "640x360", /x/, [2, 2]);
    const frames = integers("frames", (values.frames as string | undefined) ?? "1", /,/, [1, 1])[0];
    const fps = Number(values.fps ?? 60);
    const start = Number(values.time ?? 0);
    if (!(fps > 0)) throw new UsageError(`--fps (${String(values.fps)}) must be a positive number`);
    if (!Number.isFinite(start)) throw new UsageError(`--time (${String(values.time)}) must be a number`);
    const mouse = values.mouse === undefined ? [0, 0, 0, 0] : (values.mouse as string).split(",").map(Number);
    if (mouse.length < 2 || mouse.length > 4 || mouse.some((v) => !Number.isFinite(v)))
      throw new UsageError(`--mouse (${String(values.mouse)}) must be 2 to 4 numbers separated by ","`);
    while (mouse.length < 4) mouse.push(0);
    const out = (values.out as string | undefined) ?? "frame.png";

    const userCode = readFileSync(file, "utf8");
    const device = strictDevice();
    const module = compileFile(device, file, userCode, `${userCode}\n${prelude}`);
    if (values.window) {
      const count = values.frames === undefined ? Infinity : frames;
      return showInWindow(device, module, { file, width, height, frames: count, start, mouse });
    }
    const canvas = createCanvas(width, height);
    const context = canvas.getContext("webgpu");
    const draw = shadertoyRenderer(device, module, context, "rgba8unorm", file);
    const progress = frames > 1 ? new Progress("shadertoy: frames rendered", frames) : null;
    for (let frame = 0; frame < frames; frame++) {
      draw({ mouse, width, height, time: start + frame / fps, timeDelta: 1 / fps, frame });
      context.present();
      canvas.savePng(framePath(out, frame, frames));
      progress?.step();
    }
    const written = frames === 1 ? out : `${framePath(out, 0, frames)} ... ${framePath(out, frames - 1, frames)}`;
    console.error(`wrote ${written} (${frames} frame${frames === 1 ? "" : "s"}, ${width}x${height})`);
    draw.dispose();
    return 0;
  },
};

type Inputs = Parameters<typeof writeInputs>[1];

/** The pipeline, uniforms and bind group for `module`, drawing one frame into `context` per call. */
function shadertoyRenderer(device: GPUDevice, module: GPUShaderModule, context: GPUCanvasContext, format: GPUTextureFormat, file: string) {
  context.configure({ device, format, alphaMode: "opaque" });
  const pipeline = device.createRenderPipeline({
    label: `shadertoy ${file}`,
    layout: "auto",
    vertex: { module, entryPoint: "shadertoy_vertex" },
    fragment: { module, entryPoint: "shadertoy_fragment", targets: [{ format }] },
  });
  const uniforms = device.createBuffer({ label: "shadertoy inputs", size: 48, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  const bindGroup = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: uniforms } }] });
  const data = new ArrayBuffer(48);
  const draw = (inputs: Inputs) => {
    writeInputs(data, inputs);
    device.queue.writeBuffer(uniforms, 0, data);
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginRenderPass({
      colorAttachments: [{ view: context.getCurrentTexture().createView(), loadOp: "clear", storeOp: "store", clearValue: [0, 0, 0, 1] }],
    });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.draw(3);
    pass.end();
    device.queue.submit([encoder.finish()]);
  };
  return Object.assign(draw, { dispose: () => uniforms.destroy() });
}

/** Draws in a window until it is closed (or `frames` were drawn); resolves with the exit status. */
function showInWindow(
  device: GPUDevice,
  module: GPUShaderModule,
  o: { file: string; width: number; height: number; frames: number; start: number; mouse: number[] },
): Promise<number> {
  const canvas = createWindow({ width: o.width, height: o.height, title: `wgpu-ts shadertoy: ${o.file}` });
  const draw = shadertoyRenderer(device, module, canvas.getContext("webgpu"), gpu.getPreferredCanvasFormat(), o.file);
  // Shadertoy's i_mouse, in framebuffer pixels from the bottom left.
  const mouse = [...o.mouse];
  let down = false;
  const at = (e: Event) => {
    const p = e as PointerEvent;
    const scale = canvas.width / canvas.clientWidth;
    return [p.offsetX * scale, canvas.height - p.offsetY * scale];
  };
  canvas.addEventListener("pointerdown", (e) => {
    down = true;
    const [x, y] = at(e);
    mouse.splice(0, 4, x, y, x, y);
  });
  canvas.addEventListener("pointermove", (e) => {
    if (down) mouse.splice(0, 2, ...at(e));
  });
  canvas.addEventListener("pointerup", () => {
    down = false;
    mouse.splice(2, 2, -Math.abs(mouse[2]), -Math.abs(mouse[3]));
  });
  let done = false;
  let finish = () => {};
  const finished = new Promise<number>((resolve) => {
    finish = () => {
      if (done) return;
      done = true;
      canvas.close();
      console.error(`shadertoy: ${frame} frame${frame === 1 ? "" : "s"} in a window (${canvas.width}x${canvas.height})`);
      draw.dispose();
      resolve(0);
    };
  });
  canvas.addEventListener("close", () => setImmediate(finish));
  canvas.addEventListener("keydown", (e) => {
    if ((e as KeyboardEvent).key === "Escape") finish();
  });
  const t0 = performance.now();
  let last = t0;
  let frame = 0;
  const tick = (now: number) => {
    draw({ mouse, width: canvas.width, height: canvas.height, time: o.start + (now - t0) / 1000, timeDelta: (now - last) / 1000, frame });
    last = now;
    if (++frame < o.frames) canvas.requestAnimationFrame(tick);
    else setImmediate(finish);
  };
  canvas.requestAnimationFrame(tick);
  return finished;
}
