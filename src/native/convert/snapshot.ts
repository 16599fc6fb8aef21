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

function iterable(v: object): boolean {
  return typeof (v as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function";
}

/** `v` converted to the IDL type `t`, read once; `path` names it in errors. */
export function snapshot(ctx: string, path: string, v: unknown, t: IdlType): unknown {
  if (v === undefined || v === null) return v;
  if (typeof t === "string") {
    if (!isObject(v)) return v; // a primitive is checked (and converted) by the method
    switch (t[0]) {
      case "n":
        try {
          return +(v as unknown as number); // valueOf runs here, once; a BigInt result is a TypeError as in Web IDL
        } catch (e) {
          return typeError(ctx, path, `must be a number (${(e as Error).message})`);
        }
      case "s":
        return String(v);
      case "d":
        return snapshotDictionary(ctx, path, v, t.slice(2));
      default:
        return v;
    }
  }
  if (!isObject(v)) return v;
  switch (t[0]) {
    case "seq":
      // A typed array is kept: its elements are numbers already, read without user code.
      if (ArrayBuffer.isView(v) || !iterable(v)) return v;
      return Array.from(v as Iterable<unknown>, (e, i) => snapshot(ctx, `${path}[${i}]`, e, t[1]));
    case "rec": {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v)) out[key] = snapshot(ctx, `${path}.${key}`, (v as Record<string, unknown>)[key], t[1]);
      return out;
    }
    default: {
      // A union: a platform object as it is, an iterable as a sequence, else a dictionary.
      if (isPlatformObject(v)) return v;
      const members = t.slice(1) as IdlType[];
      const seq = members.find((m) => typeof m !== "string" && m[0] === "seq");
      if (seq && !ArrayBuffer.isView(v) && iterable(v)) return snapshot(ctx, path, v, seq);
      const dict = members.find((m) => typeof m === "string" && m.startsWith("d:"));
      return dict ? snapshot(ctx, path, v, dict) : v;
    }
  }
}

function snapshotDictionary(ctx: string, path: string, v: object, name: string): object {
  if (isPlatformObject(v)) return v; // not a dictionary: the method's check names it
  const out: Record<string, unknown> = {};
  const source = v as Record<string, unknown>;
  for (const [member, type] of dictionaries[name]) {
    const value = source[member];
    if (value !== undefined) out[member] = snapshot(ctx, `${path}.${member}`, value, type);
  }
  for (const member of added.get(name) ?? []) {
    const value = source[member];
    if (value !== undefined) out[member] = value;
  }
  return out;
}
