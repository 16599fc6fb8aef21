// The wgpu-ts command as shipped (dist/cli/wgpu-ts.js, built by npm test's pretest), on real
// files, on the engine under test: each command, its help, and its mistakes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import nodeModule from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { decodeNpy } from "../src/cli/arrays.ts";
import { readPng } from "../src/utils/image.ts";
import { engine } from "./helpers/engine.ts";
import { displayStackProblem, startXvfb } from "./helpers/x11.ts";
import { expectImage } from "./helpers/pixels.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const fixture = (name: string) => join(root, "test", "fixtures", "cli", name);
const work = mkdtempSync(join(tmpdir(), "wgpu-ts-cli-"));
test.after(() => rmSync(work, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(root, "dist", "cli", "wgpu-ts.js"), ...args], {
    cwd: work,
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, WGPU_ENGINE: engine, WGPU_LOG_LEVEL: "error", ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const noStack = (text: string) => assert.doesNotMatch(text, /^\s+at /m, `no stack trace:\n${text}`);

test("--version, --help on every command, and command-line mistakes are one line with exit status 2", () => {
  const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;
  assert.equal(cli(["--version"]).stdout.trim(), version);
  const help = cli(["--help"]);
  assert.equal(help.status, 0);
  for (const name of ["info", "validate", "run", "shadertoy"]) {
    assert.match(help.stdout, new RegExp(`^  ${name} `, "m"));
    const r = cli([name, "--help"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^usage: wgpu-ts ${name} `));
    assert.match(r.stdout, /--help/);
  }
  for (const [args, message] of [
    [["run", fixture("double.wgsl"), "--bogus"], /^wgpu-ts run: unknown option '--bogus' \(see wgpu-ts run --help\)$/],
    [["info", "--json=yes"], /^wgpu-ts info: option '--json' does not take an argument/],
    [["validate"], /^wgpu-ts validate: missing FILE\.wgsl/],
    [["frobnicate"], /^wgpu-ts: unknown command "frobnicate"/],
    [["--frobnicate"], /^wgpu-ts: unknown option '--frobnicate'/],
    [["shadertoy", fixture("gradient.wgsl"), "--size", "64"], /^wgpu-ts shadertoy: --size \(64\) must be 2 integers/],
    [["run", fixture("double.wgsl"), "-o", "1:u32:2", "-o", "indices:u32:2"], /^wgpu-ts run: --output indices: @binding\(1\) is given twice/],
    [
      ["run", fixture("double.wgsl"), "--input", "nope=[1]", "--output", "data:f32:1"],
      /declares no storage buffer of group 0 named "nope" \(declared: data \(@binding\(0\)\), indices \(@binding\(1\)\)\)/,
    ],
  ] as const) {
    const r = cli([...args]);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.match(r.stderr.trim(), message);
  }
});

test("the command turns on Node's compile cache (in os.tmpdir() by default), unless NODE_DISABLE_COMPILE_CACHE=1 or this Node has none", () => {
  const supported = typeof nodeModule.enableCompileCache === "function"; // Node 22.1+
  for (const disabled of [false, true]) {
    const tmp = mkdtempSync(join(work, "tmp-"));
    const { NODE_COMPILE_CACHE: _, NODE_DISABLE_COMPILE_CACHE: __, ...env } = process.env;
    if (disabled) env.NODE_DISABLE_COMPILE_CACHE = "1";
    const r = spawnSync(process.execPath, [join(root, "dist", "cli", "wgpu-ts.js"), "--version"], { encoding: "utf8", env: { ...env, TMPDIR: tmp } });
    assert.equal(r.status, 0, r.stderr);
    const cached = existsSync(join(tmp, "node-compile-cache")) ? readdirSync(join(tmp, "node-compile-cache")) : [];
    assert.equal(cached.length > 0, supported && !disabled, `compile cache in ${tmp}: ${cached.join(", ")}`);
  }
});

test(`info prints the report, as text and as JSON (${engine})`, () => {
  const text = cli(["info"]);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, new RegExp(`^Engine: ${engine} `, "m"));
  assert.match(text.stdout, /^Adapter 0: /m);
  const json = cli(["info", "--json", "--engine", engine]);
  assert.equal(json.status, 0, json.stderr);
  const report = JSON.parse(json.stdout) as { engine: { name: string }; adapters: unknown[] };
  assert.equal(report.engine.name, engine);
  assert.ok(report.adapters.length >= 1);
  assert.equal(cli(["info", "--engine", "glide"]).status, 2);
});

test("info without an engine says what is missing, with no stack trace", () => {
  const r = cli(["info"], { WGPU_LIB_PATH: join(work, "libnothing.so") });
  assert.equal(r.status, 1);
  assert.match(r.stdout, /^Engine: none loaded$/m);
  assert.match(r.stdout, /libnothing\.so \(WGPU_LIB_PATH\): no such file/);
  assert.match(r.stdout, /npm run setup/);
  assert.match(r.stdout, /^ {2}node +v\d+/m);
  noStack(r.stdout + r.stderr);
  const json = cli(["info", "--json"], { WGPU_LIB_PATH: join(work, "libnothing.so") });
  const parsed = JSON.parse(json.stdout) as { engine: null; error: string; versions: { wgpuTs: string } };
  assert.equal(parsed.engine, null);
  assert.match(parsed.error, /could not load a WebGPU engine/);
});

test(`validate: a valid file is OK; an invalid one gives line, column, the line and a caret, exit status 1 (${engine})`, () => {
  const ok = cli(["validate", fixture("double.wgsl")]);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /double\.wgsl: OK/);
  const bad = cli(["validate", fixture("invalid.wgsl")]);
  assert.equal(bad.status, 1, bad.stdout + bad.stderr);
  const lines = bad.stdout.split("\n");
  const at = lines.findIndex((l) => /invalid\.wgsl:5:7: error: .*(f32|u32)/.test(l));
  assert.ok(at >= 0, bad.stdout);
  assert.equal(lines[at + 2], "5 |   let x: f32 = 1u;");
  assert.match(lines[at + 3], /^ {2}\| {7}\^+$/);
  assert.match(bad.stdout, /invalid\.wgsl: 1 error$/m);
  noStack(bad.stdout + bad.stderr);
});

test(`run: inputs inline and from .npy and .bin files, outputs printed and written as .npy, .json and .bin (${engine})`, () => {
  const printed = cli(["run", fixture("double.wgsl"), "--input", "data=[1, 2, 3, 4.5]", "--output", "data:f32", "--output", "indices:u32:4"]);
  assert.equal(printed.status, 0, printed.stderr);
  assert.equal(printed.stdout, "data: [2,4,6,9]\nindices: [0,1,2,3]\n");

  const files = cli(["run", fixture("double.wgsl"), "-i", "0=[0.5, -1]", "-o", "data:f32=data.npy", "-o", "1:u32:2=indices.json"]);
  assert.equal(files.status, 0, files.stderr);
  assert.deepEqual(Array.from(decodeNpy(readFileSync(join(work, "data.npy")), "data.npy")), [1, -2]);
  assert.deepEqual(JSON.parse(readFileSync(join(work, "indices.json"), "utf8")), [0, 1]);
  assert.equal(cli(["run", fixture("double.wgsl"), "-i", "0=[0.5, -1]", "-o", "indices:u32:2=indices.bin"]).status, 0);
  assert.deepEqual(Array.from(new Uint32Array(new Uint8Array(readFileSync(join(work, "indices.bin"))).buffer)), [0, 1]);

  // The .npy written above as an input, a raw .bin as another, and fewer workgroups than elements.
  writeFileSync(join(work, "indices-in.bin"), new Uint8Array(Uint32Array.of(7, 7, 7).buffer));
  writeFileSync(join(work, "three.json"), "[10, 20, 30]");
  const again = cli([
    "run",
    fixture("double.wgsl"),
    "-i",
    "data=three.json",
    "-i",
    "indices=indices-in.bin",
    "-o",
    "data:f32",
    "-o",
    "indices:u32",
    "--workgroups",
    "2",
  ]);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(again.stdout, "data: [20,40,30]\nindices: [0,1,7]\n");
  const npy = cli(["run", fixture("double.wgsl"), "-i", "data=data.npy", "-o", "data:f32", "-o", "indices:u32:2"]);
  assert.equal(npy.stdout, "data: [2,-4]\nindices: [0,1]\n");

  const broken = cli(["run", fixture("invalid.wgsl"), "-i", "data=[1]", "-o", "data:f32"]);
  assert.equal(broken.status, 1);
  noStack(broken.stderr);
});

test(`shadertoy renders a frame like the reference, and frames that move with time (${engine})`, () => {
  const one = cli(["shadertoy", fixture("gradient.wgsl"), "--size", "64x48", "--mouse", "20,16", "--time", "0.5", "--out", "frame.png"]);
  assert.equal(one.status, 0, one.stderr);
  assert.match(one.stderr, /wrote frame\.png \(1 frame, 64x48\)/);
  expectImage("shadertoy-gradient", readPng(join(work, "frame.png")), { tolerance: 2 });

  const anim = cli(["shadertoy", fixture("gradient.wgsl"), "--size", "16x8", "--frames", "3", "--out", "anim.png"]);
  assert.equal(anim.status, 0, anim.stderr);
  assert.match(anim.stderr, /shadertoy: frames rendered: 3\/3/);
  const frames = ["anim-0000.png", "anim-0001.png", "anim-0002.png"].map((f) => readPng(join(work, f)));
  assert.notDeepEqual(frames[0].data, frames[2].data, "i_time moves the wave");

  const noDisplay = cli(["shadertoy", fixture("gradient.wgsl"), "--window"], { DISPLAY: "", WAYLAND_DISPLAY: "" });
  assert.equal(noDisplay.status, 1);
  assert.match(noDisplay.stderr, /createWindow: no display/);
  noStack(noDisplay.stderr);
  const broken = cli(["shadertoy", fixture("invalid.wgsl")]);
  assert.equal(broken.status, 1);
  assert.match(broken.stderr, /invalid\.wgsl:5:7: error/);
  noStack(broken.stderr);
});

const displayProblem = displayStackProblem();
test(
  `shadertoy --window draws its frames in a window and closes it after --frames (${engine})`,
  displayProblem && !process.env.CI ? { skip: displayProblem } : {},
  async () => {
    if (displayProblem && process.env.CI) throw new Error(displayProblem);
    const display = await startXvfb();
    try {
      const r = cli(["shadertoy", fixture("gradient.wgsl"), "--window", "--size", "64x48", "--frames", "3"], { DISPLAY: display.name });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /shadertoy: 3 frames in a window \(64x48\)/);
    } finally {
      display.stop();
    }
  },
);
