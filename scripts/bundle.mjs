#!/usr/bin/env node
// Second half of `npm run build`: tsc has written dist/ (.js, .d.ts, maps); this replaces the ~70
// .js modules with one bundle per entry point (index, extras for `wgpu-ts/native`, the CLI) plus one
// shared chunk, so that both exports keep one module state (one runtime, one engine). Node's ESM
// loader resolving and compiling every file took ~50 ms of each process start; one file takes ~10.
// The .d.ts files stay as tsc wrote them. Bundling tsc's output (not src/) keeps tsc's semantics.
import { build } from "esbuild";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const entries = ["index.js", "extras.js", "cli/wgpu-ts.js"];

const result = await build({
  entryPoints: entries.map((e) => join(dist, e)),
  outdir: dist,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  // tsc already chose the language level (tsconfig target); nothing more is lowered.
  target: "esnext",
  // Dependencies stay packages of their own (koffi is native; pngjs loads on first use).
  packages: "external",
  // Messages name classes by constructor.name, which the bundle's renaming must not change.
  keepNames: true,
  // Chains tsc's maps, so --enable-source-maps points into src/.
  sourcemap: "linked",
  chunkNames: "wgpu-ts-[hash]",
  write: false,
  logLevel: "warning",
});

// Every .js and .js.map tsc wrote goes; the .d.ts files (and their maps) stay for the types.
const removeJs = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) removeJs(p);
    else if (/\.js(\.map)?$/.test(e.name)) rmSync(p);
  }
};
removeJs(dist);
for (const f of result.outputFiles) {
  mkdirSync(dirname(f.path), { recursive: true });
  writeFileSync(f.path, f.contents);
}
console.log(`bundled ${entries.join(", ")} into ${result.outputFiles.filter((f) => f.path.endsWith(".js")).map((f) => relative(dist, f.path)).join(", ")}`);
