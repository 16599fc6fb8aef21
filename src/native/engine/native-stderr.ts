// Dawn writes a few warnings straight to the process's stderr (dawn::WarningLog, not through any
// callback): discovering the adapters it prints two "artificially reduced" limit warnings on
// lavapipe. The call that discovers them runs with file descriptor 2 pointed at a temporary file,
// and what the engine wrote there goes to wgpu-ts's logger instead (WGPU_LOG_LEVEL, setLogger).
import { closeSync, openSync, readSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import koffi from "koffi";
import { log, type LogLevel } from "../../api/logger.ts";

type Fd = (fd: number) => number;
let libc: { dup: Fd; dup2: (from: number, to: number) => number } | null | undefined;

function loadLibc(): typeof libc {
  if (libc !== undefined) return libc;
  try {
    const lib = koffi.load(process.platform === "darwin" ? "libSystem.B.dylib" : "libc.so.6");
    libc = { dup: lib.func("int dup(int)") as Fd, dup2: lib.func("int dup2(int, int)") as (a: number, b: number) => number };
  } catch {
    libc = null; // no libc to redirect with: the engine's text stays on stderr
  }
  return libc;
}

const severities: Record<string, Exclude<LogLevel, "off">> = { Debug: "debug", Info: "info", Warning: "warn", Error: "error" };

/** Runs `f` with the engine's writes to stderr captured, and logs each line they held as `source`'s. */
export function routeNativeStderr<T>(source: string, f: () => T): T {
  const c = loadLibc();
  if (!c) return f();
  // node:os is not loaded at Node's start (~1.5 ms of every start to import): only this Dawn path needs it.
  const path = join(process.getBuiltinModule("node:os").tmpdir(), `wgpu-ts-stderr-${process.pid}-${Date.now()}`);
  const fd = openSync(path, "w+");
  unlinkSync(path);
  const saved = c.dup(2);
  if (saved < 0 || c.dup2(fd, 2) < 0) {
    if (saved >= 0) closeSync(saved);
    closeSync(fd);
    return f();
  }
  try {
    return f();
  } finally {
    c.dup2(saved, 2);
    closeSync(saved);
    const chunks: Buffer[] = [];
    const chunk = Buffer.alloc(65536);
    for (let n: number, at = 0; (n = readSync(fd, chunk, 0, chunk.length, at)) > 0; at += n) chunks.push(Buffer.from(chunk.subarray(0, n)));
    closeSync(fd);
    for (const line of Buffer.concat(chunks).toString("utf8").split("\n")) {
      if (!line.trim()) continue;
      // Dawn's lines are "Severity: message".
      const m = /^(Debug|Info|Warning|Error): (.*)$/.exec(line);
      log(m ? severities[m[1]] : "warn", m ? m[2] : line, source);
    }
  }
}
