// Where the time of a workload goes, phase by phase: the same steps as bench/workloads.mjs, each
// timed apart (encode, submit, wait...). This is the evidence for "what limits it" in the notes,
// next to bench/profile.sh's per-library split. Plain JavaScript, run by runner.mjs on every JS
// peer: `bash bench/profile.sh --phases <workload> [peer ...]`.
//
// Each entry takes (device, sizes) and returns { unit, phases: { name: median } }, the medians of
// `sizes.runs` timed runs after `sizes.warmups`.

import {
  TRIANGLE_WGSL,
  U,
  beginPass,
  filled,
  makeScene,
  readbackBuffers,
  renderPipeline,
  renderTarget,
  repeat,
  roundTripBuffers,
  workloads,
} from "./workloads.mjs";

const now = () => performance.now();

const median = (values) => values.sort((a, b) => a - b)[values.length >> 1];

/** Medians of each phase over the timed runs (workloads.mjs's repeat); `run` returns { phase: value } for one run. */
async function medians(sizes, run) {
  const runs = await repeat(sizes, run);
  return Object.fromEntries(Object.keys(runs[0]).map((k) => [k, median(runs.map((r) => r[k]))]));
}

export const phases = {
  /** draw(): the loop of draws (with the replays of a recorded stream), end(), finish(), submit() and the GPU's work, ns per draw. */
  async draw(device, sizes) {
    const pipeline = renderPipeline(device, TRIANGLE_WGSL, "vsPlain");
    const view = renderTarget(device, 64).createView();
    const n = sizes.draws;
    const per = (a, b) => ((b - a) * 1e6) / n;
    return {
      unit: "ns/draw",
      phases: await medians(sizes, async () => {
        const t0 = now();
        const encoder = device.createCommandEncoder();
        const p = beginPass(encoder, view);
        p.setPipeline(pipeline);
        for (let i = 0; i < n; i++) p.draw(3);
        const t1 = now();
        p.end();
        const t2 = now();
        const commands = encoder.finish();
        const t3 = now();
        device.queue.submit([commands]);
        const t4 = now();
        await device.queue.onSubmittedWorkDone();
        const t5 = now();
        return { loop: per(t0, t1), end: per(t1, t2), finish: per(t2, t3), submit: per(t3, t4), wait: per(t4, t5) };
      }),
    };
  },

  /** The render loop's frame (sceneDraws draws, instance i each): encode to finish(), submit(), the wait; ms per frame. */
  async renderLoop(device, sizes) {
    const scene = makeScene(device, sizes.sceneDraws);
    return {
      unit: "ms/frame",
      phases: await medians({ ...sizes, runs: sizes.runs * 6 }, async () => {
        const t0 = now();
        const commands = scene.encodeFrame();
        const t1 = now();
        device.queue.submit([commands]);
        const t2 = now();
        await device.queue.onSubmittedWorkDone();
        const t3 = now();
        return { encode: t1 - t0, submit: t2 - t1, wait: t3 - t2 };
      }),
    };
  },

  /** The 16-byte round trip: encode+submit, the mapAsync() call, the wait for it, getMappedRange+read+unmap; µs each. */
  async roundTrip(device, sizes) {
    const { src, dst } = roundTripBuffers(device);
    const n = sizes.roundTrips;
    return {
      unit: "µs",
      phases: await medians(sizes, async () => {
        const sum = { submit: 0, mapCall: 0, wait: 0, readUnmap: 0 };
        for (let i = 0; i < n; i++) {
          const t0 = now();
          const encoder = device.createCommandEncoder();
          encoder.copyBufferToBuffer(src, 0, dst, 0, 16);
          device.queue.submit([encoder.finish()]);
          const t1 = now();
          const mapped = dst.mapAsync(U.MAP_READ);
          const t2 = now();
          await mapped;
          const t3 = now();
          if (new Uint32Array(dst.getMappedRange())[3] !== 4) throw new Error("roundTrip: wrong data");
          dst.unmap();
          const t4 = now();
          sum.submit += t1 - t0;
          sum.mapCall += t2 - t1;
          sum.wait += t3 - t2;
          sum.readUnmap += t4 - t3;
        }
        for (const k of Object.keys(sum)) sum[k] = (sum[k] * 1e3) / n;
        return sum;
      }),
    };
  },

  /** Readback of bigBytes: copy+submit, the map wait, getMappedRange(), the copy into JS memory, unmap(); ms each. */
  async readback(device, sizes) {
    const bytes = sizes.bigBytes;
    const { src, dst, out } = await readbackBuffers(device, bytes);
    return {
      unit: "ms",
      phases: await medians(sizes, async () => {
        const t0 = now();
        const encoder = device.createCommandEncoder();
        encoder.copyBufferToBuffer(src, 0, dst, 0, bytes);
        device.queue.submit([encoder.finish()]);
        const t1 = now();
        await dst.mapAsync(U.MAP_READ);
        const t2 = now();
        const range = dst.getMappedRange();
        const t3 = now();
        out.set(new Uint8Array(range));
        const t4 = now();
        dst.unmap();
        const t5 = now();
        return { submit: t1 - t0, mapWait: t2 - t1, getMappedRange: t3 - t2, copy: t4 - t3, unmap: t5 - t4 };
      }),
    };
  },

  /** writeBuffer of bigBytes in chunkBytes calls: the loop of calls, then the wait for the queue; ms each. */
  async writeChunks(device, sizes) {
    const bytes = sizes.bigBytes;
    const chunk = sizes.chunkBytes;
    const buffer = device.createBuffer({ size: bytes, usage: U.COPY_DST | U.STORAGE });
    const data = filled(bytes);
    return {
      unit: "ms",
      phases: await medians(sizes, async () => {
        const t0 = now();
        for (let off = 0; off < bytes; off += chunk) device.queue.writeBuffer(buffer, off, data, off, chunk);
        const t1 = now();
        await device.queue.onSubmittedWorkDone();
        const t2 = now();
        return { calls: t1 - t0, wait: t2 - t1 };
      }),
    };
  },

  /** The tiled matmul with matmulReps dispatches per submit, as GFLOP/s, at 3 and at 30 dispatches: the kernel's own speed shows at 30. */
  async matmulReps(device, sizes) {
    const out = {};
    for (const reps of [3, 30]) {
      const r = await workloads.matmul(device, { ...sizes, matmulReps: reps });
      out[`reps${reps}`] = median(r.runs);
    }
    return { unit: "GFLOP/s", phases: out };
  },
};
