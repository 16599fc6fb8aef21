// report() and printReport(): what wgpu-ts runs on and what it holds, for bug reports and
// diagnostics (wgpu-py's print_report): versions, engine, every adapter with its features and
// limits, live objects and estimated bytes per class, and the engine's own object counts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import koffi from "koffi";
import { limitNames } from "../api/adapter-info.ts";
import { uncapturedErrorCounts } from "../api/uncaptured.ts";
import { engineObjectCounts, gpu, liveObjectBytes, liveObjectCounts, nativeRuntime, type EngineRegistryCounts, type GPUAdapter } from "../backend.ts";
import { mappedRangesAreViews } from "../native/buffer.ts";
import { packageRoot } from "../native/engine/package-root.ts";
import { commandPath } from "../native/replay/recorder.ts";

export interface AdapterReport {
  summary: string;
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  features: string[];
  limits: Record<string, number>;
}

export interface Report {
  versions: { wgpuTs: string; node: string; koffi: string; engine: string };
  engine: { name: string; version: string; libraryPath: string };
  /** Where the engine was found: "checkout", an npm package (@wgpu-ts/...), WGPU_LIB_PATH or the libPath option. */
  engineSource: string;
  /** Which path pass commands take: recorded and replayed by the helper, or one engine call each; and why. */
  commands: { path: "replay" | "direct"; helper: string | null; reason: string };
  node: string;
  /** How getMappedRange hands out memory on this runtime. */
  mappedRanges: "views" | "copies";
  /** The adapter requestAdapter() gives (or the one passed in). */
  adapter: AdapterReport | null;
  /** Every adapter the engine sees. */
  adapters: AdapterReport[];
  /** Live objects per class, counted on the JS side. */
  liveObjects: Record<string, number>;
  /** Estimated GPU memory per class (buffers: the sum of their sizes), on the JS side. */
  liveBytes: Record<string, number>;
  /** The engine's own counts per registry (wgpu-native's wgpuGenerateReport), or null. */
  engineObjects: Record<string, EngineRegistryCounts> | null;
  uncapturedErrors: Record<string, number>;
}

/** The version in wgpu-ts's package.json ("unknown" when it cannot be read). */
export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

/** The versions known without an engine: wgpu-ts, Node.js, koffi. */
export function baseVersions(): { wgpuTs: string; node: string; koffi: string } {
  return { wgpuTs: packageVersion(), node: process.version, koffi: String((koffi as { version?: string }).version ?? "unknown") };
}

function adapterReport(a: GPUAdapter): AdapterReport {
  const limits = a.limits as unknown as Record<string, number>;
  return {
    summary: a.summary,
    vendor: a.info.vendor,
    architecture: a.info.architecture,
    device: a.info.device,
    description: a.info.description,
    features: [...a.features].sort(),
    limits: Object.fromEntries(limitNames.map((n) => [n, limits[n]])),
  };
}

export function report(options: { adapter?: GPUAdapter } = {}): Report {
  const { engine, engineSource } = nativeRuntime();
  const adapter = options.adapter ?? gpu.requestAdapterSync();
  return {
    versions: { ...baseVersions(), engine: `${engine.name} ${engine.version}` },
    engine: { ...engine },
    engineSource,
    commands: commandPath(),
    node: process.version,
    mappedRanges: mappedRangesAreViews() ? "views" : "copies",
    adapter: adapter && adapterReport(adapter),
    adapters: gpu.enumerateAdaptersSync().map(adapterReport),
    liveObjects: liveObjectCounts(),
    liveBytes: liveObjectBytes(),
    engineObjects: engineObjectCounts(),
    uncapturedErrors: uncapturedErrorCounts(),
  };
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let u = -1;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}

function table(rows: (string | number)[][], header: string[]): string {
  const all = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  return all.map((r) => "  " + r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ")).join("\n");
}

/** Joins words with ", " into lines of at most `width` characters. */
function wrap(words: string[], width: number): string[] {
  const lines: string[] = [];
  for (const w of words) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 2 + w.length <= width) lines[last] += `, ${w}`;
    else lines.push(w);
  }
  return lines;
}

/** The report as text, laid out like wgpu-py's print_report. */
export function formatReport(r: Report): string {
  const out: string[] = [];
  out.push("Versions:", table(Object.entries(r.versions), ["", ""]).split("\n").slice(1).join("\n"));
  out.push(
    "",
    `Engine: ${r.engine.name} ${r.engine.version}`,
    `  library: ${r.engine.libraryPath} (from ${r.engineSource})`,
    `  mapped ranges: ${r.mappedRanges}`,
    `  pass commands: ${r.commands.path}: ${r.commands.reason}${r.commands.helper ? `\n    helper: ${r.commands.helper}` : ""}`,
  );
  if (r.adapters.length === 0) out.push("", "Adapters: none found (is a Vulkan or OpenGL driver installed? `npm run setup` installs lavapipe)");
  r.adapters.forEach((a, i) => {
    const chosen = r.adapter?.summary === a.summary ? " (the default adapter)" : "";
    out.push("", `Adapter ${i}: ${a.summary}${chosen}`);
    out.push(`  vendor: ${a.vendor || "-"}  architecture: ${a.architecture || "-"}  description: ${a.description || "-"}`);
    out.push(`  features (${a.features.length}):`);
    out.push(...wrap(a.features, 100).map((l) => "    " + l));
    out.push(
      "  limits:",
      table(Object.entries(a.limits), ["", ""])
        .split("\n")
        .slice(1)
        .map((l) => "  " + l)
        .join("\n"),
    );
  });
  const classes = [...new Set([...Object.keys(r.liveObjects), ...Object.keys(r.liveBytes)])].sort();
  out.push("", "Live objects (JS side):");
  out.push(
    classes.length
      ? table(
          classes.map((c) => [c, r.liveObjects[c] ?? 0, bytes(r.liveBytes[c] ?? 0)]),
          ["class", "count", "bytes"],
        )
      : "  none",
  );
  if (r.engineObjects) {
    out.push("", "Engine objects (wgpuGenerateReport; bytes = allocated x element size):");
    const rows = Object.entries(r.engineObjects).map(([name, c]) => [
      name,
      c.allocated,
      c.keptFromUser,
      c.releasedFromUser,
      c.elementSize,
      bytes(c.allocated * c.elementSize),
    ]);
    out.push(table(rows, ["registry", "allocated", "kept", "released", "element", "bytes"]));
  }
  const errors = Object.entries(r.uncapturedErrors);
  if (errors.length) out.push("", "Uncaptured errors:", table(errors, ["message", "count"]));
  return out.join("\n");
}

/** wgpu-py's print_report: writes formatReport(report()) to stdout. */
export function printReport(options: { adapter?: GPUAdapter } = {}): void {
  process.stdout.write(formatReport(report(options)) + "\n");
}
