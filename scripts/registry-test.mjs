#!/usr/bin/env node
// `npm run test:registry`: wgpu-ts as a user gets it. Starts a local npm registry (verdaccio 6.8.0, pinned
// in scripts/registry-tools/, installed into build/registry-tools/) on loopback, publishes the engine
// packages and wgpu-ts to it (scripts/engine-packages.mjs), and in a fresh temporary project:
// - `npm install wgpu-ts` with a PATH that has node, npm and sh only: no python, no compiler, no checkout;
// - the compute jobs of test/registry/ (checked against the CPU) from an .mjs, a .cjs and a .ts file, on this
//   machine's Node (20) and on Node 24 (the `node` devDependency); the .ts is type-checked by tsc --strict
//   with node16 and with bundler resolution (skipLibCheck off), then run compiled (Node 20) and as is (Node 24);
// - `npx wgpu-ts info`; Dawn, installed by name (`npm install @wgpu-ts/dawn-linux-x64`), runs the job too;
// - `npm ci` from the lockfile that install wrote, and the jobs again;
// - and a git install (`npm install git+file://<checkout>`, whose prepare script builds dist/).
// Prints the time of each step and the size of each package. Other registries' packages (koffi, pngjs,
// @webgpu/types) come through the local registry from the one npm is configured with.
import { execFile, execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { engineBuild, hostPlatform, packageName, platforms, root } from "./engines.mjs";

// The machine's own Node (Debian 12's 20) and the project's Node 24 (npm's `node` package). Under
// `npm run`, node_modules/.bin comes first on PATH, so this script may itself run on either: the
// machine's Node is looked for where it is installed, and npm is the one running this script.
const node24 = join(root, "node_modules", "node", "bin", "node");
const node20 = ["/usr/bin/node", "/usr/local/bin/node"].find((p) => existsSync(p)) ?? process.execPath;
const npmCli =
  process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath)
    ? process.env.npm_execpath
    : join(dirname(dirname(node20)), "lib", "node_modules", "npm", "bin", "npm-cli.js");
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
const tools = join(root, "build", "registry-tools");
const packages = join(root, "build", "packages");
const work = mkdtempSync(join(tmpdir(), "wgpu-ts-registry-"));
const results = { steps: {}, sizes: {} };
let checks = 0;

function assert(ok, message) {
  if (!ok) throw new Error(`registry test: ${message}`);
  checks++;
}

async function step(name, fn) {
  const t = performance.now();
  const r = await fn();
  results.steps[name] = +((performance.now() - t) / 1000).toFixed(1);
  console.log(`registry test: ${name}: ${results.steps[name]} s`);
  return r;
}

/** Runs a command, returns its stdout; on failure shows both streams. */
function run(cmd, args, options = {}) {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20, timeout: 300_000, ...options });
  } catch (e) {
    throw new Error(`registry test: ${cmd} ${args.join(" ")} failed (${e.status ?? e.signal}):\n${e.stdout ?? ""}\n${e.stderr ?? ""}`);
  }
}

/** run() without waiting: the registry test runs independent commands side by side. */
const runAsync = (cmd, args, options = {}) =>
  new Promise((resolve, reject) =>
    execFile(cmd, args, { encoding: "utf8", maxBuffer: 64 << 20, timeout: 300_000, ...options }, (e, stdout, stderr) =>
      e ? reject(new Error(`registry test: ${cmd} ${args.join(" ")} failed (${e.code ?? e.signal}):\n${stdout}\n${stderr}`)) : resolve(stdout),
    ),
  );

/** Whether dist/ is older than some file of src/ (CI's npm test has just built it; a run after an edit has not). */
function distIsStale() {
  const built = join(root, "dist", "index.js");
  if (!existsSync(built)) return true;
  const newest = (dir) =>
    Math.max(...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)));
  return newest(join(root, "src")) > statSync(built).mtimeMs;
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });

/** The pinned verdaccio, installed once per lockfile. */
function installTools() {
  const lock = readFileSync(join(root, "scripts", "registry-tools", "package-lock.json"));
  const stamp = join(tools, "node_modules", ".wgpu-ts-lock-sha256");
  const want = createHash("sha256").update(lock).digest("hex");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === want) return;
  mkdirSync(tools, { recursive: true });
  for (const f of ["package.json", "package-lock.json"]) cpSync(join(root, "scripts", "registry-tools", f), join(tools, f));
  run("npm", ["ci", "--no-audit", "--no-fund"], { cwd: tools, stdio: "inherit" });
  writeFileSync(stamp, want);
}

async function startRegistry(port) {
  const storage = join(tools, "storage");
  // Other registries' packages stay cached between runs; ours are published anew each time.
  for (const local of ["wgpu-ts", "@wgpu-ts", ".verdaccio-db.json"]) rmSync(join(storage, local), { recursive: true, force: true });
  const upstream = run("npm", ["config", "get", "registry"]).trim();
  const config = join(work, "verdaccio.yaml");
  writeFileSync(
    config,
    [
      `storage: ${storage}`,
      "auth:",
      "  htpasswd:",
      `    file: ${join(work, "htpasswd")}`,
      "    max_users: 10",
      "uplinks:",
      "  upstream:",
      `    url: ${upstream}`,
      "    timeout: 60s",
      "packages:",
      ...["wgpu-ts", "@wgpu-ts/*"].flatMap((p) => [`  '${p}':`, "    access: $all", "    publish: $authenticated"]),
      "  '**':",
      "    access: $all",
      "    proxy: upstream",
      "max_body_size: 200mb",
      "web:",
      "  enable: false",
      "log: { type: stdout, format: pretty, level: warn }",
      "",
    ].join("\n"),
  );
  const server = spawn(node20, [join(tools, "node_modules", "verdaccio", "bin", "verdaccio"), "--config", config, "--listen", `127.0.0.1:${port}`], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  server.stdout.on("data", (d) => (log += d));
  server.stderr.on("data", (d) => (log += d));
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; ; i++) {
    if (server.exitCode !== null) throw new Error(`registry test: verdaccio exited (${server.exitCode}):\n${log}`);
    try {
      if ((await fetch(`${url}-/ping`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 600) throw new Error(`registry test: verdaccio did not answer in 120 s:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  // A user for publishing (htpasswd, this run only).
  const res = await fetch(`${url}-/user/org.couchdb.user:ci`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "ci", password: "registry-test-only" }),
  });
  const { token } = await res.json();
  assert(res.ok && token, `verdaccio made no user (${res.status})`);
  return { server, url, token, log: () => log };
}

/** A directory with node, npm, npx and sh only: what the fresh project's installs see on PATH. */
function barePath(nodeBinary) {
  const bin = mkdtempSync(join(work, "bin-"));
  symlinkSync(nodeBinary, join(bin, "node"));
  writeFileSync(join(bin, "npm"), `#!/bin/sh\nexec "${nodeBinary}" "${npmCli}" "$@"\n`, { mode: 0o755 });
  writeFileSync(join(bin, "npx"), `#!/bin/sh\nexec "${nodeBinary}" "${join(dirname(npmCli), "npx-cli.js")}" "$@"\n`, { mode: 0o755 });
  symlinkSync("/bin/sh", join(bin, "sh"));
  return bin;
}

function projectEnv(path, npmrc) {
  const env = { PATH: path, HOME: process.env.HOME, npm_config_userconfig: npmrc, npm_config_cache: join(work, "npm-cache") };
  for (const k of ["VK_ICD_FILENAMES", "VK_DRIVER_FILES", "DISPLAY", "XDG_RUNTIME_DIR", "LANG"]) if (process.env[k]) env[k] = process.env[k];
  return env;
}

function sizes(dir) {
  const [p] = JSON.parse(run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: dir }));
  return { packed: p.size, unpacked: p.unpackedSize, files: p.entryCount };
}

const mib = (n) => `${(n / 2 ** 20).toFixed(2)} MiB`;

function jobs(app, env, label) {
  const out = [];
  const job = (nodeBinary, file) => {
    const r = JSON.parse(run(nodeBinary, [file], { cwd: app, env }).trim().split("\n").pop());
    out.push(r);
    return r;
  };
  for (const [name, binary] of [
    ["node 20", node20],
    ["node 24", node24],
  ]) {
    for (const file of ["job.mjs", "job.cjs"]) {
      const r = job(binary, file);
      assert(r.ok > 0 && r.engine === "wgpu-native", `${label}: ${file} on ${name}: ${JSON.stringify(r)}`);
      assert(r.engineSource === packageName("wgpu-native", hostPlatform), `${label}: the engine comes from its package: ${JSON.stringify(r)}`);
      assert(
        r.commands === "replay" && r.helper.includes(`${packageName("wgpu-native", hostPlatform)}/lib/libwgpu_ts_replay.so`),
        `${label}: the prebuilt replay helper is used: ${JSON.stringify(r)}`,
      );
    }
  }
  const compiled = job(node20, "out/job.js");
  const stripped = job(node24, "job.ts");
  for (const r of [compiled, stripped]) assert(r.ok > 0 && r.commands === "replay", `${label}: job.ts: ${JSON.stringify(r)}`);
  console.log(`registry test: ${label}: ${out.map((r) => `${r.how} on ${r.node}`).join(", ")}: OK`);
}

let registry;
try {
  assert(existsSync(node24) && run(node24, ["--version"]).startsWith("v24."), `Node 24 is not at ${node24} (npm ci in the checkout installs it)`);
  assert(run(node20, ["--version"]).startsWith("v20."), `the machine's Node at ${node20} is not Node 20`);
  await step("install verdaccio 6.8.0", installTools);
  await step("build the packages", () => {
    if (distIsStale()) run("npm", ["run", "build"], { cwd: root });
    run(node20, [join(root, "scripts", "engine-packages.mjs"), "--main", "--out", packages], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  });
  const port = await freePort();
  registry = await step("start the registry", () => startRegistry(port));
  const npmrc = join(work, "npmrc");
  const host = registry.url.replace(/^http:/, "");
  writeFileSync(npmrc, `registry=${registry.url}\n${host}:_authToken=${registry.token}\naudit=false\nfund=false\nupdate-notifier=false\n`);
  const publishEnv = { ...process.env, npm_config_userconfig: npmrc, npm_config_cache: join(work, "npm-cache") };
  const published = [packageName("wgpu-native", hostPlatform), packageName("dawn", hostPlatform), "wgpu-ts"];
  await step("publish", () =>
    Promise.all(
      published.map((name) => {
        const dir = join(packages, ...name.split("/"));
        results.sizes[name] = sizes(dir);
        return runAsync("npm", ["publish", "--ignore-scripts", "--registry", registry.url], { cwd: dir, env: publishEnv });
      }),
    ),
  );
  const manifest = JSON.parse(run("npm", ["view", "wgpu-ts", "--json", "--registry", registry.url], { env: publishEnv }));
  assert(
    manifest.optionalDependencies?.[packageName("wgpu-native", hostPlatform)] === manifest.version,
    `the published wgpu-ts pins its engine: ${JSON.stringify(manifest.optionalDependencies)}`,
  );

  // The fresh project: nothing of the checkout but the job files.
  const app = join(work, "app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "fresh-app", version: "1.0.0", private: true, type: "module" }, null, 2));
  for (const f of ["compute.cjs", "job.cjs", "job.mjs", "job.ts", "entries.ts", "tsconfig.node16.json", "tsconfig.bundler.json"])
    cpSync(join(root, "test", "registry", f), join(app, f));
  const bare = barePath(node20);
  const env = projectEnv(bare, npmrc);
  assert(run("sh", ["-c", "command -v python3 python gcc cc pip || true"], { env }).trim() === "", "the bare PATH has no python, pip or compiler");
  await step("npm install wgpu-ts (fresh project, no python/compiler on PATH)", () => run("npm", ["install", "wgpu-ts"], { cwd: app, env }));
  const installed = (name) => Number(run("du", ["-sb", join(app, "node_modules", ...name.split("/"))]).split("\t")[0]);
  results.installed = { "wgpu-ts": installed("wgpu-ts"), [published[0]]: installed(published[0]), node_modules: installed("") };
  assert(!existsSync(join(app, "node_modules", "@wgpu-ts", `dawn-${hostPlatform}`)), "Dawn is not installed by default");
  // The engine package as installed: npm's platform fields, the pins it came from, its licences.
  const enginePkg = join(app, "node_modules", ...published[0].split("/"));
  const pm = JSON.parse(readFileSync(join(enginePkg, "package.json"), "utf8"));
  const p = platforms[hostPlatform];
  assert(
    pm.os?.[0] === p.os && pm.cpu?.[0] === p.cpu && pm.libc?.[0] === p.libc,
    `the engine package's os/cpu/libc: ${JSON.stringify([pm.os, pm.cpu, pm.libc])}`,
  );
  const info = JSON.parse(readFileSync(join(enginePkg, "ENGINE.json"), "utf8"));
  const pins = engineBuild("wgpu-native", hostPlatform).sources.map((x) => x.sha256);
  assert(
    JSON.stringify(info.sources.map((x) => x.sha256)) === JSON.stringify(pins) && info.version.startsWith("29."),
    `ENGINE.json's provenance: ${JSON.stringify(info)}`,
  );
  assert(
    readdirSync(join(enginePkg, "LICENSES")).length >= 3 && existsSync(join(enginePkg, "include", "webgpu.h")),
    "the engine package has its licences and headers",
  );
  await step("tsc --strict (node16, bundler; skipLibCheck off)", () =>
    Promise.all(["tsconfig.node16.json", "tsconfig.bundler.json"].map((config) => runAsync(node20, [tsc, "-p", config], { cwd: app, env }))),
  );
  await step("compute jobs (.mjs, .cjs, .ts; Node 20 and 24)", () => jobs(app, env, "npm install"));
  await step("npx wgpu-ts info", () => {
    const info = run("npx", ["wgpu-ts", "info"], { cwd: app, env });
    assert(info.includes(`(from ${published[0]})`), `info names the engine's package:\n${info}`);
    assert(/pass commands: replay: /.test(info), `info says the replay path is active:\n${info}`);
  });
  await step("npm install @wgpu-ts/dawn (opt-in), a job on Dawn", () => {
    run("npm", ["install", published[1]], { cwd: app, env });
    results.installed[published[1]] = installed(published[1]);
    const r = JSON.parse(
      run(node20, ["job.mjs"], { cwd: app, env: { ...env, WGPU_ENGINE: "dawn" } })
        .trim()
        .split("\n")
        .pop(),
    );
    assert(r.engine === "dawn" && r.engineSource === published[1] && r.commands === "replay", `the job on Dawn: ${JSON.stringify(r)}`);
    run("npm", ["uninstall", published[1]], { cwd: app, env });
  });
  await step("npm ci (Node 24's npm), jobs again", () => {
    rmSync(join(app, "node_modules"), { recursive: true });
    run("npm", ["ci"], { cwd: app, env: projectEnv(barePath(node24), npmrc) });
    jobs(app, env, "npm ci");
  });
  await step("git install (npm install git+file://, prepare builds dist/)", () => {
    const gitApp = join(work, "git-app");
    mkdirSync(gitApp);
    writeFileSync(join(gitApp, "package.json"), JSON.stringify({ name: "git-app", version: "1.0.0", private: true, type: "module" }));
    cpSync(join(root, "test", "registry", "job.mjs"), join(gitApp, "job.mjs"));
    cpSync(join(root, "test", "registry", "compute.cjs"), join(gitApp, "compute.cjs"));
    // A git install has no release manifest: the engine package is installed by name beside it. The
    // clone's devDependencies (for its prepare script) come from the upstream registry through npm's
    // own cache, as a developer's would; only @wgpu-ts/* comes from the local registry.
    const gitNpmrc = join(work, "npmrc-git");
    writeFileSync(gitNpmrc, `@wgpu-ts:registry=${registry.url}\n${host}:_authToken=${registry.token}\naudit=false\nfund=false\n`);
    run("npm", ["install", `git+file://${root}`, published[0]], {
      cwd: gitApp,
      env: { ...process.env, npm_config_userconfig: gitNpmrc, npm_config_prefer_offline: "true" },
    });
    assert(existsSync(join(gitApp, "node_modules", "wgpu-ts", "dist", "index.js")), "the git install has dist/");
    const r = JSON.parse(run(node20, ["job.mjs"], { cwd: gitApp, env }).trim().split("\n").pop());
    assert(r.ok > 0 && r.engineSource === published[0], `the job from the git install: ${JSON.stringify(r)}`);
  });
  for (const [name, s] of Object.entries(results.sizes)) {
    console.log(`registry test: ${name}: ${mib(s.packed)} packed, ${mib(s.unpacked)} unpacked, ${s.files} files`);
  }
  for (const [name, n] of Object.entries(results.installed)) console.log(`registry test: installed ${name || "node_modules"}: ${mib(n)}`);
  console.log(`registry test: ${checks} passed, 0 failed`);
} catch (e) {
  console.error(e.message);
  if (registry) console.error(`verdaccio's log:\n${registry.log().slice(-4000)}`);
  console.log(`registry test: ${checks} passed, 1 failed`);
  process.exitCode = 1;
} finally {
  registry?.server.kill();
  rmSync(work, { recursive: true, force: true });
}
