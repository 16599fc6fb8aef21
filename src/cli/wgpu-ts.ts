#!/usr/bin/env node
// The wgpu-ts command. `wgpu-ts info` prints the diagnostics report (versions, engine, adapters
// with their features and limits, live objects, the engine's own counts).
import { printReport } from "../utils/report.ts";

const usage = `usage: wgpu-ts <command>

commands:
  info    print versions, the engine, every adapter with its features and limits, and object counts
  help    print this text`;

function main(args: string[]): number {
  const [command] = args;
  if (command === "info") {
    printReport();
    return 0;
  }
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    console.log(usage);
    return command === undefined ? 1 : 0;
  }
  console.error(`wgpu-ts: unknown command "${command}"\n\n${usage}`);
  return 1;
}

process.exitCode = main(process.argv.slice(2));
