// `npm run cts` itself (scripts/cts.mjs), on four CTS cases and a fake provider
// (test/fixtures/cts-fake-provider.cjs) whose requestAdapter fails one case, kills the process in
// another and hangs in a third: each outcome is recorded, the runner goes on after the crash and the
// hang, and the results are compared with an expectations file as documented. Seconds, not minutes.
// Without the CTS source tree (../shared/cts) this fails in CI and skips elsewhere.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compare, matcher, parseExpectations, updateExpectations } from "../scripts/cts-expectations.mjs";
import { engine } from "./helpers/engine.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const ctsDir = [process.env.WGPU_TS_CTS, join(root, "shared/cts"), join(root, "../shared/cts"), join(root, "../../shared/cts")].find(
  (d) => d && existsSync(join(d, "src/common/runtime/cmdline.ts")),
);
const problem = ctsDir ? undefined : "the CTS source tree (../shared/cts) is not there";
if (problem && process.env.CI) throw new Error(`cts-runner tests: ${problem}`);
if (problem) console.log(`cts-runner tests skipped: ${problem}`);

const file = "webgpu:api,operation,adapter,requestAdapter";
const nullAdapter = `${file}:requestAdapter:powerPreference="_undef_";forceFallbackAdapter="_undef_"`;
const crash = `${file}:requestAdapter:powerPreference="low-power";forceFallbackAdapter=false`;
const hang = `${file}:requestAdapter:powerPreference="high-performance";forceFallbackAdapter=false`;
const passing = `${file}:requestAdapter_invalid_featureLevel:featureLevel="core"`;

test(`npm run cts records a failure, a crash and a hang and compares them with the expectations (${engine})`, problem ? { skip: problem } : {}, () => {
  const work = mkdtempSync(join(tmpdir(), "wgpu-ts-cts-runner-"));
  try {
    const header = "# a header comment, kept by an update";
    writeFileSync(
      join(work, `${engine}.txt`),
      [
        header,
        `${nullAdapter} # the fake provider's requestAdapter returns null here`,
        `${file}:requestAdapter:powerPreference="high-performance";* [timeout] # the fake provider hangs here`,
        `${passing} # listed, but it passes`,
      ].join("\n"),
    );
    const r = spawnSync(
      process.execPath,
      [join(root, "scripts/cts.mjs"), "--engine", engine, "--timeout", "3", "--provider", join(root, "test/fixtures/cts-fake-provider.cjs")].concat([
        "--out",
        join(work, "out"),
        "--expectations",
        work,
        "--cts",
        ctsDir as string,
        nullAdapter,
        crash,
        hang,
        passing,
      ]),
      { encoding: "utf8", timeout: 120_000 },
    );
    const output = `${r.stdout}\n${r.stderr}`;
    assert.equal(r.status, 1, `the unlisted crash fails the run:\n${output}`);
    const results = JSON.parse(readFileSync(join(work, "out", engine, "results.json"), "utf8")) as { case: string; status: string; message: string }[];
    assert.deepEqual(
      results.map((x) => [x.case, x.status]),
      [
        [nullAdapter, "fail"],
        [crash, "crash"],
        [hang, "timeout"],
        [passing, "pass"],
      ],
      output,
    );
    assert.match(results[1].message, /SIGKILL/);
    assert.match(results[2].message, /no result within 3 s/);
    const changes = readFileSync(join(work, "out", engine, "changes.txt"), "utf8");
    assert.equal(changes.trim(), `NEW crash: ${crash}\n    ${results[1].message}\nnow passes (listed as fail): ${passing}`);
    assert.match(output, /2 expected failures, 1 new, 1 listed that now pass/);
    assert.match(readFileSync(join(work, "out", engine, "summary.txt"), "utf8"), /4 cases, 1 pass, 1 fail, 0 skip, 2 crash\/timeout/);

    // --update-expectations' rewrite (sorted): the passing line goes, the crash gets a line, the rest stays.
    const updated = updateExpectations(parseExpectations(readFileSync(join(work, `${engine}.txt`), "utf8")), results);
    assert.equal(
      updated,
      [
        header,
        `${nullAdapter} # the fake provider's requestAdapter returns null here`,
        `${file}:requestAdapter:powerPreference="high-performance";* [timeout] # the fake provider hangs here`,
        `${crash} [crash] # ${results[1].message}`,
        "",
      ].join("\n"),
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test("expectations files: exact lines win over wildcards, the longest wildcard over shorter ones; a line needs a reason", () => {
  const { entries } = parseExpectations(
    ["# header", "webgpu:a,b:* # all of b", "webgpu:a,b:t:* [crash,fail] # test t", "webgpu:a,b:t:x=1 [timeout] # one case"].join("\n"),
  );
  const find = matcher(entries);
  assert.equal(find("webgpu:a,b:t:x=1")?.reason, "one case");
  assert.equal(find("webgpu:a,b:t:x=2")?.reason, "test t");
  assert.equal(find("webgpu:a,b:u:x=2")?.reason, "all of b");
  assert.equal(find("webgpu:a,c:u:x=2"), undefined);
  const cmp = compare(
    [
      { case: "webgpu:a,b:t:x=1", status: "fail", message: "" },
      { case: "webgpu:a,b:t:x=2", status: "crash", message: "" },
      { case: "webgpu:a,c:t:x=2", status: "skip", message: "" },
    ],
    { header: [], entries },
  );
  assert.deepEqual(
    [cmp.expected.length, cmp.unexpected.map((r) => r.case), cmp.nowPass.length],
    [1, ["webgpu:a,b:t:x=1"], 0],
    "a fail where only a timeout is expected is new",
  );
  assert.throws(() => parseExpectations("webgpu:a,b:t:x=1"), /needs a reason/);
  assert.throws(() => parseExpectations("webgpu:a,b:t:x=1 [oops] # why"), /unknown status oops/);
});
