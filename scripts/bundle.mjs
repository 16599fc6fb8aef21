#!/usr/bin/env node
// Second half of `npm run build`: tsc has written dist/ (.js, .d.ts, maps); this replaces the ~70
// .js modules with one bundle per entry point (index, extras for `wgpu-ts/native`, the CLI) plus one
// shared chunk, so that both exports keep one module state (one runtime, one engine). Node's ESM
// loader resolving and compiling every file took ~50 ms of each process start; one file takes ~10.
// The .d.ts files stay as tsc wrote them. Bundling tsc's output (not src/) keeps tsc's semantics.
// The browser build (browser.js, the `browser` export condition) is one file for the browser
// platform, checked to hold no native code; auto.js stays as tsc wrote it (it loads one or the other).
import { build } from "esbuild";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const entries = ["index.js", "extras.js", "cli/wgpu-ts.js"];

// Node's ESM facade of a builtin reads every one of its exports at the first import: node:fs's
// lazy getters load the whole streams stack and node:util's more, ~8 ms each of every process
// start, for functions wgpu-ts does not use. So the bundle takes a builtin's functions from
// process.getBuiltinModule, each one it imports read once (a pure call, so esbuild drops the rest;
// a CommonJS shim cost ~0.3 ms per importing module in esbuild's __toESM copy), and koffi through
// require: its ESM entry imports node:fs and node:util itself. A builtin's accessor exports are
// left out (reading one loads its module), and koffi has only its default export: importing
// another name fails the build.
const builtinsViaRequire = {
  name: "builtins-via-require",
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (a) => ({ path: a.path, namespace: "builtin" }));
    b.onResolve({ filter: /^koffi$/ }, (a) => ({ path: a.path, namespace: "cjs" }));
    b.onLoad({ filter: /.*/, namespace: "builtin" }, ({ path }) => {
      const m = process.getBuiltinModule(path);
      const names = Object.keys(m).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k) && k !== "default" && !Object.getOwnPropertyDescriptor(m, k).get);
      const exports = names.map((k) => `export const ${k} = /* @__PURE__ */ get(${JSON.stringify(k)});`);
      return {
        contents: `const m = process.getBuiltinModule(${JSON.stringify(path)});\nconst get = (k) => m[k];\nexport default m;\n${exports.join("\n")}\n`,
        loader: "js",
      };
    });
    b.onLoad({ filter: /.*/, namespace: "cjs" }, ({ path }) => ({
      contents: `import { createRequire } from "node:module";\nexport default createRequire(import.meta.url)(${JSON.stringify(path)});\n`,
      loader: "js",
      resolveDir: dist,
    }));
  },
};

const result = await build({
  entryPoints: entries.map((e) => join(dist, e)),
  plugins: [builtinsViaRequire],
  outdir: dist,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  // tsc already chose the language level (tsconfig target); nothing more is lowered.
  target: "esnext",
  // Dependencies stay packages of their own (koffi is native; pngjs loads on first use).
  packages: "external",
  // No keepNames: it wraps every closure assigned to a name in a defineProperty call, ~400 ns each
  // time a function makes one. Class names matter (messages use constructor.name): checked below.
  // Chains tsc's maps, so --enable-source-maps points into src/.
  sourcemap: "linked",
  chunkNames: "wgpu-ts-[hash]",
  write: false,
  logLevel: "warning",
});

const tscFiles = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tscFiles(join(dir, e.name)) : /\.js(\.map)?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
const written = tscFiles(dist);

// esbuild renames a top-level name that two modules share (Foo -> Foo2), and a class's name is its
// binding's: every class tsc wrote must keep its name in the bundle.
const bundled = result.outputFiles
  .filter((f) => f.path.endsWith(".js"))
  .map((f) => f.text)
  .join("\n");
const classes = written.filter((f) => f.endsWith(".js")).flatMap((f) => [...readFileSync(f, "utf8").matchAll(/^(?:export )?class (\w+)/gm)].map((m) => m[1]));
const count = (text, re) => text.match(re)?.length ?? 0;
const renamed = [...new Set(classes)].filter(
  (c) => count(bundled, new RegExp(`^(?:var ${c} = class\\b|class ${c}\\b)`, "gm")) < classes.filter((d) => d === c).length,
);
if (renamed.length) throw new Error(`scripts/bundle.mjs: the bundle renamed these classes (rename them in src/ so they are unique): ${renamed.join(", ")}`);

const browser = await build({
  entryPoints: [join(dist, "browser.js")],
  outfile: join(dist, "browser.js"),
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "esnext",
  sourcemap: "linked",
  metafile: true,
  write: false,
  logLevel: "warning",
});
const nativeInputs = Object.keys(browser.metafile.inputs).filter((f) => /(^|\/)native\/|koffi|^node:/.test(f));
if (nativeInputs.length) throw new Error(`scripts/bundle.mjs: the browser build took in native code: ${nativeInputs.join(", ")}`);

// Every .js and .js.map tsc wrote goes (but auto.js); the .d.ts files stay for the types.
for (const f of written) if (!/[\\/]auto\.js(\.map)?$/.test(f)) rmSync(f);
for (const f of [...result.outputFiles, ...browser.outputFiles]) {
  mkdirSync(dirname(f.path), { recursive: true });
  writeFileSync(f.path, f.contents);
}
console.log(
  `bundled ${entries.join(", ")} and browser.js into ${[...result.outputFiles, ...browser.outputFiles]
    .filter((f) => f.path.endsWith(".js"))
    .map((f) => relative(dist, f.path))
    .join(", ")}`,
);
