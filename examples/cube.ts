// A textured rotating cube with a depth buffer and 4x MSAA resolved into the canvas, saved as PNGs.
// Run: npx tsx examples/cube.ts [out.png (default: examples/output/cube.png)] [frames],
// or in a window: npx tsx examples/cube.ts --window [--fps] [--no-vsync]
// The scene function takes any WebGPU device (the pixel tests call it with theirs).
import { pathToFileURL } from "node:url";
import { drawToPng, outputPath, type Frame } from "./offscreen.ts";
import { inWindow, showInWindow } from "./window.ts";

const shader = /* wgsl */ `
@group(0) @binding(0) var<uniform> mvp: mat4x4f;
@group(0) @binding(1) var tex: texture_2d<f32>;
@group(0) @binding(2) var samp: sampler;
struct Out { @builtin(position) position: vec4f, @location(0) uv: vec2f, @location(1) shade: f32 }
@vertex fn vs(@location(0) position: vec3f, @location(1) uv: vec2f, @location(2) shade: f32) -> Out {
  return Out(mvp * vec4f(position, 1), uv, shade);
}
@fragment fn fs(in: Out) -> @location(0) vec4f {
  return vec4f(textureSample(tex, samp, in.uv).rgb * in.shade, 1);
}
`;

type Mat4 = Float32Array<ArrayBuffer>;

/** Column-major 4x4 product a * b. */
function mul(a: Mat4, b: Mat4): Mat4 {
  const out = new Float32Array(16);
  for (let c = 0; c < 4; c++) for (let r = 0; r < 4; r++) for (let k = 0; k < 4; k++) out[c * 4 + r] += a[k * 4 + r] * b[c * 4 + k];
  return out;
}

/** Perspective projection onto WebGPU's clip space (depth 0..1). */
function perspective(fovy: number, aspect: number, near: number, far: number): Mat4 {
  const f = 1 / Math.tan(fovy / 2);
  const nf = 1 / (near - far);
  return new Float32Array([f / aspect, 0, 0, 0, 0, f, 0, 0, 0, 0, far * nf, -1, 0, 0, far * near * nf, 0]);
}

function rotation(axis: "x" | "y", angle: number): Mat4 {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return axis === "x"
    ? new Float32Array([1, 0, 0, 0, 0, c, s, 0, 0, -s, c, 0, 0, 0, 0, 1])
    : new Float32Array([c, 0, -s, 0, 0, 1, 0, 0, s, 0, c, 0, 0, 0, 0, 1]);
}

const translation = (z: number): Mat4 => new Float32Array([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, z, 1]);

/** 24 vertices (position, uv, shade: 6 floats) and 36 indices; faces wind counter-clockwise seen from outside. */
function cubeGeometry(): { vertices: Float32Array<ArrayBuffer>; indices: Uint16Array<ArrayBuffer> } {
  // Per face: normal n, and axes u, v with u x v = n.
  const faces: [number[], number[], number[], number][] = [
    [[1, 0, 0], [0, 0, -1], [0, 1, 0], 1.0],
    [[-1, 0, 0], [0, 0, 1], [0, 1, 0], 0.75],
    [[0, 1, 0], [1, 0, 0], [0, 0, -1], 0.9],
    [[0, -1, 0], [1, 0, 0], [0, 0, 1], 0.6],
    [[0, 0, 1], [1, 0, 0], [0, 1, 0], 0.95],
    [[0, 0, -1], [-1, 0, 0], [0, 1, 0], 0.7],
  ];
  const vertices: number[] = [];
  const indices: number[] = [];
  faces.forEach(([n, u, v, shade], face) => {
    for (const [su, sv] of [
      [-1, -1],
      [1, -1],
      [1, 1],
      [-1, 1],
    ]) {
      const p = [0, 1, 2].map((i) => 0.5 * (n[i] + su * u[i] + sv * v[i]));
      vertices.push(...p, (su + 1) / 2, (1 - sv) / 2, shade);
    }
    indices.push(...[0, 1, 2, 0, 2, 3].map((i) => face * 4 + i));
  });
  return { vertices: new Float32Array(vertices), indices: new Uint16Array(indices) };
}

/** An 8x8 orange and white checkerboard, as rgba8unorm texels. */
function checkerboard(): Uint8Array<ArrayBuffer> {
  const texels = new Uint8Array(8 * 8 * 4);
  for (let i = 0; i < 64; i++) texels.set(((i % 8) + (i >> 3)) & 1 ? [255, 140, 0, 255] : [240, 240, 240, 255], i * 4);
  return texels;
}

/** The cube's buffers, texture and pipeline, made once; the function it returns draws the cube turned by `angle` radians into `view` (a single-sampled texture of `format`, width x height). */
export function makeCube(device: GPUDevice, format: GPUTextureFormat): (view: GPUTextureView, width: number, height: number, angle: number) => void {
  const { vertices, indices } = cubeGeometry();
  const vertexBuffer = device.createBuffer({ size: vertices.byteLength, usage: GPUBufferUsage.VERTEX | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(vertexBuffer, 0, vertices);
  const indexBuffer = device.createBuffer({ size: indices.byteLength, usage: GPUBufferUsage.INDEX | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(indexBuffer, 0, indices);
  const uniforms = device.createBuffer({ size: 64, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  const texture = device.createTexture({ size: [8, 8], format: "rgba8unorm", usage: GPUTextureUsage.TEXTURE_BINDING | GPUTextureUsage.COPY_DST });
  device.queue.writeTexture({ texture }, checkerboard(), { bytesPerRow: 32 }, [8, 8]);
  const sampler = device.createSampler({ magFilter: "nearest", minFilter: "nearest" });

  const module = device.createShaderModule({ code: shader });
  const pipeline = device.createRenderPipeline({
    layout: "auto",
    vertex: {
      module,
      buffers: [
        {
          arrayStride: 24,
          attributes: [
            { format: "float32x3", offset: 0, shaderLocation: 0 },
            { format: "float32x2", offset: 12, shaderLocation: 1 },
            { format: "float32", offset: 20, shaderLocation: 2 },
          ],
        },
      ],
    },
    fragment: { module, targets: [{ format }] },
    primitive: { topology: "triangle-list", cullMode: "back" },
    depthStencil: { format: "depth24plus", depthWriteEnabled: true, depthCompare: "less" },
    multisample: { count: 4 },
  });
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [
      { binding: 0, resource: { buffer: uniforms } },
      { binding: 1, resource: texture.createView() },
      { binding: 2, resource: sampler },
    ],
  });
  // The multisampled color and depth targets follow the canvas's size.
  let targets: { width: number; height: number; msaa: GPUTexture; depth: GPUTexture } | null = null;

  return (view, width, height, angle) => {
    if (!targets || targets.width !== width || targets.height !== height) {
      targets?.msaa.destroy();
      targets?.depth.destroy();
      targets = {
        width,
        height,
        msaa: device.createTexture({ size: [width, height], format, sampleCount: 4, usage: GPUTextureUsage.RENDER_ATTACHMENT }),
        depth: device.createTexture({ size: [width, height], format: "depth24plus", sampleCount: 4, usage: GPUTextureUsage.RENDER_ATTACHMENT }),
      };
    }
    const mvp = mul(perspective(Math.PI / 3, width / height, 0.1, 10), mul(translation(-2.4), mul(rotation("x", angle * 0.7), rotation("y", angle))));
    device.queue.writeBuffer(uniforms, 0, mvp);
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginRenderPass({
      colorAttachments: [{ view: targets.msaa.createView(), resolveTarget: view, loadOp: "clear", storeOp: "discard", clearValue: [0.1, 0.12, 0.15, 1] }],
      depthStencilAttachment: { view: targets.depth.createView(), depthLoadOp: "clear", depthStoreOp: "discard", depthClearValue: 1 },
    });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.setVertexBuffer(0, vertexBuffer);
    pass.setIndexBuffer(indexBuffer, "uint16");
    pass.drawIndexed(indices.length);
    pass.end();
    device.queue.submit([encoder.finish()]);
  };
}

/** Draws the cube turned by `angle` radians into `view` once. */
export function drawCube(device: GPUDevice, view: GPUTextureView, format: GPUTextureFormat, width: number, height: number, angle: number): void {
  makeCube(device, format)(view, width, height, angle);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href && inWindow) {
  // The first frame is the saved picture's (angle 0.6); then about 1.2 radians a second at 60 frames/s.
  await showInWindow("wgpu-ts cube", (device, format) => {
    const cube = makeCube(device, format);
    return ({ view, width, height, index }) => cube(view, width, height, 0.6 + index * 0.02);
  });
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const draw = ({ device, view, format, width, height, index }: Frame) => drawCube(device, view, format, width, height, 0.6 + index * 0.15);
  await drawToPng(process.argv[2] ?? outputPath("cube.png"), draw, Number(process.argv[3] ?? 1));
}
