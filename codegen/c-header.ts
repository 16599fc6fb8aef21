// A parser for the preprocessed webgpu.h / wgpu.h: the headers are generated from webgpu.yml and
// regular enough that a tokenizer plus a handful of declaration shapes covers all of them.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface CType {
  /** The base type name: `uint32_t`, `WGPUBufferDescriptor`, `void`, ... */
  base: string;
  /** Number of `*`. */
  pointer: number;
}

export interface CField {
  name: string;
  type: CType;
  /** Members of an inline union, when the field is one. */
  union?: CField[];
}

export interface CStruct {
  name: string;
  fields: CField[];
  header: string;
}

export interface CEnum {
  name: string;
  values: [string, number][];
  header: string;
}

export interface CFunction {
  name: string;
  ret: CType;
  params: CField[];
  header: string;
}

export interface CHeader {
  structs: Map<string, CStruct>;
  enums: Map<string, CEnum>;
  /** Flag constants (`static const WGPUBufferUsage WGPUBufferUsage_MapRead = 0x1`), grouped by type. */
  flags: Map<string, [string, number][]>;
  handles: Set<string>;
  /** `typedef A B;` */
  aliases: Map<string, string>;
  callbacks: Map<string, CFunction>;
  functions: Map<string, CFunction>;
  /** `#define WGPU_X (value)` numeric constants, from the raw headers. */
  defines: Map<string, string>;
}

/** Runs the C preprocessor over the headers, with empty stand-ins for the system headers. */
function preprocess(includeDir: string, headers: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "wgpu-ts-codegen-"));
  for (const sys of ["stdint.h", "stddef.h", "math.h", "stdbool.h"]) writeFileSync(join(dir, sys), "");
  const main = join(dir, "all.h");
  writeFileSync(main, headers.map((h) => `#include "${h}"\n#pragma wgpu_ts_header_end ${h}\n`).join(""));
  return execFileSync("gcc", ["-E", "-P", "-nostdinc", "-DWGPU_SKIP_PROCS", `-I${dir}`, `-I${includeDir}`, main], { encoding: "utf8" });
}

/** Evaluates a flag constant such as `1 << 3` or `A | B` (names of earlier flags of the same type). */
function evalConstant(expr: string[], earlier: [string, number][]): number {
  const known = new Map(earlier);
  const js = expr.map((t) => (known.has(t) ? `${known.get(t)}n` : /^(0x[0-9A-Fa-f]+|\d+)$/.test(t) ? `${BigInt(t)}n` : t)).join("");
  if (!/^[0-9n<>|() ]+$/.test(js)) throw new Error(`codegen: cannot evaluate constant ${expr.join(" ")}`);
  return Number(new Function(`return ${js}`)() as bigint);
}

function tokenize(text: string): string[] {
  return text.match(/#pragma[^\n]*|[A-Za-z_][A-Za-z0-9_]*|0x[0-9A-Fa-f]+|\d+|[{}();,*=[\]]|\S/g) ?? [];
}

export function parseHeaders(includeDir: string, headers: string[]): CHeader {
  const out: CHeader = {
    structs: new Map(),
    enums: new Map(),
    flags: new Map(),
    handles: new Set(),
    aliases: new Map(),
    callbacks: new Map(),
    functions: new Map(),
    defines: new Map(),
  };
  for (const h of headers) {
    for (const m of readFileSync(join(includeDir, h), "utf8").matchAll(/^#define (WGPU_[A-Z0-9_]+) \((.+)\)$/gm)) {
      out.defines.set(m[1], m[2]);
    }
  }
  const tokens = tokenize(preprocess(includeDir, headers));
  // Declarations before a `#pragma wgpu_ts_header_end X` marker belong to header X.
  let header = headers[0];
  let i = 0;
  const peek = (k = 0) => tokens[i + k];
  const next = () => tokens[i++];
  const expect = (t: string) => {
    const got = next();
    if (got !== t) throw new Error(`codegen: expected '${t}' but found '${got}' near token ${i}: ${tokens.slice(i - 8, i + 8).join(" ")}`);
  };

  // type := ['const'] ['struct'|'enum'] name ['const'] ('*' ['const'])*
  const parseType = (): CType => {
    while (peek() === "const" || peek() === "struct" || peek() === "enum") next();
    const base = next();
    let pointer = 0;
    while (peek() === "const" || peek() === "*") if (next() === "*") pointer++;
    return { base, pointer };
  };
  const parseParams = (): CField[] => {
    expect("(");
    const params: CField[] = [];
    if (peek() === "void" && tokens[i + 1] === ")") next();
    while (peek() !== ")") {
      const type = parseType();
      const name = peek() === "," || peek() === ")" ? `arg${params.length}` : next();
      params.push({ name, type });
      if (peek() === ",") next();
    }
    expect(")");
    return params;
  };
  const parseFields = (): CField[] => {
    expect("{");
    const fields: CField[] = [];
    while (peek() !== "}") {
      if (peek() === "union") {
        next();
        const members = parseFields();
        const name = next();
        expect(";");
        fields.push({ name, type: { base: "union", pointer: 0 }, union: members });
        continue;
      }
      const type = parseType();
      const name = next();
      expect(";");
      fields.push({ name, type });
    }
    expect("}");
    return fields;
  };
  const skipTo = (t: string) => {
    while (next() !== t);
  };

  while (i < tokens.length) {
    const t = peek();
    if (t.startsWith("#pragma")) {
      const done = t.split(" ")[2];
      header = headers[headers.indexOf(done) + 1] ?? done;
      next();
      continue;
    }
    if (t === "struct") {
      skipTo(";"); // forward declaration
      continue;
    }
    if (t === "static") {
      next();
      expect("const");
      const type = next();
      const name = next();
      expect("=");
      const expr: string[] = [];
      while (peek() !== ";") expr.push(next());
      expect(";");
      const value = evalConstant(expr, out.flags.get(type) ?? []);
      if (!out.flags.has(type)) out.flags.set(type, []);
      out.flags.get(type)!.push([name, value]);
      continue;
    }
    if (t === "typedef") {
      next();
      if (peek() === "struct" && tokens[i + 2] !== "{" && tokens[i + 1] !== "{") {
        // typedef struct XImpl* X;
        next();
        next();
        expect("*");
        out.handles.add(next());
        expect(";");
        continue;
      }
      if (peek() === "struct") {
        next();
        if (peek() !== "{") next();
        const fields = parseFields();
        const name = next();
        expect(";");
        out.structs.set(name, { name, fields, header });
        continue;
      }
      if (peek() === "enum") {
        next();
        if (peek() !== "{") next();
        expect("{");
        const values: [string, number][] = [];
        while (peek() !== "}") {
          const name = next();
          expect("=");
          values.push([name, Number(next())]);
          if (peek() === ",") next();
        }
        expect("}");
        const name = next();
        expect(";");
        out.enums.set(name, { name, values, header });
        continue;
      }
      const ret = parseType();
      if (peek() === "(") {
        next();
        expect("*");
        const name = next();
        expect(")");
        const params = parseParams();
        expect(";");
        out.callbacks.set(name, { name, ret, params, header });
        continue;
      }
      const name = next();
      expect(";");
      out.aliases.set(name, ret.base);
      continue;
    }
    // A function declaration.
    const ret = parseType();
    const name = next();
    const params = parseParams();
    expect(";");
    out.functions.set(name, { name, ret, params, header });
  }
  return out;
}
