// wgpu-ts run: wgpu-py's compute_with_buffers from the shell (utils/compute-with-buffers.ts).
// Buffers are named by binding number or by the shader's variable name; JSON inputs take the
// element type of the variable's declaration.
import { readFileSync } from "node:fs";
import { computeWithBuffers } from "../../utils/compute-with-buffers.ts";
import { elementTypes, readInput, toJson, writeOutput, type NumericArray } from "../arrays.ts";
import { UsageError, integers, type Command } from "../args.ts";
import { compileFile, strictDevice } from "../device.ts";

export interface BindingDecl {
  binding: number;
  name: string;
  /** The scalar type the declaration is made of (f32, u32, i32), if it names one. */
  element: string | undefined;
}

const scalarOf: Record<string, string> = { f: "f32", u: "u32", i: "i32" };

/** The storage buffers of group 0 as the WGSL declares them (`@group(0) @binding(N) var<storage...> name: type`). */
export function storageBindings(code: string): BindingDecl[] {
  const out: BindingDecl[] = [];
  const noComments = code.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, "");
  for (const m of noComments.matchAll(/((?:@\w+\s*\([^)]*\)\s*)+)var\s*<\s*storage[^>]*>\s*(\w+)\s*:\s*([^;]+);/g)) {
    const [, attributes, name, type] = m;
    const group = /@group\s*\(\s*(\d+)\s*\)/.exec(attributes)?.[1];
    const binding = /@binding\s*\(\s*(\d+)\s*\)/.exec(attributes)?.[1];
    if (group !== "0" || binding === undefined) continue;
    const scalar = /\b(f32|u32|i32)\b|\bvec[234]([fui])\b/.exec(type);
    out.push({ binding: Number(binding), name, element: scalar ? (scalar[1] ?? scalarOf[scalar[2]]) : undefined });
  }
  return out;
}

function findBinding(decls: BindingDecl[], name: string, flag: string): BindingDecl {
  const byNumber = /^\d+$/.test(name) ? Number(name) : undefined;
  const decl = decls.find((d) => d.name === name || d.binding === byNumber);
  if (decl) return decl;
  if (byNumber !== undefined) return { binding: byNumber, name, element: undefined };
  const known = decls.map((d) => `${d.name} (@binding(${d.binding}))`).join(", ") || "none";
  throw new UsageError(`--${flag} ${name}: the shader declares no storage buffer of group 0 named "${name}" (declared: ${known})`);
}

export const run: Command = {
  name: "run",
  usage: "FILE.wgsl [options]",
  summary: "run a compute shader over buffers from files or JSON and print or save the outputs",
  details: `Buffers are the storage buffers of @group(0), named by variable name or binding number.
An input is a .bin file (raw bytes), a .npy file, a .json file or inline JSON ([1, 2, 3]); JSON takes
the element type of the variable's declaration. An output is NAME:TYPE:COUNT (TYPE: ${Object.keys(elementTypes).join(", ")}),
COUNT optional for a buffer that is also an input; =FILE writes it as .npy, .json or raw bytes (.bin),
else it is printed as "NAME: [values]".

example: wgpu-ts run double.wgsl --input data=[1,2,3,4] --output data:f32 --output indices:u32:4=indices.npy`,
  options: {
    input: { type: "string", short: "i", multiple: true, value: "NAME=FILE|JSON", help: "an input buffer" },
    output: { type: "string", short: "o", multiple: true, value: "NAME:TYPE[:COUNT][=FILE]", help: "an output buffer" },
    workgroups: { type: "string", short: "w", value: "X[,Y[,Z]]", help: "workgroups to dispatch (default: the element count of the first output)" },
    "entry-point": { type: "string", short: "e", value: "NAME", help: "the compute entry point (default: the shader's only one)" },
  },
  positionals: { min: 1, max: 1 },
  run(values, [file]) {
    const code = readFileSync(file, "utf8");
    const decls = storageBindings(code);
    const inputs: Record<number, ArrayBufferView> = {};
    for (const arg of (values.input as string[] | undefined) ?? []) {
      const eq = arg.indexOf("=");
      if (eq <= 0 || eq === arg.length - 1) throw new UsageError(`--input (${arg}) must be NAME=FILE or NAME=JSON`);
      const decl = findBinding(decls, arg.slice(0, eq), "input");
      inputs[decl.binding] = readInput(arg.slice(eq + 1), decl.element, `--input ${decl.name}`);
    }
    const outputs: Record<number, { length: number; type: (typeof elementTypes)[string]["array"] }> = {};
    const saveAs = new Map<number, { name: string; path: string | undefined }>();
    for (const arg of (values.output as string[] | undefined) ?? []) {
      const m = /^([^:=]+):(\w+)(?::(\d+))?(?:=(.+))?$/.exec(arg);
      if (!m) throw new UsageError(`--output (${arg}) must be NAME:TYPE[:COUNT][=FILE]`);
      const [, name, typeName, count, path] = m;
      const type = elementTypes[typeName];
      if (!type) throw new UsageError(`--output ${name}: type (${typeName}) must be one of ${Object.keys(elementTypes).join(", ")}`);
      const decl = findBinding(decls, name, "output");
      if (saveAs.has(decl.binding)) throw new UsageError(`--output ${name}: @binding(${decl.binding}) is given twice`);
      const input = inputs[decl.binding];
      const length = count !== undefined ? Number(count) : input ? Math.floor(input.byteLength / type.array.BYTES_PER_ELEMENT) : undefined;
      if (!length) throw new UsageError(`--output ${name}: COUNT must be a positive integer (it may be left out only for a buffer that is also an input)`);
      outputs[decl.binding] = { length, type: type.array };
      saveAs.set(decl.binding, { name, path });
    }
    if (saveAs.size === 0) throw new UsageError("at least one --output is needed");
    const n = values.workgroups === undefined ? undefined : (integers("workgroups", values.workgroups as string, /,/, [1, 3]) as [number, number?, number?]);
    const device = strictDevice();
    compileFile(device, file, code);
    const result = computeWithBuffers(inputs, outputs, code, { n, entryPoint: values["entry-point"] as string | undefined, device });
    for (const [binding, { name, path }] of saveAs) {
      const array = result[binding] as NumericArray;
      if (path) {
        writeOutput(path, array);
        console.error(`wrote ${path} (${name}: ${array.length} elements)`);
      } else console.log(`${name}: ${toJson(array)}`);
    }
    return 0;
  },
};
