// wgpu-ts info: the diagnostics report (utils/report.ts), as text or JSON. Without a loadable
// engine it still answers: the versions it knows, and what is missing and how to install it.
import { engineNames, type EngineName } from "../../native/engine.ts";
import { useEngine } from "../../native/runtime.ts";
import { baseVersions, formatReport, report } from "../../utils/report.ts";
import { UsageError, type Command } from "../args.ts";

export const info: Command = {
  name: "info",
  usage: "[options]",
  summary: "print versions, the engine, every adapter with its features and limits, and object counts",
  details: "Exit status 1 when no engine could be loaded (the report then says what is missing).",
  options: {
    json: { type: "boolean", help: "print the report as JSON" },
    engine: { type: "string", value: "NAME", help: `the engine to load: ${engineNames.join(" or ")} (default: WGPU_ENGINE, else wgpu-native)` },
  },
  positionals: { min: 0, max: 0 },
  run(values) {
    const engine = values.engine as string | undefined;
    if (engine !== undefined && !(engineNames as readonly string[]).includes(engine)) {
      throw new UsageError(`--engine (${engine}) must be one of ${engineNames.join(", ")}`);
    }
    let loadError: string | null = null;
    try {
      useEngine(engine ? { engine: engine as EngineName } : {});
    } catch (e) {
      loadError = (e as Error).message;
    }
    if (loadError !== null) {
      const versions = baseVersions();
      if (values.json) console.log(JSON.stringify({ versions, engine: null, error: loadError }, null, 2));
      else
        console.log(
          `Versions:\n${Object.entries(versions)
            .map(([k, v]) => `  ${k.padEnd(7)}  ${v}`)
            .join("\n")}\n\nEngine: none loaded\n  ${loadError.split("\n").join("\n  ")}`,
        );
      return 1;
    }
    const r = report();
    console.log(values.json ? JSON.stringify(r, null, 2) : formatReport(r));
    return 0;
  },
};
