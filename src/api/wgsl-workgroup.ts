// The workgroup storage a WGSL compute entry point uses, for the spec's limit
// (https://www.w3.org/TR/webgpu/#abstract-opdef-validating-gpuprogrammablestage: the sum of
// roundUp(16, SizeOf(T)) over the `var<workgroup>` variables statically used must not exceed
// maxComputeWorkgroupStorageSize), which wgpu 29 does not check (gfx-rs/wgpu#8946). A scan, not
// a parser: module-scope structs, aliases, consts and overrides, the functions the entry point
// calls, and the sizes and alignments of WGSL's memory layout
// (https://www.w3.org/TR/WGSL/#alignment-and-size). Whatever it cannot evaluate answers null,
// leaving the check to the engine.
import { members, stripComments } from "./wgsl-interface.ts";

interface Layout {
  size: number;
  align: number;
}

/** What one scan of a module finds; sizes are evaluated per pipeline (overrides take its constants). */
export interface WorkgroupScan {
  /** The `var<workgroup>` variables: name and type text. */
  vars: Map<string, string>;
  structs: Map<string, string>;
  aliases: Map<string, string>;
  /** const and override declarations: initializer text ("" when none) and @id. */
  values: Map<string, { init: string; id?: string; override: boolean }>;
  /** Function bodies by name, and the names of the compute entry points. */
  fns: Map<string, string>;
  computeEntries: string[];
}

const ident = /[A-Za-z_]\w*/g;

/** The text between the bracket at `open` and its match, and the index past the match. */
function bracketed(src: string, open: number): [string, number] | null {
  const o = src[open];
  const c = o === "{" ? "}" : o === "(" ? ")" : ">";
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    if (src[i] === o) depth++;
    else if (src[i] === c && --depth === 0) return [src.slice(open + 1, i), i + 1];
  }
  return null;
}

/** Scans `code` once (null when it declares no workgroup variable). */
export function scanWorkgroup(code: string): WorkgroupScan | null {
  if (!code.includes("workgroup")) return null;
  const src = stripComments(code);
  const scan: WorkgroupScan = { vars: new Map(), structs: new Map(), aliases: new Map(), values: new Map(), fns: new Map(), computeEntries: [] };
  for (const m of src.matchAll(/\bvar\s*<\s*workgroup\s*>\s*([A-Za-z_]\w*)\s*:\s*([^;]+);/g)) scan.vars.set(m[1], m[2].trim());
  if (scan.vars.size === 0) return null;
  for (const m of src.matchAll(/\bstruct\s+([A-Za-z_]\w*)\s*\{/g)) {
    const body = bracketed(src, m.index + m[0].length - 1);
    if (body) scan.structs.set(m[1], body[0]);
  }
  for (const m of src.matchAll(/\balias\s+([A-Za-z_]\w*)\s*=\s*([^;]+);/g)) scan.aliases.set(m[1], m[2].trim());
  for (const m of src.matchAll(/((?:@\w+\s*(?:\([^)]*\))?\s*)*)\b(const|override)\s+([A-Za-z_]\w*)\s*(?::\s*[^=;]+)?(?:=\s*([^;]+))?;/g)) {
    const id = /@id\s*\(\s*(\d+)[iu]?\s*\)/.exec(m[1])?.[1];
    scan.values.set(m[3], { init: (m[4] ?? "").trim(), id, override: m[2] === "override" });
  }
  for (const m of src.matchAll(/((?:@\w+\s*(?:\([^)]*\))?\s*)*)\bfn\s+([A-Za-z_]\w*)\s*\(/g)) {
    const params = bracketed(src, m.index + m[0].length - 1);
    const open = params ? src.indexOf("{", params[1]) : -1;
    const body = open === -1 ? null : bracketed(src, open);
    if (!body) continue;
    scan.fns.set(m[2], body[0]);
    if (/@compute\b/.test(m[1])) scan.computeEntries.push(m[2]);
  }
  return scan;
}

const roundUp = (k: number, n: number) => Math.ceil(n / k) * k;

type Constants = Record<string, number>;

/** An integer expression: a literal, a const or override (the pipeline's constants first), or null. */
function evaluate(scan: WorkgroupScan, expr: string, constants: Constants, depth = 0): number | null {
  const e = expr.trim();
  const literal = /^(\d+)[iu]?$/.exec(e);
  if (literal) return Number(literal[1]);
  const value = scan.values.get(e);
  if (!value || depth > 16) return null;
  if (value.override) {
    const given = constants[e] ?? (value.id === undefined ? undefined : constants[value.id]);
    if (given !== undefined) return Number.isInteger(given) ? given : null;
  }
  return value.init ? evaluate(scan, value.init, constants, depth + 1) : null;
}

const SCALARS: Record<string, number> = { f32: 4, i32: 4, u32: 4, bool: 4, f16: 2 };
const SHORT: Record<string, string> = { f: "f32", i: "i32", u: "u32", h: "f16" };

function vector(n: number, scalar: number): Layout {
  return { size: n * scalar, align: (n === 3 ? 4 : n) * scalar };
}

/** The size and alignment of a type, or null for one the scan does not read. */
function layoutOf(scan: WorkgroupScan, type: string, constants: Constants, depth = 0): Layout | null {
  if (depth > 32) return null;
  const t = type.trim();
  const m = /^([A-Za-z_]\w*)\s*(?:<([\s\S]*)>)?$/.exec(t);
  if (!m) return null;
  const [, name, args] = m;
  const params = args === undefined ? [] : members(args);
  if (name in SCALARS && !args) return { size: SCALARS[name], align: SCALARS[name] };
  if (name === "atomic") return { size: 4, align: 4 };
  const vec = /^vec([234])([fiuh]?)$/.exec(name);
  const mat = /^mat([234])x([234])([fh]?)$/.exec(name);
  if (vec || mat) {
    const suffix = (vec ?? mat)![vec ? 2 : 3];
    const scalarName = suffix ? SHORT[suffix] : params[0];
    const scalar = SCALARS[scalarName ?? ""];
    if (scalar === undefined || (suffix && args)) return null;
    if (vec) return vector(Number(vec[1]), scalar);
    const column = vector(Number(mat![2]), scalar);
    return { size: Number(mat![1]) * roundUp(column.align, column.size), align: column.align };
  }
  if (name === "array") {
    const element = params[0] === undefined ? null : layoutOf(scan, params[0], constants, depth + 1);
    const count = params[1] === undefined ? null : evaluate(scan, params[1], constants);
    if (!element || count === null) return null;
    return { size: count * roundUp(element.align, element.size), align: element.align };
  }
  if (args) return null;
  const alias = scan.aliases.get(name);
  if (alias) return layoutOf(scan, alias, constants, depth + 1);
  const body = scan.structs.get(name);
  return body === undefined ? null : structLayout(scan, body, constants, depth);
}

function structLayout(scan: WorkgroupScan, body: string, constants: Constants, depth: number): Layout | null {
  let offset = 0;
  let align = 1;
  let end = 0;
  for (const member of members(body)) {
    const m = /^((?:@\w+\s*(?:\([^)]*\))?\s*)*)[A-Za-z_]\w*\s*:\s*([\s\S]+)$/.exec(member);
    if (!m) return null;
    const layout = layoutOf(scan, m[2], constants, depth + 1);
    if (!layout) return null;
    const attr = (a: string) => {
      const v = new RegExp(`@${a}\\s*\\(([^)]*)\\)`).exec(m[1]);
      return v ? evaluate(scan, v[1], constants) : undefined;
    };
    const memberAlign = attr("align");
    const memberSize = attr("size");
    if (memberAlign === null || memberSize === null) return null;
    const a = memberAlign ?? layout.align;
    offset = roundUp(a, end);
    end = offset + (memberSize ?? layout.size);
    align = Math.max(align, a);
  }
  return { size: roundUp(align, end), align };
}

/** The workgroup variables the function `entry` uses, through the functions it calls. */
function usedVars(scan: WorkgroupScan, entry: string): Set<string> {
  const used = new Set<string>();
  const seen = new Set([entry]);
  const queue = [entry];
  while (queue.length) {
    for (const [word] of (scan.fns.get(queue.pop()!) ?? "").matchAll(ident)) {
      if (scan.vars.has(word)) used.add(word);
      else if (scan.fns.has(word) && !seen.has(word)) {
        seen.add(word);
        queue.push(word);
      }
    }
  }
  return used;
}

/**
 * The bytes of workgroup storage that compute entry point `entryPoint` (the only one when
 * undefined) uses with the pipeline's `constants`, or null when the scan cannot tell.
 */
export function workgroupStorageSize(scan: WorkgroupScan, entryPoint: string | undefined, constants: Constants): number | null {
  const entry = entryPoint ?? (scan.computeEntries.length === 1 ? scan.computeEntries[0] : undefined);
  if (entry === undefined || !scan.fns.has(entry)) return null;
  let total = 0;
  for (const name of usedVars(scan, entry)) {
    const layout = layoutOf(scan, scan.vars.get(name)!, constants);
    if (!layout) return null;
    total += roundUp(16, layout.size);
  }
  return total;
}
