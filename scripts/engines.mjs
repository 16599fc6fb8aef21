// The engines' pins, per engine and platform, and how one build of an engine is laid out in a directory
// (lib/, include/, LICENSES/, ENGINE.json). install-engines.mjs lays them in the checkout's vendor/engines/;
// engine-packages.mjs lays them in the npm packages @wgpu-ts/<engine>-<platform>. Each engine comes from a
// pinned registry package, checked by its sha256: never a committed binary. Building needs python3 and pip
// (pip download, zipfile); a user's `npm install wgpu-ts` needs neither.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const cacheDir = join(root, "vendor", "cache");

/**
 * The platforms, named as Node names them (`${process.platform}-${process.arch}`), with the npm os/cpu/libc
 * fields of their packages. `tested` says where CI runs the engines (the other builds are pinned and
 * packaged the same way, and have not been run). `released` platforms are in the main package's
 * optionalDependencies: only packages that the release publishes may be named there.
 */
export const platforms = {
  "linux-x64": { os: "linux", cpu: "x64", libc: "glibc", tested: true, released: true },
  "linux-arm64": { os: "linux", cpu: "arm64", libc: "glibc", tested: false, released: false },
  "darwin-x64": { os: "darwin", cpu: "x64", tested: false, released: false },
  "darwin-arm64": { os: "darwin", cpu: "arm64", tested: false, released: false },
  "win32-x64": { os: "win32", cpu: "x64", tested: false, released: false },
};

/** The platform this process runs on, or undefined when no engine is pinned for it. */
export const hostPlatform = `${process.platform}-${process.arch}`;

/** A wheel of the wgpu 0.32.0 release on one platform: wgpu-native's library and its headers. */
const wgpuWheel = (platform, wheelTag, sha256, library) => ({
  pypi: { name: "wgpu", version: "0.32.0", platform },
  wheel: `wgpu-0.32.0-py3-none-${wheelTag}.whl`,
  sha256,
  files: {
    [`wgpu/resources/${library.from}`]: `lib/${library.to}`,
    "wgpu/resources/webgpu.h": "include/webgpu.h",
    "wgpu/resources/wgpu.h": "include/wgpu.h",
    "wgpu/resources/webgpu.idl": "include/webgpu.idl",
    "wgpu-0.32.0.dist-info/licenses/LICENSE": "LICENSES/wgpu-py-LICENSE.txt",
  },
});

/** wgpudawn's wheel: Dawn's webgpu.h (the same text on every platform, so one wheel serves them all). */
const dawnHeader = {
  pypi: { name: "wgpudawn", version: "0.32.0.4", platform: "manylinux_2_28_x86_64" },
  wheel: "wgpudawn-0.32.0.4-cp311-abi3-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
  sha256: "4b99a6f0a386778694c6a7ecde658e848d9b3d6c3a33215581200c9cd619958f",
  files: {
    "wgpudawn/_lib/webgpu_cdef.h": "include/webgpu.h",
    "wgpudawn-0.32.0.4.dist-info/licenses/LICENSES/DAWN-LICENSE": "LICENSES/DAWN-LICENSE.txt",
  },
  transform: { "wgpudawn/_lib/webgpu_cdef.h": cdefToHeader },
};

/** rillfacet's wheel: Dawn's own monolithic library, with the licences of Dawn and what it links in. */
const rillfacetWheel = (platform, wheelTag, sha256, library) => ({
  pypi: { name: "rillfacet", version: "0.1.3", platform },
  wheel: `rillfacet-0.1.3-cp311-cp311-${wheelTag}.whl`,
  sha256,
  files: {
    [`rillfacet/${library.from}`]: `lib/${library.to}`,
    "rillfacet-0.1.3.dist-info/licenses/THIRD_PARTY_LICENSES.txt": "LICENSES/DAWN-AND-DEPENDENCIES.txt",
    "rillfacet-0.1.3.dist-info/licenses/LICENSE": "LICENSES/rillfacet-LICENSE.txt",
  },
});

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
 *   else of its own. We take that library (it has a Windows wheel too, and none for macOS).
 * Dawn's header agrees with wgpu-native's webgpu.h on every shared function signature, struct layout
 * (86 structs) and enum value (493); test/abi.test.ts checks it with a compiled probe.
 *
 * Each build names its library (the path in the laid-out directory, which ENGINE.json records) and the
 * wheels it comes from; `licenses` are the engine's licence texts kept in this repository (for an
 * engine whose wheels do not carry them).
 */
export const engines = {
  "wgpu-native": {
    description: "wgpu-native (gfx-rs's wgpu behind webgpu.h)",
    license: "(MIT OR Apache-2.0) AND MIT",
    licenses: {
      "scripts/engine-licenses/wgpu-native/LICENSE.MIT": "LICENSES/wgpu-native-LICENSE.MIT.txt",
      "scripts/engine-licenses/wgpu-native/LICENSE.APACHE": "LICENSES/wgpu-native-LICENSE.APACHE.txt",
    },
    version: { file: "wgpu/backends/wgpu_native/__init__.py", pattern: /__version__ = "([^"]+)"/ },
    builds: {
      "linux-x64": {
        library: "lib/libwgpu_native.so",
        sources: [
          wgpuWheel("manylinux_2_28_x86_64", "manylinux_2_28_x86_64", "6499a31b5a29a10b4f1089fea4a0806411f42605fa86b6c0b543a07ca0de8568", {
            from: "libwgpu_native-release.so",
            to: "libwgpu_native.so",
          }),
        ],
      },
      "linux-arm64": {
        library: "lib/libwgpu_native.so",
        sources: [
          wgpuWheel("manylinux_2_28_aarch64", "manylinux_2_28_aarch64", "00454ba1bc794d38c8365f4ad29f381b88ce0a7f115133bfaa6f1dfad7eb2764", {
            from: "libwgpu_native-release.so",
            to: "libwgpu_native.so",
          }),
        ],
      },
      "darwin-x64": {
        library: "lib/libwgpu_native.dylib",
        sources: [
          wgpuWheel("macosx_10_9_x86_64", "macosx_10_9_x86_64", "cfd3967616a3c42e2b7a234407df38668c697f5aa505d56e0814d647b6746302", {
            from: "libwgpu_native-release.dylib",
            to: "libwgpu_native.dylib",
          }),
        ],
      },
      "darwin-arm64": {
        library: "lib/libwgpu_native.dylib",
        sources: [
          wgpuWheel("macosx_11_0_arm64", "macosx_11_0_arm64", "6c3f654ea01ab2de8a2903354ced02a3c6ef161d0fba1aa4fea60aa86d021908", {
            from: "libwgpu_native-release.dylib",
            to: "libwgpu_native.dylib",
          }),
        ],
      },
      "win32-x64": {
        library: "lib/wgpu_native.dll",
        sources: [
          wgpuWheel("win_amd64", "win_amd64", "493c8a0425c7d3cc728a2489bce40d1a016d800306e59763ff1b21e176e66323", {
            from: "wgpu_native-release.dll",
            to: "wgpu_native.dll",
          }),
        ],
      },
    },
  },
  dawn: {
    description: "Dawn (Chromium's WebGPU implementation)",
    license: "SEE LICENSE IN LICENSES",
    licenses: {},
    // Dawn has no version call and rillfacet does not name its Dawn revision: the package names the build.
    version: { label: "rillfacet-0.1.3" },
    headerVersion: { file: "wgpudawn/_lib/__init__.py", pattern: /dawn_version = "([^"]+)"/ },
    builds: {
      "linux-x64": {
        library: "lib/libwebgpu_dawn.so",
        sources: [
          rillfacetWheel(
            "manylinux_2_28_x86_64",
            "manylinux_2_27_x86_64.manylinux_2_28_x86_64",
            "b333f2c4c84df2f1105e4d0146e3c7aae8dd2200a0b6c7ded74c38e8ca0a5f93",
            { from: "libwebgpu_dawn.so", to: "libwebgpu_dawn.so" },
          ),
          dawnHeader,
        ],
      },
      "win32-x64": {
        library: "lib/webgpu_dawn.dll",
        sources: [
          rillfacetWheel("win_amd64", "win_amd64", "5503f35f3887034d2d8b02ef629b809c3e7c7f2ca9fd091c278b98f159abed3f", {
            from: "webgpu_dawn.dll",
            to: "webgpu_dawn.dll",
          }),
          dawnHeader,
        ],
      },
    },
  },
};

/** The npm package of an engine on a platform. */
export const packageName = (engine, platform) => `@wgpu-ts/${engine}-${platform}`;

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
    "// Dawn's webgpu.h (Emdawnwebgpu subset) from wgpudawn's cffi cdef, made compilable by scripts/engines.mjs.",
    "#ifndef WEBGPU_H_",
    "#define WEBGPU_H_",
    "#include <stdint.h>",
    "#include <stddef.h>",
    body,
    "#endif",
    "",
  ].join("\n");
}

export function sha256(path) {
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
      // pip's own progress bar on a terminal (a wheel is 10-30 MB); quiet in logs
      ...(process.stdout.isTTY ? ["--progress-bar", "on"] : ["--quiet"]),
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

/** The build of `name` for `platform`, or a clear error naming the platforms that have one. */
export function engineBuild(name, platform) {
  const build = engines[name]?.builds[platform];
  if (!build) throw new Error(`wgpu-ts: no ${name} build is pinned for ${platform} (pinned: ${Object.keys(engines[name]?.builds ?? {}).join(", ")})`);
  return build;
}

/**
 * Lays out engine `name` for `platform` in `dest` (emptied first): the library, its headers, licence
 * texts and ENGINE.json (engine, version, header version, library, provenance). Returns ENGINE.json's object.
 */
export function layOut(name, platform, dest) {
  const engine = engines[name];
  const build = engineBuild(name, platform);
  rmSync(dest, { recursive: true, force: true });
  let version = engine.version.label ?? "unknown";
  let headerVersion;
  for (const spec of build.sources) {
    const wheel = fetchWheel(spec);
    const versionFiles = [engine.version.file, engine.headerVersion?.file].filter(Boolean);
    const members = readZipMembers(wheel, [...Object.keys(spec.files), ...versionFiles]);
    for (const [from, to] of Object.entries(spec.files)) {
      if (!members[from]) throw new Error(`${spec.wheel} has no ${from}`);
      mkdirSync(dirname(join(dest, to)), { recursive: true });
      const transform = spec.transform?.[from];
      writeFileSync(join(dest, to), transform ? transform(members[from].toString()) : members[from]);
    }
    // Each version file is in one of the engine's wheels.
    const found = (v) => v?.file && members[v.file] && v.pattern.exec(members[v.file].toString())?.[1];
    version = found(engine.version) || version;
    headerVersion = found(engine.headerVersion) || headerVersion;
  }
  for (const [from, to] of Object.entries(engine.licenses)) {
    mkdirSync(dirname(join(dest, to)), { recursive: true });
    writeFileSync(join(dest, to), readFileSync(join(root, from)));
  }
  const info = {
    engine: name,
    version,
    ...(headerVersion && { headerVersion }),
    platform,
    library: build.library,
    source: build.sources.map((s) => `${s.pypi.name}==${s.pypi.version} (PyPI)`).join(" + "),
    sources: build.sources.map((s) => ({ registry: "PyPI", package: s.pypi.name, version: s.pypi.version, file: s.wheel, sha256: s.sha256 })),
    sha256s: build.sources.map((s) => s.sha256),
  };
  writeFileSync(join(dest, "ENGINE.json"), JSON.stringify(info, null, 2) + "\n");
  return info;
}
