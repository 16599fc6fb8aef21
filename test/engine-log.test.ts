// The engine's log reaches wgpu-ts's logger whatever way the engine writes it (a callback, or
// Dawn's straight writes to stderr), and wgpu-ts's own engine calls add nothing to it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { log, setLogger, withLogMuted } from "../src/api/logger.ts";
import { engine, engineSkip } from "./helpers/engine.ts";

const fixture = fileURLToPath(new URL("./fixtures/engine-log.ts", import.meta.url));

function child(level: string, mode = "collect") {
  const r = spawnSync(process.execPath, ["--import", "tsx", fixture, mode], {
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, WGPU_LOG_LEVEL: level },
  });
  assert.equal(r.status, 0, r.stderr);
  return { logged: mode === "collect" ? (JSON.parse(r.stdout) as { level: string; source: string; message: string }[]) : [], stderr: r.stderr };
}

test("withLogMuted drops the messages of the calls inside it, and only those", () => {
  const got: string[] = [];
  setLogger((_level, message) => void got.push(message));
  try {
    withLogMuted(() => log("error", "inside", "test"));
    log("error", "outside", "test");
  } finally {
    setLogger(null);
  }
  assert.deepEqual(got, ["outside"]);
});

test(`a device and a 3D render attachment print nothing to stderr, and wgpu-ts's slice clears log nothing (${engine})`, () => {
  const { logged, stderr } = child("trace");
  assert.equal(stderr, "", "everything the engine says goes to the logger");
  assert.deepEqual(
    logged.filter((m) => /depth slice/i.test(m.message)),
    [],
  );
  // With the default logger and the log off, nothing at all.
  assert.equal(child("off", "default").stderr, "");
});

test(
  "Dawn's warnings written to stderr while it finds its adapters reach the logger with their level",
  engineSkip("wgpu-native", "wgpu-native logs through wgpuSetLogCallback only: it writes nothing to stderr itself"),
  () => {
    const { logged } = child("warn");
    const dawn = logged.filter((m) => m.source === "dawn");
    assert.ok(
      dawn.some((m) => m.level === "warn" && /artificially reduced/.test(m.message)),
      JSON.stringify(logged),
    );
    assert.ok(
      dawn.every((m) => !/^Warning:/.test(m.message)),
      "the severity prefix becomes the level",
    );
    assert.deepEqual(
      child("error").logged.filter((m) => m.source === "dawn"),
      [],
    );
  },
);
