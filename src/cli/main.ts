// The wgpu-ts command, once wgpu-ts.ts has started it: info, validate, run, shadertoy (one module
// each under commands/). Mistakes in the command line are one line on stderr and exit status 2;
// failures of the work itself are exit status 1 with a message, never a stack trace
// (WGPU_TS_DEBUG=1 prints it).
import { packageVersion } from "../utils/report.ts";
import { UsageError, parse, type Command } from "./args.ts";
import { info } from "./commands/info.ts";
import { run } from "./commands/run.ts";
import { shadertoy } from "./commands/shadertoy.ts";
import { validate } from "./commands/validate.ts";

const commands: Command[] = [info, validate, run, shadertoy];

const usage = `usage: wgpu-ts <command> [options]   (wgpu-ts <command> --help for its options)

commands:
${commands.map((c) => `  ${c.name.padEnd(10)}${c.summary}`).join("\n")}

options:
  -h, --help     print this help
  -v, --version  print the version of wgpu-ts`;

async function main(args: string[]): Promise<number> {
  const [first, ...rest] = args;
  if (first === undefined) {
    console.error(usage);
    return 2;
  }
  if (first === "--help" || first === "-h" || first === "help") {
    console.log(usage);
    return 0;
  }
  if (first === "--version" || first === "-v") {
    console.log(packageVersion());
    return 0;
  }
  const command = commands.find((c) => c.name === first);
  if (!command) {
    const what = first.startsWith("-") ? `unknown option '${first}'` : `unknown command "${first}" (commands: ${commands.map((c) => c.name).join(", ")})`;
    throw new UsageError(`wgpu-ts: ${what} (see wgpu-ts --help)`);
  }
  try {
    const parsed = parse(command, rest);
    return parsed ? await command.run(parsed.values, parsed.positionals) : 0;
  } catch (e) {
    if (e instanceof UsageError) e.message = `wgpu-ts ${command.name}: ${e.message} (see wgpu-ts ${command.name} --help)`;
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof UsageError) {
      console.error(e.message);
      process.exitCode = 2;
      return;
    }
    const message = e instanceof Error ? e.message : String(e);
    console.error(process.env.WGPU_TS_DEBUG ? e : message.startsWith("wgpu-ts") ? message : `wgpu-ts: ${message}`);
    process.exitCode = 1;
  },
);
