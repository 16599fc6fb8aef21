// Bundles a page's script for the browser as a bundler user would: `wgpu-ts` resolves through the
// package's exports with the `browser` condition (to dist/browser.js; run npm run build first).
// The examples' node: imports go to node-stubs.ts and process.argv to the page's globalThis.argv.
import { build, type Metafile, type Plugin } from "esbuild";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

const nodeStubs: Plugin = {
  name: "examples-node-stubs",
  setup(b) {
    b.onResolve({ filter: /^node:(url|fs|path)$/ }, () => ({ path: join(root, "examples/browser/node-stubs.ts") }));
  },
};

/** The bundled scripts (by output name: "<entry name>.js") and what went into them. */
export interface PageBundle {
  files: Map<string, Uint8Array>;
  metafile: Metafile;
}

/** Bundles `entries` (name -> source file) for the browser platform, as ES modules with code splitting. */
export async function bundlePage(entries: Record<string, string>): Promise<PageBundle> {
  // A node_modules of one link to this package, so that "wgpu-ts" resolves as it would for a user.
  const modules = mkdtempSync(join(tmpdir(), "wgpu-ts-page-"));
  try {
    mkdirSync(join(modules, "node_modules"));
    symlinkSync(root, join(modules, "node_modules", "wgpu-ts"), "dir");
    const result = await build({
      entryPoints: entries,
      outdir: "/page",
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "browser",
      target: "esnext",
      nodePaths: [join(modules, "node_modules")],
      define: { "process.argv": "globalThis.argv" },
      banner: { js: "globalThis.argv ??= [];" },
      plugins: [nodeStubs],
      metafile: true,
      write: false,
      logLevel: "error",
    });
    const files = new Map(result.outputFiles.map((f) => [f.path.slice("/page/".length), f.contents]));
    return { files, metafile: result.metafile };
  } finally {
    rmSync(modules, { recursive: true, force: true });
  }
}
