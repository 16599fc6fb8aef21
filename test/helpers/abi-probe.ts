// A compiled C probe of struct layouts: one generated program, one gcc compile, one run.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface CStructInfo {
  struct: string;
  size: number;
  align: number;
  /** member -> [offset, size] */
  members: Record<string, [number, number]>;
}

/** sizeof, _Alignof and each member's offsetof/sizeof, as gcc sees them through `headers`. */
export function probeStructs(includeDir: string, headers: readonly string[], structs: Record<string, readonly string[]>): Map<string, CStructInfo> {
  const out: string[] = ["#include <stddef.h>", "#include <stdio.h>", ...headers.map((h) => `#include "${h}"`), "", "int main(void) {"];
  for (const [s, members] of Object.entries(structs)) {
    out.push(`  printf("{\\"struct\\":\\"${s}\\",\\"size\\":%zu,\\"align\\":%zu,\\"members\\":{", sizeof(${s}), _Alignof(${s}));`);
    members.forEach((m, i) => {
      const sep = i === 0 ? "" : ",";
      out.push(`  printf("${sep}\\"${m}\\":[%zu,%zu]", offsetof(${s}, ${m}), sizeof(((${s} *)0)->${m}));`);
    });
    out.push(`  printf("}}\\n");`);
  }
  out.push("  return 0;", "}", "");
  const dir = mkdtempSync(join(tmpdir(), "wgpu-ts-abi-"));
  try {
    const src = join(dir, "abi.c");
    const exe = join(dir, "abi");
    writeFileSync(src, out.join("\n"));
    try {
      execFileSync("gcc", ["-std=c11", "-O0", "-I", includeDir, "-o", exe, src], { stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
      const err = e as { stderr?: Buffer; message: string };
      throw new Error(`gcc failed on the generated ABI probe:\n${err.stderr?.toString() ?? err.message}`);
    }
    const lines = execFileSync(exe, { encoding: "utf8" }).trim().split("\n");
    return new Map(lines.map((l) => JSON.parse(l) as CStructInfo).map((info) => [info.struct, info]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
