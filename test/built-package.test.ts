// The built package (dist/ is an esbuild bundle, scripts/bundle.mjs) in a child process: what
// depends on where its code sits must hold there as it does in src/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const fixture = fileURLToPath(new URL("./fixtures/built-package.mjs", import.meta.url));
const badLine =
  readFileSync(fixture, "utf8")
    .split("\n")
    .findIndex((l) => l.includes("// BAD-CALL")) + 1;

for (const sourceMaps of [false, true]) {
  test(`from dist${sourceMaps ? " with --enable-source-maps" : ""}: an uncaptured error names the caller's line, and both exports share one runtime`, () => {
    const r = spawnSync(process.execPath, [...(sourceMaps ? ["--enable-source-maps"] : []), fixture], {
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, WGPU_STRICT: "", WGPU_LOG_LEVEL: "" },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout.trim().split("\n").pop()!), { shared: "one instance" });
    const report = r.stderr.split("\n").find((l) => l.startsWith("wgpu-ts: uncaptured"));
    assert.ok(report, r.stderr);
    assert.match(report, new RegExp(`on device "built device".* at .*built-package\\.mjs:${badLine}:\\d+`), r.stderr);
  });
}

test("the built package is a bundle: its entry points and shared chunks that they import, no stray modules", () => {
  // A module left beside the bundle would be a second copy of some state if anything imported it.
  const dist = fileURLToPath(new URL("../dist/", import.meta.url));
  const r = spawnSync("find", [dist, "-name", "*.js"], { encoding: "utf8" });
  const files = r.stdout
    .trim()
    .split("\n")
    .map((f) => f.slice(dist.length))
    .sort();
  assert.deepEqual(
    files.filter((f) => !/^wgpu-ts-\w+\.js$/.test(f)),
    ["auto.js", "browser.js", "cli/wgpu-ts.js", "extras.js", "index.js"],
  );
  const chunks = files.filter((f) => /^wgpu-ts-\w+\.js$/.test(f));
  assert.ok(chunks.length >= 1, files.join(", "));
  const sources = files.map((f) => readFileSync(join(dist, f), "utf8"));
  for (const chunk of chunks) {
    assert.ok(
      sources.some((source) => source.includes(`"./${chunk}"`) || source.includes(`"../${chunk}"`)),
      `${chunk} is imported by an entry point or another chunk`,
    );
  }
});
