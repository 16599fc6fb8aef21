// A leak-test harness in the manner of wgpu-py's tests_mem: create n objects of one class, check
// that the live counts grew by n (ours, from object.ts, and the engine's own, from
// wgpuGenerateReport), release them, and check that both counts are back where they started.
import assert from "node:assert/strict";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { liveObjectCounts, nativeRuntime } from "../../src/native/index.ts";
import { engineObjectCounts } from "../../src/native/extras/engine.ts";

/** wgpuGenerateReport's hub registries by our class names (wgpu-core counts encoders as command buffers). */
const registryClasses: Record<string, string> = {
  adapters: "GPUAdapter",
  devices: "GPUDevice",
  queues: "GPUQueue",
  pipelineLayouts: "GPUPipelineLayout",
  shaderModules: "GPUShaderModule",
  bindGroupLayouts: "GPUBindGroupLayout",
  bindGroups: "GPUBindGroup",
  commandBuffers: "GPUCommandBuffer",
  renderBundles: "GPURenderBundle",
  renderPipelines: "GPURenderPipeline",
  computePipelines: "GPUComputePipeline",
  querySets: "GPUQuerySet",
  buffers: "GPUBuffer",
  textures: "GPUTexture",
  textureViews: "GPUTextureView",
  samplers: "GPUSampler",
};

/** The objects the engine says wgpu-ts still holds, per class; {} where the engine does not count. */
export function engineHeldCounts(): Record<string, number> {
  const registries = engineObjectCounts() ?? {};
  return Object.fromEntries(
    Object.entries(registryClasses)
      .filter(([r]) => registries[r])
      .map(([r, kind]) => [kind, registries[r].keptFromUser]),
  );
}

/** [ours, engine's] per class; the engine's is -1 for a class it does not count. */
export type Counts = Record<string, [number, number]>;

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Garbage-collects and lets the FinalizationRegistry run, then lets the engine free what the GPU used. */
export async function clearMemory(rounds = 2): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 5));
  }
  const { fns, instance } = nativeRuntime();
  fns.wgpuInstanceProcessEvents(instance);
}

export function getCounts(): Counts {
  const ours = liveObjectCounts();
  const engine = engineHeldCounts();
  const counts: Counts = {};
  for (const kind of new Set([...Object.keys(ours), ...Object.keys(engine)])) counts[kind] = [ours[kind] ?? 0, engine[kind] ?? -1];
  return counts;
}

/** The classes whose counts grew from `a` to `b`, by how much: [ours, engine's]. */
export function excessCounts(a: Counts, b: Counts, ignore: readonly string[] = []): Counts {
  const more: Counts = {};
  for (const kind of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (ignore.includes(kind)) continue;
    const [o1, e1] = a[kind] ?? [0, -1];
    const [o2, e2] = b[kind] ?? [0, -1];
    const d: [number, number] = [Math.max(0, o2 - o1), Math.max(0, e2 - e1)];
    if (d[0] || d[1]) more[kind] = d;
  }
  return more;
}

export interface LeakCase {
  /** The class made, as liveObjectCounts names it: "GPUBuffer". */
  kind: string;
  /** Makes one object (and whatever it needs, which must be released with it). */
  create: (i: number) => object;
  /** What n objects add, if not `{ [kind]: [n, n] }` (the engine does not count every class). */
  afterCreate?: (n: number) => Counts;
  /** What is left after release, if not nothing (an engine's known leak, named in the test). */
  afterRelease?: (n: number) => Counts;
  /** How many to make, in turn (wgpu-py's 32 then 17 by default; fewer for the slow ones). */
  sizes?: readonly number[];
  /** Classes left out of both checks, with a reason in the test. */
  ignore?: readonly string[];
}

/** Engine-side, encoders are command buffers and passes are not counted: [n, 0] for those. */
export const uncountedByEngine = new Set(["GPUCommandEncoder", "GPUComputePassEncoder", "GPURenderPassEncoder", "GPURenderBundleEncoder"]);

/**
 * Runs one leak case: n objects released by `[Symbol.dispose]` ("dispose") or dropped for the
 * garbage collector ("drop"), twice over with different n as wgpu-py does. Throws an
 * AssertionError when a count does not come back.
 */
export async function createAndRelease(c: LeakCase, how: "dispose" | "drop", sizes?: readonly number[]): Promise<void> {
  for (const n of sizes ?? c.sizes ?? [32, 17]) {
    await clearMemory();
    const before = getCounts();
    const settle = () => (how === "drop" ? clearMemory() : clearMemory(0));
    let objects: object[] | null = Array.from({ length: n }, (_, i) => c.create(i));
    assert.ok(
      objects.every((o) => o.constructor.name === c.kind),
      `${c.kind}: the case makes ${objects[0]?.constructor.name}`,
    );
    await clearMemory(0);
    // An engine without counts of its own (Dawn) shows 0 in the engine's half.
    const counted = engineObjectCounts() !== null;
    const onlyCounted = (x: Counts): Counts =>
      Object.fromEntries(
        Object.entries(x)
          .map(([k, [o, e]]) => [k, [o, counted ? e : 0]])
          .filter(([, [o, e]]) => o || e),
      );
    const expected = onlyCounted(c.afterCreate?.(n) ?? { [c.kind]: [n, uncountedByEngine.has(c.kind) ? 0 : n] });
    assert.deepEqual(excessCounts(before, getCounts(), c.ignore), expected, `${c.kind}: counts after creating ${n}`);
    if (how === "dispose") for (const o of objects) (o as Disposable)[Symbol.dispose]();
    objects = null;
    await settle();
    assert.deepEqual(excessCounts(before, getCounts(), c.ignore), onlyCounted(c.afterRelease?.(n) ?? {}), `${c.kind}: counts after releasing ${n} (${how})`);
  }
}
