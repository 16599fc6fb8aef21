// wgpu-ts validate: compiles a WGSL file on the engine and prints its messages as compilers do
// (FILE:LINE:COLUMN: type: message, the source line, a caret under the span), for editors and CI.
import { readFileSync } from "node:fs";
import { getDefaultDevice } from "../../utils/default-device.ts";
import type { Command } from "../args.ts";

export interface SourceMessage {
  type: GPUCompilationMessageType;
  message: string;
  lineNum: number;
  linePos: number;
  length: number;
}

/** One message as `file:line:col: type: message`, then the line and a caret under its span. */
export function formatMessage(file: string, code: string, m: SourceMessage): string {
  const where = m.lineNum > 0 ? `${file}:${m.lineNum}:${m.linePos}` : file;
  const lines = [`${where}: ${m.type}: ${m.message}`];
  const source = m.lineNum > 0 ? code.split("\n")[m.lineNum - 1] : undefined;
  if (source !== undefined) {
    const gutter = String(m.lineNum).length;
    const caret = "^".repeat(Math.max(1, Math.min(m.length, source.length - m.linePos + 1)));
    // Tabs stay tabs under the caret, so that it lines up in a terminal.
    const pad = source.slice(0, m.linePos - 1).replace(/[^\t]/g, " ");
    lines.push(`${" ".repeat(gutter)} |`, `${m.lineNum} | ${source}`, `${" ".repeat(gutter)} | ${pad}${caret}`);
  }
  return lines.join("\n");
}

/**
 * The engine's message without the copy of the source that naga renders into it (wgpu-native
 * reports its errors as one text, with its own source excerpt): the lines before the excerpt.
 */
function ownText(message: string): string {
  const lines = message.split("\n");
  const excerpt = lines.findIndex((l) => /^\s*┌─|^\s*-->|wgsl:\d+:\d+/.test(l));
  // wgpu-native's error text starts with its own frame ("Validation Error / Caused by: / In wgpuDeviceCreateShaderModule").
  const frame = /^(Validation Error|Caused by:|In wgpu\w+.*)$/;
  const kept = (excerpt > 0 ? lines.slice(0, excerpt) : lines).map((l) => l.trim()).filter((l) => l && !frame.test(l));
  return kept
    .join(" ")
    .replace(/^Shader '[^']*' parsing error: |^Shader validation error: /, "")
    .replace(/\s+/g, " ");
}

/** The compilation messages as printed: naga's own source excerpt dropped from the text. */
export function sourceMessages(messages: readonly GPUCompilationMessage[]): SourceMessage[] {
  return messages.map((m) => ({ type: m.type, message: ownText(m.message), lineNum: m.lineNum, linePos: m.linePos, length: m.length }));
}

export const validate: Command = {
  name: "validate",
  usage: "FILE.wgsl [options]",
  summary: "compile a WGSL file and print its errors and warnings with line, column and a caret",
  details: "Exit status 0 when the shader compiles (warnings allowed), 1 when it has errors.",
  options: {
    quiet: { type: "boolean", short: "q", help: "print nothing when the shader compiles" },
  },
  positionals: { min: 1, max: 1 },
  run(values, [file]) {
    const code = readFileSync(file, "utf8");
    const device = getDefaultDevice();
    device.pushErrorScope("validation");
    const module = device.createShaderModule({ code, label: file });
    const messages = module.getCompilationInfoSync().messages;
    const scopeError = device.popErrorScopeSync();
    const printed = sourceMessages(messages);
    // An engine may report an error through the scope only (no compilation message): shown without a place.
    if (scopeError && !printed.some((m) => m.type === "error"))
      printed.push({ type: "error", message: ownText(scopeError.message), lineNum: 0, linePos: 0, length: 0 });
    for (const m of printed) console.log(formatMessage(file, code, m));
    const errors = printed.filter((m) => m.type === "error").length;
    if (errors) console.log(`${file}: ${errors} error${errors === 1 ? "" : "s"}`);
    else if (!values.quiet) console.log(`${file}: OK${printed.length ? ` (${printed.length} warning${printed.length === 1 ? "" : "s"})` : ""}`);
    return errors ? 1 : 0;
  },
};
