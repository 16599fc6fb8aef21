#!/usr/bin/env node
// Puts the native WebGPU engines in vendor/engines/<name>/ (lib/, include/, ENGINE.json).
// Each engine comes from a pinned registry package, checked by its sha256: never a committed binary.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const cacheDir = join(root, "vendor", "cache");

/**
 * The pins. wgpu 0.32.0 ships wgpu-native 29.0.1.1, the first line with the stable webgpu.h (v29+).
 *
 * Dawn: three registry packages ship it for linux-x64 (compared 2026-11-21):
 * - npm bun-webgpu-linux-x64 0.1.7 (libwebgpu_wrapper.so, 19.7 MB): Dawn plus bun's z* wrappers, from
 *   an older Dawn: it lacks 8 functions of the stable webgpu.h (wgpu*SetImmediates, wgpuGetInstanceFeatures,
 *   wgpuGetInstanceLimits, wgpuHasInstanceFeature, ...) and has the pre-stable names (SetImmediateData,
 *   wgpuGetInstanceCapabilities), so some of its structs predate the stable layout too. No header.
 * - PyPI wgpudawn 0.32.0.4: a CPython extension module with Dawn linked in and hidden (it exports only
 *   PyInit__wgpu_dawn and needs libpython's symbols), so no FFI can load it. It does ship Dawn's
 *   webgpu.h (tag v20261009.190412, the Emdawnwebgpu subset, flattened for cffi): we take that header.
 * - PyPI rillfacet 0.1.3 (a WebGPU viewer) ships Dawn's own monolithic libwebgpu_dawn.so (21 MB), a
 *   2026 Dawn that exports all 202 functions of wgpu-native's webgpu.h plus Dawn's extras, and nothing
 *   else of its own. We take that library.
 * Dawn's header agrees with wgpu-native's webgpu.h on every shared function signature, struct layout
 * (86 structs) and enum value (493); test/abi.test.ts checks it with a compiled probe.
 */
const engines = {
  "wgpu-native": {
    sources: [
      {
        pypi: { name: "wgpu", version: "0.32.0", platform: "manylinux_2_28_x86_64" },
        wheel: "wgpu-0.32.0-py3-none-manylinux_2_28_x86_64.whl",
        sha256: "6499a31b5a29a10b4f1089fea4a0806411f42605fa86b6c0b543a07ca0de8568",
        files: {
          "wgpu/resources/libwgpu_native-release.so": "lib/libwgpu_native.so",
          "wgpu/resources/webgpu.h": "include/webgpu.h",
          "wgpu/resources/wgpu.h": "include/wgpu.h",
          "wgpu/resources/webgpu.idl": "include/webgpu.idl",
        },
      },
    ],
    version: { file: "wgpu/backends/wgpu_native/__init__.py", pattern: /__version__ = "([^"]+)"/ },
  },
  dawn: {
    sources: [
      {
        pypi: { name: "rillfacet", version: "0.1.3", platform: "manylinux_2_28_x86_64" },
        wheel: "rillfacet-0.1.3-cp311-cp311-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
        sha256: "b333f2c4c84df2f1105e4d0146e3c7aae8dd2200a0b6c7ded74c38e8ca0a5f93",
        files: { "rillfacet/libwebgpu_dawn.so": "lib/libwebgpu_dawn.so" },
      },
      {
        pypi: { name: "wgpudawn", version: "0.32.0.4", platform: "manylinux_2_28_x86_64" },
        wheel: "wgpudawn-0.32.0.4-cp311-abi3-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
        sha256: "4b99a6f0a386778694c6a7ecde658e848d9b3d6c3a33215581200c9cd619958f",
        files: { "wgpudawn/_lib/webgpu_cdef.h": "include/webgpu.h" },
        transform: { "wgpudawn/_lib/webgpu_cdef.h": cdefToHeader },
      },
    ],
    // Dawn has no version call and rillfacet does not name its Dawn revision: the package names the build.
    version: { label: "rillfacet-0.1.3" },
    headerVersion: { file: "wgpudawn/_lib/__init__.py", pattern: /dawn_version = "([^"]+)"/ },
  },
};

/** cffi's cdef leaves out the values of #defines and adds `extern "Python"` lines: make it C again. */
function cdefToHeader(text) {
  const values = {
    WGPU_FALSE: "0",
    WGPU_TRUE: "1",
    WGPU_STRLEN: "SIZE_MAX",
    WGPU_WHOLE_MAP_SIZE: "SIZE_MAX",
    WGPU_WHOLE_SIZE: "UINT64_MAX",
    WGPU_LIMIT_U64_UNDEFINED: "UINT64_MAX",
  };
  const body = text.replace(/^#define (\w+) \.\.\.$/gm, (_, name) => `#define ${name} ${values[name] ?? "UINT32_MAX"}`).replace(/^extern "Python".*$/gm, "");
  return [
    "// Dawn's webgpu.h (Emdawnwebgpu subset) from wgpudawn's cffi cdef, made compilable by install-engines.mjs.",
    "#ifndef WEBGPU_H_",
    "#define WEBGPU_H_",
    "#include <stdint.h>",
    "#include <stddef.h>",
    body,
    "#endif",
    "",
  ].join("\n");
}

function sha256(path) {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

function fetchWheel(spec) {
  const wheelPath = join(cacheDir, spec.wheel);
  if (existsSync(wheelPath) && sha256(wheelPath) === spec.sha256) return wheelPath;
  mkdirSync(cacheDir, { recursive: true });
  const python = process.env.PYTHON ?? "python3";
  const { name, version, platform, python: pythonVersion = "3.11" } = spec.pypi;
  console.log(`wgpu-ts: downloading ${name}==${version} (${platform}) from PyPI`);
  execFileSync(
    python,
    [
      "-m",
      "pip",
      "download",
      "--quiet",
      "--no-deps",
      "--only-binary=:all:",
      "--platform",
      platform,
      "--python-version",
      pythonVersion,
      "--dest",
      cacheDir,
      `${name}==${version}`,
    ],
    { stdio: "inherit" },
  );
  const got = sha256(wheelPath);
  if (got !== spec.sha256) throw new Error(`${spec.wheel}: sha256 ${got} does not match the pin ${spec.sha256}`);
  return wheelPath;
}

/** Reads the members of a zip that it has, with Python's zipfile (Python is already needed for pip). */
function readZipMembers(zipPath, members) {
  const script =
    "import sys,zipfile,base64,json\n" +
    "z=zipfile.ZipFile(sys.argv[1])\n" +
    "names=set(z.namelist())\n" +
    "print(json.dumps({m: base64.b64encode(z.read(m)).decode() for m in sys.argv[2:] if m in names}))";
  const out = execFileSync(process.env.PYTHON ?? "python3", ["-c", script, zipPath, ...members], {
    maxBuffer: 1 << 30,
  });
  const decoded = JSON.parse(out.toString());
  return Object.fromEntries(Object.entries(decoded).map(([k, v]) => [k, Buffer.from(v, "base64")]));
}

function install(name, engine) {
  const dest = join(root, "vendor", "engines", name);
  const marker = join(dest, "ENGINE.json");
  const pins = engine.sources.map((src) => src.sha256);
  if (existsSync(marker)) {
    const current = JSON.parse(readFileSync(marker, "utf8"));
    if (JSON.stringify(current.sha256s) === JSON.stringify(pins)) {
      console.log(`wgpu-ts: ${name} ${current.version} already in ${dest}`);
      return;
    }
  }
  rmSync(dest, { recursive: true, force: true });
  let version = engine.version.label ?? "unknown";
  let headerVersion;
  for (const spec of engine.sources) {
    const wheel = fetchWheel(spec);
    const versionFiles = [engine.version.file, engine.headerVersion?.file].filter(Boolean);
    const members = readZipMembers(wheel, [...Object.keys(spec.files), ...versionFiles]);
    for (const [from, to] of Object.entries(spec.files)) {
      mkdirSync(dirname(join(dest, to)), { recursive: true });
      const transform = spec.transform?.[from];
      writeFileSync(join(dest, to), transform ? transform(members[from].toString()) : members[from]);
    }
    // Each version file is in one of the engine's wheels.
    const found = (v) => v?.file && members[v.file] && v.pattern.exec(members[v.file].toString())?.[1];
    version = found(engine.version) || version;
    headerVersion = found(engine.headerVersion) || headerVersion;
  }
  const info = {
    engine: name,
    version,
    ...(headerVersion && { headerVersion }),
    source: engine.sources.map((s) => `${s.pypi.name}==${s.pypi.version} (PyPI)`).join(" + "),
    sha256s: pins,
  };
  writeFileSync(marker, JSON.stringify(info, null, 2) + "\n");
  console.log(`wgpu-ts: installed ${name} ${version} in ${dest}`);
}

const wanted = process.argv.slice(2);
for (const [name, spec] of Object.entries(engines)) {
  if (wanted.length === 0 || wanted.includes(name)) install(name, spec);
}
