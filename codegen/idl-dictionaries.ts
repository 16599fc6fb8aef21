// Reads webgpu.idl's dictionaries and the dictionary arguments of its methods, for the argument
// snapshot (src/native/convert/snapshot.ts): a descriptor is read once, member by member in the
// order Web IDL reads it (inherited dictionaries first, each one's members sorted), so that a
// getter runs once and the checks and the C call see the same values.
//
// A member's type is coded compactly: "n" number, "s" string or enum, "b" boolean, "x" anything
// kept as it is (interfaces, buffer sources), "d:Name" a dictionary, ["seq", T] a sequence,
// ["rec", T] a record, ["or", T...] a union with a dictionary or a sequence in it.

export type IdlType = string | [kind: "seq" | "rec", of: IdlType] | ["or", ...IdlType[]];

const NUMERIC = /^(unrestricted )?(unsigned )?(long long|long|short|byte|octet|double|float)$/;

/** Splits at `sep` where no <...> or (...) is open. */
function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "<" || c === "(") depth++;
    else if (c === ">" || c === ")") depth--;
    else if (depth === 0 && s.startsWith(sep, i)) {
      out.push(s.slice(start, i));
      start = i + sep.length;
      i += sep.length - 1;
    }
  }
  out.push(s.slice(start));
  return out.map((x) => x.trim()).filter((x) => x.length > 0);
}

export interface IdlModel {
  /** Each dictionary's members in Web IDL's reading order, its parents' first. */
  dictionaries: Record<string, [member: string, type: IdlType][]>;
  /** Interface -> method -> [argument index, argument name, type] of the arguments that hold a dictionary. */
  methods: Record<string, Record<string, [index: number, name: string, type: IdlType][]>>;
}

const hasDictionary = (t: IdlType): boolean => (typeof t === "string" ? t.startsWith("d:") : t.slice(1).some((x) => hasDictionary(x as IdlType)));

export function parseIdl(source: string): IdlModel {
  const idl = source
    .replace(/\/\/[^\n]*/g, "")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/=\s*\{\s*\}/g, "= EMPTY");
  const typedefs = new Map<string, string>();
  for (const m of idl.matchAll(/typedef\s+([^;]+?)\s+(\w+)\s*;/g)) typedefs.set(m[2], m[1].replace(/\s+/g, " "));
  const enums = new Set([...idl.matchAll(/enum\s+(\w+)\s*\{/g)].map((m) => m[1]));
  const rawDicts = new Map<string, { parent: string | null; body: string }>();
  for (const m of idl.matchAll(/dictionary\s+(\w+)\s*(?::\s*(\w+))?\s*\{([^}]*)\}\s*;/g)) rawDicts.set(m[1], { parent: m[2] ?? null, body: m[3] });

  const typeOf = (raw: string): IdlType => {
    let t = raw.trim().replace(/\s+/g, " ");
    if (t.endsWith("?")) t = t.slice(0, -1).trim();
    if (t.startsWith("(") && t.endsWith(")")) {
      const parts = splitTop(t.slice(1, -1), " or ").map(typeOf);
      if (!parts.some((p) => typeof p !== "string" || p.startsWith("d:"))) return parts.includes("x") ? "x" : (parts.find((p) => p !== "x") ?? "x");
      return ["or", ...parts];
    }
    const generic = /^(sequence|FrozenArray|record|Promise)<(.*)>$/.exec(t);
    if (generic) {
      if (generic[1] === "Promise") return "x";
      if (generic[1] === "record") return ["rec", typeOf(splitTop(generic[2], ",")[1])];
      return ["seq", typeOf(generic[2])];
    }
    if (typedefs.has(t)) return typeOf(typedefs.get(t)!);
    if (rawDicts.has(t)) return `d:${t}`;
    if (enums.has(t) || t === "DOMString" || t === "USVString") return "s";
    if (t === "boolean") return "b";
    if (NUMERIC.test(t)) return "n";
    return "x";
  };

  const own = (body: string): [string, IdlType][] =>
    body
      .split(";")
      .map((m) => m.replace(/=[^;]*$/, "").trim())
      .filter((m) => m.length > 0)
      .map((m) => {
        const decl = m.replace(/^required\s+/, "");
        const name = /(\w+)$/.exec(decl)![1];
        return [name, typeOf(decl.slice(0, -name.length))] as [string, IdlType];
      })
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const dictionaries: IdlModel["dictionaries"] = {};
  const resolve = (name: string): [string, IdlType][] => {
    if (dictionaries[name]) return dictionaries[name];
    const d = rawDicts.get(name);
    if (!d) return []; // defined outside WebGPU (EventInit)
    return (dictionaries[name] = [...(d.parent ? resolve(d.parent) : []), ...own(d.body)]);
  };
  for (const name of [...rawDicts.keys()].sort()) resolve(name);

  // Operations of interfaces and mixins, then the mixins folded into the interfaces that include them.
  const ops = new Map<string, Record<string, [number, string, IdlType][]>>();
  for (const m of idl.matchAll(/interface\s+(?:mixin\s+)?(\w+)\s*(?::\s*\w+)?\s*\{([^}]*)\}\s*;/g)) {
    const methods: Record<string, [number, string, IdlType][]> = {};
    for (const member of m[2].split(";")) {
      const op = /^\s*(?:static\s+)?[\w<>?, ()]+?\s+(\w+)\s*\(([\s\S]*)\)\s*$/.exec(member);
      if (!op || /\battribute\b/.test(member) || op[1] === "constructor") continue;
      const args = splitTop(op[2], ",").map((a, i): [number, string, IdlType] => {
        const decl = a
          .replace(/=[\s\S]*$/, "")
          .replace(/^optional\s+/, "")
          .trim();
        const name = /(\w+)$/.exec(decl)![1];
        return [i, name, typeOf(decl.slice(0, -name.length))];
      });
      const withDicts = args.filter(([, , t]) => hasDictionary(t));
      if (withDicts.length) methods[op[1]] = withDicts;
    }
    ops.set(m[1], { ...ops.get(m[1]), ...methods }); // partial interfaces add to it
  }
  for (const m of idl.matchAll(/^(\w+)\s+includes\s+(\w+)\s*;/gm)) ops.set(m[1], { ...ops.get(m[1]), ...ops.get(m[2]) });
  const methods: IdlModel["methods"] = {};
  for (const [name, table] of [...ops].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (name.startsWith("GPU") && Object.keys(table).length) methods[name] = Object.fromEntries(Object.entries(table).sort(([a], [b]) => (a < b ? -1 : 1)));
  }
  return { dictionaries, methods };
}

export function generateDictionaries(idl: string): string {
  const { dictionaries, methods } = parseIdl(idl);
  const lines = [
    "// Generated by codegen/generate-ffi.ts from webgpu.idl (codegen/idl-dictionaries.ts). Do not edit.",
    "/* eslint-disable */",
    "",
    '/** "n" number, "s" string or enum, "b" boolean, "x" kept as it is, "d:Name" a dictionary, or a sequence, record or union of them. */',
    'export type IdlType = string | readonly ["seq" | "rec", IdlType] | readonly ["or", ...IdlType[]];',
    "",
    "/** Each dictionary's members in the order Web IDL reads them (parents first, then sorted), with their types. */",
    "export const dictionaries: Readonly<Record<string, readonly (readonly [string, IdlType])[]>> = {",
  ];
  for (const [name, members] of Object.entries(dictionaries)) lines.push(`  ${name}: ${JSON.stringify(members)},`);
  lines.push("};", "", "/** Interface -> method -> the arguments that hold a dictionary: [index, name, type]. */");
  lines.push("export const dictionaryArguments: Readonly<Record<string, Readonly<Record<string, readonly (readonly [number, string, IdlType])[]>>>> = {");
  for (const [name, table] of Object.entries(methods)) lines.push(`  ${name}: ${JSON.stringify(table)},`);
  lines.push("};");
  return lines.join("\n") + "\n";
}
