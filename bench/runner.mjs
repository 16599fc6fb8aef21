// Runs the workloads of bench/workloads.mjs on one JavaScript peer and prints one "@@" JSON line
// per result. Started by bench/run.ts as: <runtime> runner.mjs <peer> <sizes-json> [workload ids...]
// "startup" as the only id prints "@@ready" as soon as the first device exists (the parent times it).
// "phases.<name>" runs bench/phases.mjs's split of a workload; "phases.startup" times this process's
// own import, requestAdapter and requestDevice.
// Runs under Node (wgpu-ts, dawn.node), Deno and Bun: plain JavaScript, no runtime-specific imports.
import { workloads, memcpy } from "./workloads.mjs";

const args = globalThis.Deno ? Deno.args : process.argv.slice(2);
const [peer, sizesJson, ...only] = args;
const sizes = JSON.parse(sizesJson);
const here = new URL(".", import.meta.url);
const emit = (o) => console.log("@@" + JSON.stringify(o));

async function getGpu() {
  switch (peer) {
    case "wgpu-ts":
    case "wgpu-ts-dawn": {
      // The engine comes from WGPU_ENGINE, set by the parent.
      const m = await import(new URL("../dist/index.js", here).href);
      if (peer === "wgpu-ts-dawn") {
        const got = m.report().engine.name; // until the Dawn engine lands, WGPU_ENGINE=dawn is ignored
        if (got !== "dawn") throw new Error(`WGPU_ENGINE=dawn: wgpu-ts loaded ${got}`);
      }
      return m.gpu;
    }
    case "wgpu-ts-base": {
      // Another build (BENCH_BASE, bench/run.ts), for before/after tables from one run.
      const m = await import(new URL(`file://${process.env.BENCH_BASE}/dist/index.js`).href);
      return m.gpu;
    }
    case "dawn.node": {
      const m = await import(new URL("peers/node_modules/webgpu/index.js", here).href);
      Object.assign(globalThis, m.globals);
      return m.create([]);
    }
    case "deno":
      return navigator.gpu;
    case "bun": {
      const m = await import(new URL("peers/node_modules/bun-webgpu/index.js", here).href);
      m.setupGlobals();
      return navigator.gpu;
    }
    default:
      throw new Error(`runner: unknown peer ${peer}`);
  }
}

const tImport = performance.now();
const gpu = await getGpu();
const tAdapter = performance.now();
const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
if (!adapter) throw new Error(`${peer}: no adapter`);
const tDevice = performance.now();
// Default limits suffice (64 MiB buffers); bun-webgpu 0.1.7 mis-packs requiredLimits anyway.
const device = await adapter.requestDevice();
const tReady = performance.now();
if (only[0] === "startup") {
  console.log("@@ready");
} else if (only[0] === "phases.startup") {
  const ms = { runtime: tImport, import: tAdapter - tImport, requestAdapter: tDevice - tAdapter, requestDevice: tReady - tDevice };
  emit({ workload: "phases.startup", unit: "ms", phases: ms });
} else {
  const info = adapter.info ?? {};
  emit({ adapter: `${info.vendor ?? ""} ${info.architecture ?? ""} ${info.device ?? ""} ${info.description ?? ""}`.replace(/\s+/g, " ").trim() });
  let errors = 0;
  device.addEventListener?.("uncapturederror", (e) => {
    if (errors++ < 3) console.error(`${peer}: uncaptured error: ${e.error?.message}`);
  });
  const ids = only.length ? only : [...Object.keys(workloads), ...Object.keys(memcpy)];
  // Each workload starts from a settled state: the objects the last one dropped are collected and
  // released (finalizers run after a GC), and the queue is idle. Python frees by reference count at
  // once; without this, a GC'd runtime's engine cleans up during the next workload.
  const collect = globalThis.gc ?? globalThis.Bun?.gc;
  const settle = async () => {
    for (let i = 0; i < 2; i++) {
      collect?.(true);
      await new Promise((r) => setTimeout(r, 20));
    }
    await device.queue.onSubmittedWorkDone();
  };
  for (const id of ids) {
    await settle();
    if (id in memcpy) {
      emit({ workload: id, ...memcpy[id](sizes) });
      continue;
    }
    if (id.startsWith("phases.")) {
      const { phases } = await import("./phases.mjs"); // only here: the startup workload times this file's imports
      const split = phases[id.slice(7)];
      emit(split ? { workload: id, ...(await split(device, sizes)) } : { workload: id, na: `no such phase split (${Object.keys(phases).join(", ")})` });
      continue;
    }
    try {
      device.pushErrorScope("validation");
      const r = await workloads[id](device, sizes);
      const err = await device.popErrorScope();
      if (err) emit({ workload: id, na: `validation error: ${err.message.split("\n")[0]}` });
      else {
        const { also, ...main } = r;
        emit({ workload: id, ...main });
        for (const [suffix, extra] of Object.entries(also ?? {})) emit({ workload: id + suffix, ...extra });
      }
    } catch (e) {
      emit({ workload: id, na: `error: ${String(e?.message ?? e).split("\n")[0]}` });
    }
  }
}
device.destroy();
// dawn.node and bun-webgpu keep the process alive; the parent reads our lines, we leave at once.
if (globalThis.Deno) Deno.exit(0);
else process.exit(0);
