// Argument parsing for the wgpu-ts command: node's util.parseArgs, strict, with each command's
// help text made from the same option table that parses it.
import { parseArgs, type ParseArgsConfig } from "node:util";

/** A mistake in the command line: printed as one line, exit status 2. */
export class UsageError extends Error {}

/** Parsed option values by name: a string, a boolean, or the strings of a repeated option. */
export type Values = Record<string, string | boolean | string[] | undefined>;

export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  /** Shown in the help after the flag, e.g. "WxH". */
  value?: string;
  help: string;
}

export interface Command {
  name: string;
  /** The argument part of the usage line, e.g. "FILE.wgsl [options]". */
  usage: string;
  summary: string;
  /** Extra paragraphs after the options. */
  details?: string;
  options: Record<string, OptionSpec>;
  /** Positional arguments: at least min, at most max. */
  positionals: { min: number; max: number };
  run(values: Values, positionals: string[]): number | Promise<number>;
}

export function helpText(command: Command): string {
  const rows = Object.entries({ ...command.options, help: { type: "boolean", short: "h", help: "print this help" } as OptionSpec }).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : "    "}--${name}${o.type === "string" ? ` ${o.value ?? "VALUE"}` : ""}`;
    return [flag, o.help + (o.multiple ? " (may be repeated)" : "")];
  });
  const width = Math.max(...rows.map(([f]) => f.length));
  const lines = [`usage: wgpu-ts ${command.name} ${command.usage}`, "", command.summary, "", "options:", ...rows.map(([f, h]) => `  ${f.padEnd(width)}  ${h}`)];
  if (command.details) lines.push("", command.details);
  return lines.join("\n");
}

/** Parses a command's arguments; null means --help was given (and printed). */
export function parse(command: Command, args: string[]): { values: Values; positionals: string[] } | null {
  const options: ParseArgsConfig["options"] = { help: { type: "boolean", short: "h" } };
  for (const [name, o] of Object.entries(command.options)) {
    options[name] = { type: o.type, multiple: o.multiple ?? false, ...(o.short ? { short: o.short } : {}) };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (e) {
    // parseArgs's first sentence says what is wrong; the rest tells how to pass a value that starts with "-".
    const first = (e as Error).message.split(/\.\s|\n/)[0];
    throw new UsageError(first.charAt(0).toLowerCase() + first.slice(1));
  }
  if (parsed.values.help) {
    console.log(helpText(command));
    return null;
  }
  const { min, max } = command.positionals;
  const n = parsed.positionals.length;
  if (n < min) throw new UsageError(`missing ${command.usage.split(" ")[n] ?? "argument"}`);
  if (n > max) throw new UsageError(`unexpected argument "${parsed.positionals[max]}"`);
  return parsed as { values: Values; positionals: string[] };
}

/** Splits "a,b,c" into integers, each at least `min`, for flags such as --workgroups and --size. */
export function integers(flag: string, text: string, separator: RegExp, count: [number, number], min = 1): number[] {
  const parts = text.split(separator);
  const values = parts.map(Number);
  if (parts.length < count[0] || parts.length > count[1] || values.some((v) => !Number.isInteger(v) || v < min)) {
    throw new UsageError(
      `--${flag} (${text}) must be ${count[0] === count[1] ? count[0] : `${count[0]} to ${count[1]}`} integers of at least ${min}, separated by "${separator.source}"`,
    );
  }
  return values;
}
