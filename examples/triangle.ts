// A triangle with a color per corner, drawn on an offscreen canvas and saved as a PNG.
// Run: npx tsx examples/triangle.ts [out.png (default: examples/output/triangle.png)]
// The scene function takes any WebGPU device (the pixel tests call it with theirs).
import { pathToFileURL } from "node:url";
import { drawToPng, outputPath } from "./offscreen.ts";

const shader = /* wgsl */ `
struct Out { @builtin(position) position: vec4f, @location(0) color: vec4f }
@vertex fn vs(@location(0) position: vec2f, @location(1) color: vec4f) -> Out {
  return Out(vec4f(position, 0, 1), color);
}
@fragment fn fs(in: Out) -> @location(0) vec4f { return in.color; }
`;

/** The triangle's buffers and pipeline, made once; the function it returns draws into `view` (cleared to dark blue first). */
export function makeTriangle(device: GPUDevice, format: GPUTextureFormat): (view: GPUTextureView) => void {
  // Per vertex: x, y as float32x2, then r, g, b, a as unorm8x4 (12 bytes).
  const data = new ArrayBuffer(3 * 12);
  const f = new Float32Array(data);
  const u = new Uint8Array(data);
  const corners: [number, number, number[]][] = [
    [0, 0.8, [255, 0, 0, 255]],
    [-0.8, -0.7, [0, 255, 0, 255]],
    [0.8, -0.7, [0, 0, 255, 255]],
  ];
  corners.forEach(([x, y, rgba], i) => {
    f.set([x, y], i * 3);
    u.set(rgba, i * 12 + 8);
  });
  const vertices = device.createBuffer({ size: data.byteLength, usage: GPUBufferUsage.VERTEX | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(vertices, 0, data);
  const module = device.createShaderModule({ code: shader });
  const pipeline = device.createRenderPipeline({
    layout: "auto",
    vertex: {
      module,
      buffers: [
        {
          arrayStride: 12,
          attributes: [
            { format: "float32x2", offset: 0, shaderLocation: 0 },
            { format: "unorm8x4", offset: 8, shaderLocation: 1 },
          ],
        },
      ],
    },
    fragment: { module, targets: [{ format }] },
  });
  return (view) => {
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginRenderPass({ colorAttachments: [{ view, loadOp: "clear", storeOp: "store", clearValue: { r: 0.05, g: 0.05, b: 0.2, a: 1 } }] });
    pass.setPipeline(pipeline);
    pass.setVertexBuffer(0, vertices);
    pass.draw(3);
    pass.end();
    device.queue.submit([encoder.finish()]);
  };
}

/** Draws the triangle into `view` once. */
export function drawTriangle(device: GPUDevice, view: GPUTextureView, format: GPUTextureFormat): void {
  makeTriangle(device, format)(view);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await drawToPng(process.argv[2] ?? outputPath("triangle.png"), ({ device, view, format }) => drawTriangle(device, view, format));
}
