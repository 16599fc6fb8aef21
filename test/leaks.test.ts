// Leak tests (wgpu-py's tests_mem): for each class, n objects made and released leave no live
// object behind, in our counts or in the engine's; and the harness itself fails when one is kept.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { GPUBufferUsage, GPUShaderStage, GPUTextureUsage, type GPUBuffer } from "../src/index.ts";
import { nativeRuntime } from "../src/native/index.ts";
import { freshAdapter, testDevice } from "./helpers/gpu.ts";
import { clearMemory, createAndRelease, engineHeldCounts, type Counts, type LeakCase } from "./helpers/leaks.ts";
import { engineSkip } from "./helpers/engine.ts";

const device = testDevice();
const code = "@group(0) @binding(0) var<storage, read_write> data: array<u32>; @compute @workgroup_size(1) fn main() { data[0] = 1u; }";
const module = device.createShaderModule({ code });
const layout = device.createBindGroupLayout({ entries: [{ binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: "storage" } }] });
const storage = device.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE });
const pipelineLayout = device.createPipelineLayout({ bindGroupLayouts: [layout] });
const drawing = device.createShaderModule({
  code: "@vertex fn vs() -> @builtin(position) vec4f { return vec4f(0); } @fragment fn fs() -> @location(0) vec4f { return vec4f(1); }",
});
const renderLayout = device.createPipelineLayout({ bindGroupLayouts: [] });
const target = device.createTexture({ size: [4, 4], format: "rgba8unorm", usage: GPUTextureUsage.RENDER_ATTACHMENT });
const targetView = target.createView();
const bundlePipeline = device.createRenderPipeline({
  layout: renderLayout,
  vertex: { module: drawing },
  fragment: { module: drawing, targets: [{ format: "rgba8unorm" }] },
});
const encoderFor = <T>(f: (e: ReturnType<typeof device.createCommandEncoder>) => T): T => {
  const e = device.createCommandEncoder();
  const out = f(e);
  e[Symbol.dispose]();
  return out;
};

/** One line per class: rendering classes add theirs here. */
export const leakCases: LeakCase[] = [
  { kind: "GPUAdapter", create: () => freshAdapter(), sizes: [8, 5] },
  // Each device has an adapter of its own (an adapter gives one device); the adapter goes at once.
  {
    kind: "GPUDevice",
    create: () => {
      const a = freshAdapter();
      const d = a.requestDeviceSync();
      a[Symbol.dispose]();
      return d;
    },
    sizes: [4, 3],
    afterCreate: (n) => ({ GPUDevice: [n, n], GPUQueue: [n, n] }),
  },
  { kind: "GPUBuffer", create: (i) => device.createBuffer({ size: 64 + i * 4, usage: GPUBufferUsage.COPY_DST }) },
  { kind: "GPUBuffer", create: () => device.createBuffer({ size: 64, usage: GPUBufferUsage.MAP_WRITE, mappedAtCreation: true }) },
  { kind: "GPUShaderModule", create: () => device.createShaderModule({ code }) },
  { kind: "GPUBindGroupLayout", create: () => device.createBindGroupLayout({ entries: [{ binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: {} }] }) },
  { kind: "GPUPipelineLayout", create: () => device.createPipelineLayout({ bindGroupLayouts: [layout] }) },
  { kind: "GPUBindGroup", create: () => device.createBindGroup({ layout, entries: [{ binding: 0, resource: { buffer: storage } }] }) },
  { kind: "GPUComputePipeline", create: () => device.createComputePipeline({ layout: pipelineLayout, compute: { module } }) },
  { kind: "GPUCommandEncoder", create: () => device.createCommandEncoder() },
  // wgpu-native 29 never frees a command buffer that was finished but not submitted, released or
  // not (its registry entry and ~100 KiB stay): an engine leak, asserted so that a fixed engine shows.
  {
    kind: "GPUCommandBuffer",
    create: () => encoderFor((e) => e.finish()),
    afterRelease: (n): Counts => (engineLeaksUnsubmitted() ? { GPUCommandBuffer: [0, n] } : {}),
  },
  // submit releases what it submitted at once: nothing is left to count.
  {
    kind: "GPUCommandBuffer",
    create: () =>
      encoderFor((e) => {
        const cb = e.finish();
        device.queue.submit([cb]);
        return cb;
      }),
    afterCreate: (): Counts => ({}),
  },
  {
    kind: "GPUComputePassEncoder",
    create: () =>
      encoderFor((e) => {
        const p = e.beginComputePass();
        p.end();
        return p;
      }),
  },
  // Rendering (issue 3).
  { kind: "GPUTexture", create: (i) => device.createTexture({ size: [4 + i, 4], format: "rgba8unorm", usage: GPUTextureUsage.RENDER_ATTACHMENT }) },
  { kind: "GPUTextureView", create: () => target.createView() },
  { kind: "GPUSampler", create: (i) => device.createSampler({ lodMaxClamp: 1 + i }) },
  {
    kind: "GPURenderPipeline",
    create: () =>
      device.createRenderPipeline({ layout: renderLayout, vertex: { module: drawing }, fragment: { module: drawing, targets: [{ format: "rgba8unorm" }] } }),
  },
  {
    kind: "GPURenderPassEncoder",
    create: () =>
      encoderFor((e) => {
        const p = e.beginRenderPass({ colorAttachments: [{ view: targetView, loadOp: "clear", storeOp: "store" }] });
        p.end();
        return p;
      }),
  },
  { kind: "GPURenderBundleEncoder", create: () => device.createRenderBundleEncoder({ colorFormats: ["rgba8unorm"] }) },
  {
    kind: "GPURenderBundle",
    create: () => {
      const e = device.createRenderBundleEncoder({ colorFormats: ["rgba8unorm"] });
      e.setPipeline(bundlePipeline);
      e.draw(3);
      const b = e.finish();
      e[Symbol.dispose]();
      return b;
    },
  },
  { kind: "GPUQuerySet", create: () => device.createQuerySet({ type: "occlusion", count: 4 }) },
  // Destroyed first: on wgpu-native destroy stays in JS (EngineBehaviour.destroyRemoves), so the release frees it.
  {
    kind: "GPUQuerySet",
    create: () => {
      const q = device.createQuerySet({ type: "occlusion", count: 4 });
      q.destroy();
      return q;
    },
  },
];

function engineLeaksUnsubmitted(): boolean {
  return nativeRuntime().behaviour.keepsUnsubmitted;
}

test("every class made and released by [Symbol.dispose] leaves no live object, ours or the engine's", async () => {
  for (const c of leakCases) await createAndRelease(c, "dispose");
});

test("every class made and dropped is released by the garbage collector, ours and the engine's", async () => {
  for (const c of leakCases) await createAndRelease(c, "drop");
});

test("meta: the harness fails when the objects are kept", async () => {
  const kept: GPUBuffer[] = [];
  await assert.rejects(
    createAndRelease(
      {
        kind: "GPUBuffer",
        create: () => {
          const b = device.createBuffer({ size: 64, usage: GPUBufferUsage.COPY_DST });
          kept.push(b);
          return b;
        },
      },
      "drop",
      [8],
    ),
    (e: unknown) => e instanceof assert.AssertionError && /after releasing 8 \(drop\)/.test(e.message),
  );
  for (const b of kept) b.destroy();
});

test(
  "meta: the harness fails when the native release is skipped (the engine's count stays up)",
  engineSkip("dawn", "Dawn has no wgpuGenerateReport: it reports no object counts of its own"),
  async () => {
    const fns = nativeRuntime().fns as unknown as Record<string, unknown>;
    const release = fns.wgpuBufferRelease;
    fns.wgpuBufferRelease = () => {};
    try {
      await assert.rejects(
        createAndRelease({ kind: "GPUBuffer", create: () => device.createBuffer({ size: 64, usage: GPUBufferUsage.COPY_DST }) }, "dispose", [8]),
        (e: unknown) => {
          assert.ok(e instanceof assert.AssertionError);
          assert.match(e.message, /after releasing 8/);
          assert.deepEqual(e.actual, { GPUBuffer: [0, 8] }, "ours came back, the engine's did not");
          return true;
        },
      );
    } finally {
      fns.wgpuBufferRelease = release;
    }
  },
);

/**
 * RSS may grow this much from the warm-up to the end of the loop: what V8 keeps between the
 * collections that release dropped objects, and the allocator's slack (+4 to +43 MiB seen here;
 * without the fixes it grew +420 MiB).
 */
const RSS_GROWTH_BOUND_MIB = 96;

/** Runs a loop fixture in a child process (with --expose-gc) and gives back its JSON line, logged. */
function loop(fixture: string, args: string[]): Record<string, unknown> & { growthMiB: number; samples: unknown[] } {
  const r = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", fileURLToPath(new URL(`./fixtures/${fixture}`, import.meta.url)), ...args], {
    encoding: "utf8",
    timeout: 600_000,
  });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split("\n").pop()!);
  process.stdout.write(`# ${fixture} ${args.join(" ")}: ${JSON.stringify(out)}\n`);
  return out;
}

/** Finished, never submitted, dropped: RSS is read after a full collection, so the bound is tight. */
const UNSUBMITTED_GROWTH_BOUND_MIB = 32;

test(
  `100k command buffers finished and never submitted keep RSS flat (growth under ${UNSUBMITTED_GROWTH_BOUND_MIB} MiB after warm-up)`,
  engineSkip("wgpu-native", "wgpu-native 29 never frees an unsubmitted command buffer (the next test asserts it)"),
  () => {
    // Dawn's RSS still climbs for some 50k cycles (its allocators filling), then stays flat.
    const out = loop("unsubmitted-loop.ts", [String(Number(process.env.RSS_CYCLES ?? 100_000)), "50000"]);
    assert.ok(out.growthMiB < UNSUBMITTED_GROWTH_BOUND_MIB, `RSS grew ${out.growthMiB} MiB`);
    // The last encoder may still be in the loop's scope.
    const live = out.live as Record<string, number>;
    assert.ok((live.GPUCommandBuffer ?? 0) + (live.GPUCommandEncoder ?? 0) <= 2, `still alive: ${JSON.stringify(live)}`);
  },
);

// The engine's leak, asserted so that an engine that fixes it shows (then keepsUnsubmitted goes,
// and the test above runs there too). Nothing webgpu.h offers frees such a buffer: see
// GPUCommandEncoder.finish.
test(
  "wgpu-native keeps every command buffer finished and not submitted (its engine count and RSS grow with them)",
  engineSkip("dawn", "Dawn frees them"),
  () => {
    const cycles = 4000;
    const out = loop("unsubmitted-loop.ts", [String(cycles), "1000"]);
    assert.equal(nativeRuntime().behaviour.keepsUnsubmitted, true);
    assert.equal(out.engineHeldGrowth, cycles, "the engine holds every one made after the warm-up");
    assert.ok(out.growthMiB > cycles / 32, `RSS grew ${out.growthMiB} MiB: more than 32 KiB each`);
  },
);

test("wgpu-native: neither an empty submit nor a poll frees a released unsubmitted command buffer", engineSkip("dawn", "Dawn frees them"), async () => {
  await clearMemory();
  const before = engineHeldCounts().GPUCommandBuffer;
  for (let i = 0; i < 16; i++) encoderFor((e) => e.finish())[Symbol.dispose]();
  device.queue.submit([]);
  device.queue.onSubmittedWorkDoneSync();
  await clearMemory();
  assert.equal(engineHeldCounts().GPUCommandBuffer - before, 16);
});

test(`100k create/submit/destroy cycles keep RSS flat (growth under ${RSS_GROWTH_BOUND_MIB} MiB after warm-up)`, () => {
  const cycles = Number(process.env.RSS_CYCLES ?? 100_000);
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", fileURLToPath(new URL("./fixtures/rss-loop.ts", import.meta.url)), String(cycles), process.env.RSS_LOOP_FULL ? "full" : "light"],
    { encoding: "utf8", timeout: 600_000 },
  );
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split("\n").pop()!);
  process.stdout.write(
    `# rss loop: ${out.cycles} cycles in ${out.seconds} s, RSS ${out.warmRssMiB} MiB after warm-up -> ${out.endRssMiB} MiB (+${out.growthMiB} MiB); samples ${out.samples.map((s: { rssMiB: number }) => s.rssMiB).join(" ")}\n`,
  );
  assert.ok(out.growthMiB < RSS_GROWTH_BOUND_MIB, `RSS grew ${out.growthMiB} MiB`);
  for (const [kind, n] of Object.entries(out.live as Record<string, number>))
    assert.ok(n <= 20_000, `${n} ${kind} still alive: the garbage collector is not keeping up`);
});

test(
  "a query set whose creation throws in strict mode is released (the engine's count comes back)",
  engineSkip("dawn", "Dawn has no wgpuGenerateReport: it reports no object counts of its own"),
  async () => {
    const strict = freshAdapter().requestDeviceSync({ strict: true } as GPUDeviceDescriptor);
    await clearMemory();
    const before = engineHeldCounts().GPUQuerySet;
    for (let i = 0; i < 8; i++) assert.throws(() => strict.createQuerySet({ type: "occlusion", count: 5000 }), { name: "GPUValidationError" });
    await clearMemory();
    assert.equal(engineHeldCounts().GPUQuerySet - before, 0);
    strict.destroy();
  },
);
