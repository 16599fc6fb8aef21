// The examples run as tests, unchanged, on the engine under test (npm test runs this file once per
// engine): each render example saves a PNG that must decode to its picture; the compute one checks
// itself against the CPU.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readPng } from "../src/utils/image.ts";
import { engine } from "./helpers/engine.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Runs examples/<name>.ts (it imports "wgpu-ts", the built package) on the engine under test; returns its output. */
function run(name: string, ...args: string[]): string {
  return execFileSync(process.execPath, ["--import", "tsx", join(root, "examples", `${name}.ts`), ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, WGPU_ENGINE: engine },
  });
}

/** Runs a render example and returns the image it saved. */
function runExample(name: string, ...args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), "wgpu-ts-example-"));
  try {
    const out = join(dir, `${name}.png`);
    const log = run(name, out, ...args);
    assert.match(log, /wrote /);
    return readPng(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** How many distinct colors an image has (a blank or one-color frame has 1). */
function colors(image: { data: Uint8Array }): number {
  const seen = new Set<number>();
  const v = new DataView(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  for (let i = 0; i < image.data.length; i += 4) seen.add(v.getUint32(i));
  return seen.size;
}

for (const name of ["triangle", "cube", "particles"]) {
  test(`examples/${name}.ts renders and saves a PNG (${engine})`, () => {
    const image = runExample(name);
    assert.equal(image.width, 128);
    assert.equal(image.height, 128);
    assert.ok(colors(image) > 20, `${name}: a picture, not a blank frame (${colors(image)} colors)`);
  });
}

test(`examples/compute-matmul.ts checks its product against the CPU (${engine})`, () => {
  assert.match(run("compute-matmul", "64"), /matmul 64x64: OK/);
});

test(`a render example run without arguments saves into examples/output/ (gitignored), not the repository root (${engine})`, () => {
  const out = join(root, "examples", "output", "triangle.png");
  rmSync(out, { force: true });
  assert.match(run("triangle"), /wrote .*examples[/\\]output[/\\]triangle\.png/);
  assert.equal(readPng(out).width, 128);
  assert.ok(!existsSync(join(root, "triangle.png")));
  // git check-ignore exits 1 (execFileSync throws) for a path that is not ignored.
  assert.doesNotThrow(() => execFileSync("git", ["check-ignore", "-q", out], { cwd: root, stdio: "ignore" }), "examples/output/ is gitignored");
});
