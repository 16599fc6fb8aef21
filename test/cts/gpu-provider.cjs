// The CTS's GPU provider for wgpu-ts (dawn.node's convention: a CommonJS module exporting
// create(flags) that returns a GPU). It loads the built package (dist/, npm run build), so the CTS
// tests what users get. The engine comes from an `engine=wgpu-native|dawn` flag or WGPU_ENGINE.
// The GPU* constants go on globalThis when the module loads: spec files read them at import time.
const { join } = require("node:path");
// WGPU_TS_DIST: another build (a snapshot of dist/, so a long run is not changed by a rebuild).
const wgpu = require(join(process.env.WGPU_TS_DIST ?? join(__dirname, "../../dist"), "index.js"));

wgpu.installGlobals();
module.exports = {
  create(flags = []) {
    const engine = process.env.WGPU_ENGINE;
    const hasEngine = flags.some((f) => f.startsWith("engine="));
    return wgpu.create(engine && !hasEngine ? [`engine=${engine}`, ...flags] : flags);
  },
};
