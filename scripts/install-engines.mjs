#!/usr/bin/env node
// Puts the native WebGPU engines for this machine in the checkout's vendor/engines/<name>/ (lib/,
// include/, LICENSES/, ENGINE.json), from the pins in scripts/engines.mjs. Needs python3 and pip.
// `node scripts/install-engines.mjs [engine...]` (default: every engine pinned for this platform).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { engineBuild, engines, hostPlatform, layOut, root } from "./engines.mjs";

function install(name) {
  const dest = join(root, "vendor", "engines", name);
  const marker = join(dest, "ENGINE.json");
  const pins = engineBuild(name, hostPlatform).sources.map((src) => src.sha256);
  if (existsSync(marker)) {
    const current = JSON.parse(readFileSync(marker, "utf8"));
    if (JSON.stringify(current.sha256s) === JSON.stringify(pins) && current.library) {
      console.log(`wgpu-ts: ${name} ${current.version} already in ${dest}`);
      return;
    }
  }
  const info = layOut(name, hostPlatform, dest);
  console.log(`wgpu-ts: installed ${name} ${info.version} in ${dest}`);
}

const wanted = process.argv.slice(2);
for (const name of wanted.length ? wanted : Object.keys(engines).filter((n) => engines[n].builds[hostPlatform])) install(name);
