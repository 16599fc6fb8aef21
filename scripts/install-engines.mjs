#!/usr/bin/env node
// Puts the native WebGPU engines in vendor/engines/<name>/ (lib/, include/, ENGINE.json).
// Each engine comes from a pinned registry package, checked by its sha256: never a committed binary.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const cacheDir = join(root, "vendor", "cache");

/** The pins. wgpu 0.32.0 ships wgpu-native 29.0.1.1, the first line with the stable webgpu.h (v29+). */
const engines = {
  "wgpu-native": {
    pypi: { name: "wgpu", version: "0.32.0", platform: "manylinux_2_28_x86_64" },
    wheel: "wgpu-0.32.0-py3-none-manylinux_2_28_x86_64.whl",
    sha256: "6499a31b5a29a10b4f1089fea4a0806411f42605fa86b6c0b543a07ca0de8568",
    files: {
      "wgpu/resources/libwgpu_native-release.so": "lib/libwgpu_native.so",
      "wgpu/resources/webgpu.h": "include/webgpu.h",
      "wgpu/resources/wgpu.h": "include/wgpu.h",
      "wgpu/resources/webgpu.idl": "include/webgpu.idl",
    },
    versionFile: "wgpu/backends/wgpu_native/__init__.py",
    versionPattern: /__version__ = "([^"]+)"/,
  },
};

function sha256(path) {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

function fetchWheel(spec) {
  const wheelPath = join(cacheDir, spec.wheel);
  if (existsSync(wheelPath) && sha256(wheelPath) === spec.sha256) return wheelPath;
  mkdirSync(cacheDir, { recursive: true });
  const python = process.env.PYTHON ?? "python3";
  const { name, version, platform } = spec.pypi;
  console.log(`wgpu-ts: downloading ${name}==${version} (${platform}) from PyPI`);
  execFileSync(
    python,
    ["-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:", "--platform", platform,
      "--python-version", "3.11", "--dest", cacheDir, `${name}==${version}`],
    { stdio: "inherit" },
  );
  const got = sha256(wheelPath);
  if (got !== spec.sha256) throw new Error(`${spec.wheel}: sha256 ${got} does not match the pin ${spec.sha256}`);
  return wheelPath;
}

/** Reads members of a zip with Python's zipfile (Python is already needed for pip). */
function readZipMembers(zipPath, members) {
  const script =
    "import sys,zipfile,base64,json\n" +
    "z=zipfile.ZipFile(sys.argv[1])\n" +
    "print(json.dumps({m: base64.b64encode(z.read(m)).decode() for m in sys.argv[2:]}))";
  const out = execFileSync(process.env.PYTHON ?? "python3", ["-c", script, zipPath, ...members], {
    maxBuffer: 1 << 30,
  });
  const decoded = JSON.parse(out.toString());
  return Object.fromEntries(Object.entries(decoded).map(([k, v]) => [k, Buffer.from(v, "base64")]));
}

function install(name, spec) {
  const dest = join(root, "vendor", "engines", name);
  const marker = join(dest, "ENGINE.json");
  if (existsSync(marker)) {
    const current = JSON.parse(readFileSync(marker, "utf8"));
    if (current.sha256 === spec.sha256) {
      console.log(`wgpu-ts: ${name} ${current.version} already in ${dest}`);
      return;
    }
  }
  const wheel = fetchWheel(spec);
  const members = readZipMembers(wheel, [...Object.keys(spec.files), spec.versionFile]);
  rmSync(dest, { recursive: true, force: true });
  for (const [from, to] of Object.entries(spec.files)) {
    mkdirSync(dirname(join(dest, to)), { recursive: true });
    writeFileSync(join(dest, to), members[from]);
  }
  const version = spec.versionPattern.exec(members[spec.versionFile].toString())?.[1] ?? "unknown";
  const info = { engine: name, version, source: `${spec.pypi.name}==${spec.pypi.version} (PyPI)`, sha256: spec.sha256 };
  writeFileSync(marker, JSON.stringify(info, null, 2) + "\n");
  console.log(`wgpu-ts: installed ${name} ${version} in ${dest}`);
}

const wanted = process.argv.slice(2);
for (const [name, spec] of Object.entries(engines)) {
  if (wanted.length === 0 || wanted.includes(name)) install(name, spec);
}
