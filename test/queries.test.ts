// Occlusion and timestamp queries: counts of visible samples for known geometry, monotonic timestamps.
import { test } from "node:test";
import assert from "node:assert/strict";
import { GPUBufferUsage, GPUQuerySet, GPUTextureUsage, GPUValidationError, type GPUDevice } from "../src/index.ts";
import { freshAdapter, testAdapter, testDevice, validationErrorOf } from "./helpers/gpu.ts";

/** Resolves `count` queries and reads them back as 64-bit integers. */
function resolve(device: GPUDevice, querySet: GPUQuerySet, count: number, encoder = device.createCommandEncoder()): bigint[] {
  const resolved = device.createBuffer({ size: 8 * count, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
  encoder.resolveQuerySet(querySet, 0, count, resolved, 0);
  device.queue.submit([encoder.finish()]);
  return [...new BigUint64Array(device.queue.readBufferSync(resolved))];
}

test("occlusion queries count the samples that pass the depth test (1 and 4 samples per pixel)", () => {
  const device = testDevice();
  const module = device.createShaderModule({
    code: `@vertex fn vs(@builtin(vertex_index) i: u32) -> @builtin(position) vec4f {
        var p = array(vec2f(-1, -1), vec2f(3, -1), vec2f(-1, 3));
        return vec4f(p[i], 0.5, 1);
      }
      @fragment fn fs() -> @location(0) vec4f { return vec4f(1); }`,
  });
  for (const sampleCount of [1, 4]) {
    const pipeline = device.createRenderPipeline({
      layout: "auto",
      vertex: { module },
      fragment: { module, targets: [{ format: "rgba8unorm" }] },
      depthStencil: { format: "depth24plus", depthWriteEnabled: false, depthCompare: "less" },
      multisample: { count: sampleCount },
    });
    const color = device.createTexture({ size: [16, 16], format: "rgba8unorm", sampleCount, usage: GPUTextureUsage.RENDER_ATTACHMENT });
    const depth = device.createTexture({ size: [16, 16], format: "depth24plus", sampleCount, usage: GPUTextureUsage.RENDER_ATTACHMENT });
    const querySet = device.createQuerySet({ type: "occlusion", count: 4 });
    assert.equal(querySet.type, "occlusion");
    assert.equal(querySet.count, 4);
    const encoder = device.createCommandEncoder();
    const drawPass = (depthClearValue: number, draw: (p: GPURenderPassEncoder) => void) => {
      const pass = encoder.beginRenderPass({
        colorAttachments: [{ view: color.createView(), loadOp: "clear", storeOp: "discard" }],
        depthStencilAttachment: { view: depth.createView(), depthClearValue, depthLoadOp: "clear", depthStoreOp: "discard" },
        occlusionQuerySet: querySet,
      });
      pass.setPipeline(pipeline);
      draw(pass);
      pass.end();
    };
    // Query 0: a 5x4 viewport, all in front (depth cleared to 1). Query 1: all behind (depth 0).
    // Query 2: the whole 16x16 target. Query 3: no draw.
    drawPass(1, (p) => {
      p.setViewport(2, 3, 5, 4, 0, 1);
      p.beginOcclusionQuery(0);
      p.draw(3);
      p.endOcclusionQuery();
      p.setViewport(0, 0, 16, 16, 0, 1);
      p.beginOcclusionQuery(2);
      p.draw(3);
      p.endOcclusionQuery();
      p.beginOcclusionQuery(3);
      p.endOcclusionQuery();
    });
    drawPass(0, (p) => {
      p.beginOcclusionQuery(1);
      p.draw(3);
      p.endOcclusionQuery();
    });
    assert.deepEqual(
      resolve(device, querySet, 4, encoder),
      [20n, 0n, 256n, 0n].map((n) => n * BigInt(sampleCount)),
      `${sampleCount} sample(s) per pixel`,
    );
  }
});

test("a timestamp query set on a device without timestamp-query is a TypeError", () => {
  assert.throws(() => testDevice().createQuerySet({ type: "timestamp", count: 2 }), { name: "TypeError", message: /timestamp-query/ });
});

test("timestamps written by render and compute passes increase monotonically", (t) => {
  if (!testAdapter().features.has("timestamp-query")) return t.skip("the adapter has no timestamp-query feature");
  const device = freshAdapter().requestDeviceSync({ requiredFeatures: ["timestamp-query"] });
  const querySet = device.createQuerySet({ type: "timestamp", count: 4 });
  assert.equal(querySet.type, "timestamp");
  const target = device.createTexture({ size: [64, 64], format: "rgba8unorm", usage: GPUTextureUsage.RENDER_ATTACHMENT });
  const encoder = device.createCommandEncoder();
  encoder
    .beginRenderPass({
      colorAttachments: [{ view: target.createView(), loadOp: "clear", storeOp: "store" }],
      timestampWrites: { querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 },
    })
    .end();
  encoder.beginComputePass({ timestampWrites: { querySet, beginningOfPassWriteIndex: 2, endOfPassWriteIndex: 3 } }).end();
  const stamps = resolve(device, querySet, 4, encoder);
  for (let i = 1; i < 4; i++) assert.ok(stamps[i] >= stamps[i - 1], `timestamps ${stamps} are monotonic`);
  assert.ok(stamps[3] > 0n, "timestamps are set");
  device.destroy();
});

test("query set validation: count, index ranges, types, destroyed sets", async () => {
  const device = testDevice();
  assert.ok((await validationErrorOf(device, () => device.createQuerySet({ type: "occlusion", count: 5000 }))) instanceof GPUValidationError);
  assert.throws(() => device.createQuerySet({ type: "pipeline-statistics" as GPUQueryType, count: 1 }), TypeError);
  const querySet = device.createQuerySet({ type: "occlusion", count: 2 });
  const resolved = device.createBuffer({ size: 256, usage: GPUBufferUsage.QUERY_RESOLVE });
  const encodeResolve = (first: number, count: number, offset: number) => () => {
    const e = device.createCommandEncoder();
    e.resolveQuerySet(querySet, first, count, resolved, offset);
    e.finish();
  };
  assert.ok(await validationErrorOf(device, encodeResolve(1, 2, 0)), "past the end of the set");
  assert.ok(await validationErrorOf(device, encodeResolve(0, 2, 8)), "offset not a multiple of 256");
  assert.equal(await validationErrorOf(device, encodeResolve(0, 2, 0)), null);
  querySet.destroy();
  querySet.destroy(); // twice is fine
  assert.match(
    (
      await validationErrorOf(device, () => {
        const e = device.createCommandEncoder();
        e.resolveQuerySet(querySet, 0, 2, resolved, 0);
        device.queue.submit([e.finish()]);
      })
    )?.message ?? "",
    /destroyed/,
  );
});
