// report(), formatReport() and the `wgpu-ts info` command (wgpu-py's print_report).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { GPUBufferUsage, GPUTextureUsage, formatReport, report } from "../src/index.ts";
import { packageRoot } from "../src/native/engine/package-root.ts";
import { testDevice } from "./helpers/gpu.ts";
import { engine, engineSkip } from "./helpers/engine.ts";

test("report() has versions, every adapter with features and limits, live objects with bytes, and the engine's counts", () => {
  const device = testDevice();
  const buffers = [device.createBuffer({ size: 1 << 20, usage: GPUBufferUsage.STORAGE }), device.createBuffer({ size: 4096, usage: GPUBufferUsage.STORAGE })];
  // 64x64 rgba8unorm with its 7 mip levels: 4 * (4096 + 1024 + 256 + 64 + 16 + 4 + 1) bytes.
  const texture = device.createTexture({ size: [64, 64], format: "rgba8unorm", mipLevelCount: 7, usage: GPUTextureUsage.TEXTURE_BINDING });
  const r = report();
  assert.equal(r.versions.node, process.version);
  assert.match(r.versions.wgpuTs, /^\d+\.\d+\.\d+/);
  assert.match(r.versions.engine, new RegExp(`^${engine} `));
  assert.ok(r.adapters.length >= 1);
  for (const a of r.adapters) {
    assert.ok(a.summary.length > 0);
    assert.ok(Array.isArray(a.features));
    assert.equal(typeof a.limits.maxBufferSize, "number");
  }
  assert.ok(r.adapters.some((a) => a.summary === r.adapter?.summary));
  // In the checkout, the engine is vendor/engines' (install-engines.mjs) and the helper build/native's.
  if (!process.env.WGPU_LIB_PATH) assert.equal(r.engineSource, "checkout");
  assert.deepEqual(
    { path: r.commands.path, helper: r.commands.helper },
    process.env.WGPU_TS_REPLAY === "0"
      ? { path: "direct", helper: null }
      : { path: "replay", helper: `${join(packageRoot, "build", "native", "libwgpu_ts_replay.so")} (checkout build)` },
  );
  assert.ok(r.liveObjects.GPUBuffer >= 2);
  assert.ok(r.liveBytes.GPUBuffer >= (1 << 20) + 4096, `GPUBuffer bytes ${r.liveBytes.GPUBuffer}`);
  assert.ok(r.liveBytes.GPUTexture >= 4 * 5461, `GPUTexture bytes ${r.liveBytes.GPUTexture}`);
  const text = formatReport(r);
  assert.match(text, /Adapter 0: /);
  assert.match(text, /maxBufferSize/);
  assert.match(text, /GPUBuffer\s+\d+\s+1\.0\d MiB/);
  for (const b of buffers) b.destroy();
  texture.destroy();
});

test("the engine's own object counts are in the report", engineSkip("dawn", "Dawn has no wgpuGenerateReport: it reports no object counts of its own"), () => {
  const device = testDevice();
  const buffers = [device.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE }), device.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE })];
  const r = report();
  assert.ok(r.engineObjects, "wgpu-native reports its own counts");
  assert.ok(r.engineObjects.buffers.keptFromUser >= 2, JSON.stringify(r.engineObjects.buffers));
  assert.ok(r.engineObjects.devices.allocated >= 1);
  assert.match(formatReport(r), /registry\s+allocated\s+kept\s+released\s+element\s+bytes/);
  const cli = spawnSync(process.execPath, [join(packageRoot, "dist", "cli", "wgpu-ts.js"), "info"], { encoding: "utf8" });
  assert.match(cli.stdout, /Engine objects \(wgpuGenerateReport/);
  for (const b of buffers) b.destroy();
});

test("`wgpu-ts info` prints the report", () => {
  const cli = join(packageRoot, "dist", "cli", "wgpu-ts.js");
  const r = spawnSync(process.execPath, [cli, "info"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Versions:/);
  assert.match(r.stdout, new RegExp(`Engine: ${engine} `));
  assert.match(r.stdout, /Adapter 0: .+\(the default adapter\)/);
  assert.match(r.stdout, /features \(\d+\):/);
  assert.match(r.stdout, /pass commands: replay: .*\n {4}helper: .*libwgpu_ts_replay\.so \(checkout build\)/);
  const direct = spawnSync(process.execPath, [cli, "info"], { encoding: "utf8", env: { ...process.env, WGPU_TS_REPLAY_LIB: "/nowhere/libwgpu_ts_replay.so" } });
  assert.match(direct.stdout, /pass commands: direct: the replay helper \/nowhere\/libwgpu_ts_replay\.so \(WGPU_TS_REPLAY_LIB\) does not exist/);
  const help = spawnSync(process.execPath, [cli, "nonsense"], { encoding: "utf8" });
  assert.equal(help.status, 2, "a usage error");
  assert.match(help.stderr, /unknown command "nonsense"[\s\S]*info/);
});

test("the package's `wgpu-ts/native` export is the built extras module", () => {
  const script = `const n = await import("wgpu-ts/native"); console.log(Object.keys(n).sort().join(","));`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", cwd: packageRoot });
  assert.equal(r.status, 0, r.stderr);
  for (const name of ["createStatisticsQuerySet", "multiDrawIndirect", "setPushConstants", "writeTimestamp", "setInstanceExtras", "printReport"]) {
    assert.ok(
      r.stdout
        .split(",")
        .map((s) => s.trim())
        .includes(name),
      `${name} in ${r.stdout}`,
    );
  }
});
