// Where wgpu-ts's own files are, found from this module's location whatever shape it runs in:
// src/ through tsx (tests, examples), tsc's dist/ modules, or the esbuild bundle in dist/ (where
// every module shares the bundle's location, so no fixed number of ".." can be right).
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

function findRoot(): string {
  for (let dir = here; ; dir = dirname(dir)) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, "utf8")) as { name?: unknown }).name === "wgpu-ts") return dir;
      } catch {
        // not readable as JSON: not ours, keep looking
      }
    }
    if (dirname(dir) === dir) break;
  }
  // A copy without its package.json (a bench kit, say): the parent of the dist/ or src/ we run from.
  for (let dir = here; dirname(dir) !== dir; dir = dirname(dir)) {
    if (basename(dir) === "dist" || basename(dir) === "src") return dirname(dir);
  }
  throw new Error(`wgpu-ts: no package.json named wgpu-ts above ${here}, nor a dist/ or src/ directory`);
}

/** The package root: the nearest directory above this module with wgpu-ts's package.json (else the parent of its dist/ or src/). */
export const packageRoot = findRoot();
