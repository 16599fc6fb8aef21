#!/usr/bin/env node
// Builds the npm packages of a release into build/packages/ (as esbuild, sharp and koffi ship binaries):
// - @wgpu-ts/<engine>-<platform> for each engine pinned for the platform (scripts/engines.mjs): the
//   library, its headers, licence texts and ENGINE.json (version, provenance: source packages and sha256s),
//   with os/cpu (and libc) fields so that npm installs only the one that fits. On this machine's platform
//   the replay helper (src/native/replay/replay.c, scripts/build-native.sh) is built into it too, so a user
//   needs no compiler; other platforms' packages go without it (wgpu-ts then calls the engine directly).
// - wgpu-ts itself (--main), staged from `npm pack`'s file list with the released platforms' wgpu-native
//   packages as exact-version optionalDependencies. The checkout's package.json does not name them, so
//   `npm ci` in the checkout never looks for packages that are not published yet.
// Usage: node scripts/engine-packages.mjs [--platform NAME|all] [--engine NAME] [--main] [--out DIR]
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { engines, hostPlatform, layOut, packageName, platforms, root } from "./engines.mjs";

const { values } = parseArgs({
  options: {
    platform: { type: "string", default: hostPlatform },
    engine: { type: "string", multiple: true },
    main: { type: "boolean", default: false },
    out: { type: "string", default: join(root, "build", "packages") },
  },
});
const out = resolve(values.out);
const mainManifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const version = mainManifest.version;
const replayFile = "lib/libwgpu_ts_replay.so";

const common = {
  version,
  repository: mainManifest.repository,
  homepage: mainManifest.homepage,
  bugs: mainManifest.bugs,
};

/** Builds the replay helper for this machine once, and says what built it. */
let replayBuilt;
function replayHelper() {
  if (replayBuilt) return replayBuilt;
  execFileSync("bash", [join(root, "scripts", "build-native.sh")], { stdio: "inherit" });
  const cc = process.env.CC ?? "gcc";
  const compiler = execFileSync(cc, ["--version"], { encoding: "utf8" }).split("\n")[0];
  replayBuilt = { path: join(root, "build", "native", "libwgpu_ts_replay.so"), builtWith: compiler };
  return replayBuilt;
}

function enginePackage(engine, platform) {
  const name = packageName(engine, platform);
  const dir = join(out, ...name.split("/"));
  const info = layOut(engine, platform, dir);
  const p = platforms[platform];
  if (platform === hostPlatform && p.os === "linux") {
    const helper = replayHelper();
    cpSync(helper.path, join(dir, replayFile));
    info.replay = { library: replayFile, source: "src/native/replay/replay.c (wgpu-ts, MIT)", builtWith: helper.builtWith };
    writeFileSync(join(dir, "ENGINE.json"), JSON.stringify(info, null, 2) + "\n");
  }
  const manifest = {
    name,
    ...common,
    description: `${engines[engine].description} ${info.version} for ${platform}, for wgpu-ts: the library, its headers, licences and provenance (ENGINE.json)`,
    license: engines[engine].license,
    os: [p.os],
    cpu: [p.cpu],
    ...(p.libc && { libc: [p.libc] }),
    files: ["lib", "include", "LICENSES", "ENGINE.json"],
    preferUnplugged: true,
  };
  writeFileSync(join(dir, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
  writeFileSync(
    join(dir, "README.md"),
    `# ${name}\n\n${manifest.description}.\nInstalled by [wgpu-ts](https://www.npmjs.com/package/wgpu-ts); not meant to be used on its own.\n` +
      `ENGINE.json names the engine's version and the registry packages it was taken from, with their sha256s; LICENSES/ holds the licence texts.\n` +
      (info.replay ? `lib/libwgpu_ts_replay.so is wgpu-ts's command-replay helper (MIT), built from ${info.replay.source.split(" ")[0]}.\n` : ""),
  );
  console.log(`wgpu-ts: built ${name} ${version} (${engine} ${info.version}${info.replay ? ", with the replay helper" : ""}) in ${dir}`);
  return dir;
}

/** wgpu-ts as published: what `npm pack` would put in, with the released engine packages as optionalDependencies. */
function mainPackage() {
  const dir = join(out, "wgpu-ts");
  rmSync(dir, { recursive: true, force: true });
  const [packed] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8" }));
  for (const { path } of packed.files) {
    if (path === "package.json") continue;
    mkdirSync(join(dir, path, ".."), { recursive: true });
    cpSync(join(root, path), join(dir, path));
  }
  const { private: _private, scripts: _scripts, devDependencies: _dev, ...rest } = mainManifest;
  const optional = Object.fromEntries(
    Object.entries(platforms)
      .filter(([platform, p]) => p.released && engines["wgpu-native"].builds[platform])
      .map(([platform]) => [packageName("wgpu-native", platform), version]),
  );
  writeFileSync(join(dir, "package.json"), JSON.stringify({ ...rest, optionalDependencies: { ...rest.optionalDependencies, ...optional } }, null, 2) + "\n");
  console.log(`wgpu-ts: staged wgpu-ts ${version} (${packed.files.length} files; optionalDependencies: ${Object.keys(optional).join(", ")}) in ${dir}`);
  return dir;
}

if (!existsSync(join(root, "dist", "index.js")) && values.main) throw new Error("wgpu-ts: dist/ is not built (npm run build)");
const wantedPlatforms = values.platform === "all" ? Object.keys(platforms) : [values.platform];
for (const platform of wantedPlatforms) {
  if (!platforms[platform]) throw new Error(`wgpu-ts: unknown platform ${platform} (known: ${Object.keys(platforms).join(", ")})`);
  for (const engine of values.engine ?? Object.keys(engines)) if (engines[engine].builds[platform]) enginePackage(engine, platform);
}
if (values.main) mainPackage();
