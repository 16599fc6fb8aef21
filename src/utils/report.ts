// report(): what wgpu-ts runs on, for bug reports and diagnostics (wgpu-py's print_report, in part).
import { uncapturedErrorCounts } from "../api/uncaptured.ts";
import { gpu, liveObjectCounts, nativeRuntime, type GPUAdapter } from "../backend.ts";
import { mappedRangesAreViews } from "../native/buffer.ts";

export interface Report {
  engine: { name: string; version: string; libraryPath: string };
  node: string;
  /** How getMappedRange hands out memory on this runtime. */
  mappedRanges: "views" | "copies";
  adapter: { summary: string; vendor: string; architecture: string; device: string; description: string } | null;
  liveObjects: Record<string, number>;
  uncapturedErrors: Record<string, number>;
}

export function report(options: { adapter?: GPUAdapter } = {}): Report {
  const { engine } = nativeRuntime();
  const adapter = options.adapter ?? gpu.requestAdapterSync();
  return {
    engine: { ...engine },
    node: process.version,
    mappedRanges: mappedRangesAreViews ? "views" : "copies",
    adapter: adapter && {
      summary: adapter.summary,
      vendor: adapter.info.vendor,
      architecture: adapter.info.architecture,
      device: adapter.info.device,
      description: adapter.info.description,
    },
    liveObjects: liveObjectCounts(),
    uncapturedErrors: uncapturedErrorCounts(),
  };
}
