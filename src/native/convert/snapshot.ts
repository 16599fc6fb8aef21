// The argument snapshot: a dictionary argument is read once, as Web IDL reads it (inherited
// members first, each dictionary's members sorted), into a plain object of plain values, before
// the method runs. A getter or `valueOf` of the caller's object therefore runs once, in the
// spec's order, and every check and the C call see the values of that one read (a getter that
// answers differently the second time cannot make a check and the call disagree). Validation is
// not done here: a value of the wrong type is kept as it is, for the method's own checks to name.
import { typeError } from "../../api/check.ts";
import { apiDiff } from "../../api/api-diff.ts";
import { dictionaries, type IdlType } from "../ffi/generated/dictionaries.ts";

/** Members wgpu-ts adds to a dictionary (apiDiff "added" entries such as GPUDeviceDescriptor.strict), read as they are. */
const added = new Map<string, string[]>();
for (const d of apiDiff) {
  const [owner, member] = d.target.split(".");
  if (d.kind === "added" && member && owner in dictionaries) added.set(owner, [...(added.get(owner) ?? []), member]);
}

const isObject = (v: unknown): v is object => (typeof v === "object" && v !== null) || typeof v === "function";

/** Platform objects (ours, checked by brand with no user code) are kept as they are in a union. */
let isPlatformObject: (v: unknown) => boolean = () => false;
export function setPlatformObjectCheck(check: (v: unknown) => boolean): void {
  isPlatformObject = check;
}

/** An object literal: surely not a platform object (a brand check that misses is slow in V8). */
const plain = (v: object): boolean => Object.getPrototypeOf(v) === Object.prototype;

function iterable(v: object): boolean {
  return typeof (v as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function";
}

/** Where the conversion is (member names and indices), joined into a path only for an error: no string per member. */
const at: (string | number)[] = [];
/** Where the innermost snapshot's path starts in `at` (a getter may run another call's snapshot). */
let base = 0;
const pathHere = () =>
  at
    .slice(base)
    .map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`))
    .join("");

/** An IDL type compiled once into a tree that a conversion walks without string work. */
export type SnapshotType =
  | { kind: "number" | "string" | "as-is" }
  | { kind: "dictionary"; members: [string, SnapshotType][]; added: readonly string[]; read?: DictionaryReader }
  | { kind: "sequence" | "record"; of: SnapshotType }
  | { kind: "union"; sequence: SnapshotType | null; dictionary: SnapshotType | null };

const NUMBER: SnapshotType = { kind: "number" };
const STRING: SnapshotType = { kind: "string" };
const AS_IS: SnapshotType = { kind: "as-is" };
const compiledDictionaries = new Map<string, SnapshotType>();

export function compileType(t: IdlType): SnapshotType {
  if (typeof t === "string") {
    if (t === "n") return NUMBER;
    if (t === "s") return STRING;
    if (!t.startsWith("d:")) return AS_IS; // booleans too: Boolean() runs no user code
    const name = t.slice(2);
    let node = compiledDictionaries.get(name);
    if (!node) {
      const members: [string, SnapshotType][] = [];
      compiledDictionaries.set(name, (node = { kind: "dictionary", members, added: added.get(name) ?? [] }));
      for (const [member, type] of dictionaries[name]) members.push([member, compileType(type)]);
    }
    return node;
  }
  if (t[0] === "seq" || t[0] === "rec") return { kind: t[0] === "seq" ? "sequence" : "record", of: compileType(t[1]) };
  const members = (t.slice(1) as IdlType[]).map(compileType);
  return {
    kind: "union",
    sequence: members.find((m) => m.kind === "sequence") ?? null,
    dictionary: members.find((m) => m.kind === "dictionary") ?? null,
  };
}

/** `v` converted to the type `t`, read once; `path` (the argument's name) starts the member path in errors. */
export function snapshot(ctx: string, path: string, v: unknown, t: SnapshotType): unknown {
  const outer = base;
  base = at.length;
  at.push(path);
  try {
    return convert(ctx, v, t);
  } finally {
    at.length = base;
    base = outer;
  }
}

function convert(ctx: string, v: unknown, t: SnapshotType): unknown {
  if (v === undefined || v === null || !isObject(v)) return v; // a primitive is checked (and converted) by the method
  switch (t.kind) {
    case "number":
      try {
        return +(v as unknown as number); // valueOf runs here, once; a BigInt result is a TypeError as in Web IDL
      } catch (e) {
        return typeError(ctx, pathHere(), `must be a number (${(e as Error).message})`);
      }
    case "string":
      return String(v);
    case "as-is":
      return v;
    case "dictionary":
      return snapshotDictionary(ctx, v, t);
    case "sequence": {
      // A typed array is kept: its elements are numbers already, read without user code.
      if (ArrayBuffer.isView(v) || !iterable(v)) return v;
      const out: unknown[] = [];
      for (const e of v as Iterable<unknown>) out.push(within(out.length, ctx, e, t.of));
      return out;
    }
    case "record": {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v)) out[key] = within(key, ctx, (v as Record<string, unknown>)[key], t.of);
      return out;
    }
    case "union":
      // A platform object as it is, an iterable as a sequence, else a dictionary.
      if (!plain(v) && isPlatformObject(v)) return v;
      if (t.sequence && !ArrayBuffer.isView(v) && iterable(v)) return convert(ctx, v, t.sequence);
      return t.dictionary ? convert(ctx, v, t.dictionary) : v;
  }
}

/** Converts a member or element, with its name on the path meanwhile. */
function within(key: string | number, ctx: string, v: unknown, t: SnapshotType): unknown {
  at.push(key);
  const out = convert(ctx, v, t);
  at.pop();
  return out;
}

type DictionaryReader = (ctx: string, v: Record<string, unknown>) => object;

function snapshotDictionary(ctx: string, v: object, t: Extract<SnapshotType, { kind: "dictionary" }>): object {
  if (!plain(v) && isPlatformObject(v)) return v; // not a dictionary: the method's check names it
  t.read ??= compileReader(t);
  return t.read(ctx, v as Record<string, unknown>);
}

/**
 * A dictionary's reader, compiled once: each member read by its name where the code names it (a
 * property load V8 caches for the caller's shapes, where a loop over the names is one lookup by
 * name per member), in the same order, and a primitive value kept without a call. A member name
 * is an IDL identifier; JSON.stringify quotes it all the same.
 */
function compileReader(t: Extract<SnapshotType, { kind: "dictionary" }>): DictionaryReader {
  const lines = ["const out = {};", "let x;"];
  t.members.forEach(([member, type], k) => {
    const m = JSON.stringify(member);
    const value = type === AS_IS ? "x" : `typeof x === "object" || typeof x === "function" ? within(${m}, ctx, x, types[${k}]) : x`;
    lines.push(`x = v[${m}];`, `if (x !== undefined) out[${m}] = ${value};`);
  });
  for (const member of t.added) lines.push(`x = v[${JSON.stringify(member)}];`, `if (x !== undefined) out[${JSON.stringify(member)}] = x;`);
  lines.push("return out;");
  const types = t.members.map(([, type]) => type);
  return new Function("within", "types", `return function read(ctx, v) {\n${lines.join("\n")}\n};`)(within, types) as DictionaryReader;
}
