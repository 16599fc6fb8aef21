// The examples run unchanged on the engine under test (npm test runs this file once per engine).
// They import "wgpu-ts" (dist/, built by pretest), as a user's script would.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { engine } from "./helpers/engine.ts";

const examples: { file: string; args: string[]; expect: RegExp }[] = [{ file: "compute-matmul.ts", args: ["64"], expect: /matmul 64x64: OK/ }];

for (const { file, args, expect } of examples) {
  test(`examples/${file} runs on ${engine}`, () => {
    const path = fileURLToPath(new URL(`../examples/${file}`, import.meta.url));
    const r = spawnSync(process.execPath, ["--import", "tsx", path, ...args], { encoding: "utf8", env: { ...process.env, WGPU_ENGINE: engine } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, expect);
  });
}
