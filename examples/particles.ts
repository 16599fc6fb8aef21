// An instanced particle scene: one quad drawn 300 times, each instance with its own position,
// size and color from an instance-step vertex buffer, glowing with additive blending. Saved as a PNG.
// Run: npx tsx examples/particles.ts [out.png (default: examples/output/particles.png)],
// or in a window (the spiral turning): npx tsx examples/particles.ts --window
// The scene function takes any WebGPU device (the pixel tests call it with theirs).
import { pathToFileURL } from "node:url";
import { drawToPng, outputPath } from "./offscreen.ts";
import { inWindow, showInWindow } from "./window.ts";

const shader = /* wgsl */ `
// turn.xy: cos and sin of the spiral's angle (1, 0: as in the saved picture).
@group(0) @binding(0) var<uniform> turn: vec4f;
struct Out { @builtin(position) position: vec4f, @location(0) uv: vec2f, @location(1) color: vec4f }
@vertex fn vs(@location(0) corner: vec2f, @location(1) center: vec2f, @location(2) size: f32, @location(3) color: vec4f) -> Out {
  let c = vec2f(center.x * turn.x - center.y * turn.y, center.x * turn.y + center.y * turn.x);
  return Out(vec4f(c + corner * size, 0, 1), corner, color);
}
@fragment fn fs(in: Out) -> @location(0) vec4f {
  let glow = max(0.0, 1.0 - dot(in.uv, in.uv));
  return vec4f(in.color.rgb, in.color.a * glow * glow);
}
`;

export const PARTICLE_COUNT = 300;

/** Deterministic particles (a fixed-seed generator): center x, y and size as float32, color as unorm8x4: 16 bytes each. */
function particles(): ArrayBuffer {
  const data = new ArrayBuffer(PARTICLE_COUNT * 16);
  const f = new Float32Array(data);
  const u = new Uint8Array(data);
  let seed = 12345;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  for (let i = 0; i < PARTICLE_COUNT; i++) {
    // A spiral galaxy of sparks: radius grows with the index, hue with the angle.
    const t = i / PARTICLE_COUNT;
    const angle = t * 4 * Math.PI + random() * 0.6;
    const radius = 0.08 + 0.8 * t;
    f.set([Math.cos(angle) * radius, Math.sin(angle) * radius, 0.03 + 0.07 * random()], i * 4);
    u.set([255, Math.round(80 + 175 * t), Math.round(255 * (1 - t)), 200], i * 16 + 12);
  }
  return data;
}

/** The particles' buffers and pipeline, made once; the function it returns draws them into `view` (cleared to black first), the spiral turned by `angle` radians. */
export function makeParticles(device: GPUDevice, format: GPUTextureFormat): (view: GPUTextureView, angle?: number) => void {
  const corners = device.createBuffer({ size: 32, usage: GPUBufferUsage.VERTEX | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(corners, 0, new Float32Array([-1, -1, 1, -1, -1, 1, 1, 1]));
  const instances = device.createBuffer({ size: PARTICLE_COUNT * 16, usage: GPUBufferUsage.VERTEX | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(instances, 0, particles());
  const module = device.createShaderModule({ code: shader });
  const pipeline = device.createRenderPipeline({
    layout: "auto",
    vertex: {
      module,
      buffers: [
        { arrayStride: 8, stepMode: "vertex", attributes: [{ format: "float32x2", offset: 0, shaderLocation: 0 }] },
        {
          arrayStride: 16,
          stepMode: "instance",
          attributes: [
            { format: "float32x2", offset: 0, shaderLocation: 1 },
            { format: "float32", offset: 8, shaderLocation: 2 },
            { format: "unorm8x4", offset: 12, shaderLocation: 3 },
          ],
        },
      ],
    },
    fragment: {
      module,
      targets: [{ format, blend: { color: { srcFactor: "src-alpha", dstFactor: "one", operation: "add" }, alpha: { srcFactor: "zero", dstFactor: "one" } } }],
    },
    primitive: { topology: "triangle-strip" },
  });
  const turn = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  const bindGroup = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: turn } }] });
  return (view, angle = 0) => {
    device.queue.writeBuffer(turn, 0, new Float32Array([Math.cos(angle), Math.sin(angle), 0, 0]));
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginRenderPass({ colorAttachments: [{ view, loadOp: "clear", storeOp: "store", clearValue: [0, 0, 0, 1] }] });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.setVertexBuffer(0, corners);
    pass.setVertexBuffer(1, instances);
    pass.draw(4, PARTICLE_COUNT);
    pass.end();
    device.queue.submit([encoder.finish()]);
  };
}

/** Draws the particles into `view` once. */
export function drawParticles(device: GPUDevice, view: GPUTextureView, format: GPUTextureFormat): void {
  makeParticles(device, format)(view);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href && inWindow) {
  await showInWindow("wgpu-ts particles", (device, format) => {
    const particles = makeParticles(device, format);
    return ({ view, index }) => particles(view, index * 0.01);
  });
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await drawToPng(process.argv[2] ?? outputPath("particles.png"), ({ device, view, format }) => drawParticles(device, view, format));
}
