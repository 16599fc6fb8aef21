// A small logger with levels, which the engine's own log messages reach (WGPU_LOG_LEVEL).
// Engine-agnostic: each engine's module (native/extras/wgpu-native.ts, dawn.ts) feeds it.
import { OncePrinter } from "./print-once.ts";

export const logLevels = ["off", "error", "warn", "info", "debug", "trace"] as const;
export type LogLevel = (typeof logLevels)[number];

/** Receives every message at or above the current level. */
export type LogSink = (level: Exclude<LogLevel, "off">, message: string, source: string) => void;

// Engines repeat their warnings per call (wgpu-native warns on every pass with a depth slice): the
// default sink prints each message once and counts the repeats.
const printer = new OncePrinter();
const defaultSink: LogSink = (level, message, source) => {
  const line = `${source} [${level}]: ${message}`;
  printer.print(line, () => `${line}\n`);
};

/** The level from WGPU_LOG_LEVEL (a name or 0-5); warnings and errors when unset. */
export function levelFromEnv(value = process.env.WGPU_LOG_LEVEL): LogLevel {
  if (value === undefined || value === "") return "warn";
  const v = value.trim().toLowerCase();
  if ((logLevels as readonly string[]).includes(v)) return v as LogLevel;
  if (v === "warning") return "warn";
  const n = Number(v);
  if (Number.isInteger(n) && n >= 0 && n < logLevels.length) return logLevels[n];
  process.stderr.write(`wgpu-ts: WGPU_LOG_LEVEL=${value} is not one of ${logLevels.join(", ")} (or 0-5); using "warn"\n`);
  return "warn";
}

let level: LogLevel | undefined;
let sink: LogSink = defaultSink;
const levelListeners: ((level: LogLevel) => void)[] = [];

export function getLogLevel(): LogLevel {
  return (level ??= levelFromEnv());
}

/** Sets how much the engine logs (and what reaches the sink): "off", "error", "warn", "info", "debug" or "trace". */
export function setLogLevel(value: LogLevel): void {
  if (!(logLevels as readonly unknown[]).includes(value)) {
    throw new TypeError(`setLogLevel: level (${String(value)}) must be one of ${logLevels.map((l) => `"${l}"`).join(", ")}`);
  }
  level = value;
  for (const f of levelListeners) f(value);
}

/** Replaces where log messages go (stderr by default); null restores the default. */
export function setLogger(value: LogSink | null): void {
  if (value !== null && typeof value !== "function") throw new TypeError("setLogger: logger must be a function or null");
  sink = value ?? defaultSink;
}

/** @internal An engine's module follows the level with this (its own filter saves crossing FFI). */
export function onLogLevel(f: (level: LogLevel) => void): void {
  levelListeners.push(f);
  f(getLogLevel());
}

let muted = 0;

/**
 * @internal Runs `f` with the engine's log dropped: for the engine calls wgpu-ts makes on its own
 * (volume-init.ts's per-slice clears made wgpu-native warn ~180k times in npm test), whose
 * messages say nothing about the user's calls.
 */
export function withLogMuted<T>(f: () => T): T {
  muted++;
  try {
    return f();
  } finally {
    muted--;
  }
}

/** @internal Passes one message on, if the level lets it through; never throws into the engine. */
export function log(messageLevel: Exclude<LogLevel, "off">, message: string, source: string): void {
  if (muted > 0 || logLevels.indexOf(messageLevel) > logLevels.indexOf(getLogLevel())) return;
  try {
    sink(messageLevel, message, source);
  } catch (e) {
    process.stderr.write(`wgpu-ts: the logger threw: ${String(e)}\n`);
  }
}
