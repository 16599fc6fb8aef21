// The module-scope variables a WGSL entry point statically uses, for two checks of the spec that
// wgpu 29 makes elsewhere or not at all: the workgroup storage of a compute entry point (the sum of
// roundUp(16, SizeOf(T)) over its `var<workgroup>` variables must not exceed
// maxComputeWorkgroupStorageSize, https://www.w3.org/TR/webgpu/#abstract-opdef-validating-gpuprogrammablestage;
// not checked, gfx-rs/wgpu#8946), and the @group indices under maxBindGroups for a pipeline's
// "auto" layout (wgpu checks them at shader module creation). A scan, not a parser: module-scope
// variables, structs, aliases, consts and overrides, the functions an entry point calls, and the
// sizes and alignments of WGSL's memory layout (https://www.w3.org/TR/WGSL/#alignment-and-size).
// Whatever it cannot evaluate answers null, leaving the check to the engine.
import { members, stripComments } from "./wgsl-interface.ts";

interface Layout {
  size: number;
  align: number;
}

/** A module-scope variable: its address space ("" for none: textures, samplers), type text and @group. */
interface ModuleVar {
  space: string;
  type: string;
  /** The literal @group and @binding indices; NaN when not a literal, undefined when there is none. */
  group?: number;
  binding?: number;
}

/** What one scan of a module finds; sizes are evaluated per pipeline (overrides take its constants). */
export interface ModuleScan {
  vars: Map<string, ModuleVar>;
  structs: Map<string, string>;
  aliases: Map<string, string>;
  /** const and override declarations: initializer text ("" when none) and @id. */
  values: Map<string, { init: string; id?: string; override: boolean }>;
  /** Function bodies by name, and the entry points' names by stage. */
  fns: Map<string, string>;
  entries: Record<ShaderStage, string[]>;
}

export type ShaderStage = "compute" | "vertex" | "fragment";

/** The text at brace depth 0: module scope, without function and struct bodies. */
function moduleScope(src: string): string {
  let out = "";
  let depth = 0;
  let start = 0;
  for (let i = 0; i < src.length; i++) {
    if (src[i] === "{") {
      if (depth++ === 0) out += `${src.slice(start, i)} `;
    } else if (src[i] === "}" && depth > 0 && --depth === 0) start = i + 1;
  }
  return depth === 0 ? out + src.slice(start) : out;
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

const ATTRIBUTES = String.raw`((?:@\w+\s*(?:\([^)]*\))?\s*)*)`;

/** Scans `code` once: what the checks need of its module-scope declarations and functions. */
export function scanModule(code: string): ModuleScan {
  const src = stripComments(code);
  const scan: ModuleScan = {
    vars: new Map(),
    structs: new Map(),
    aliases: new Map(),
    values: new Map(),
    fns: new Map(),
    entries: { compute: [], vertex: [], fragment: [] },
  };
  for (const m of moduleScope(src).matchAll(new RegExp(`${ATTRIBUTES}\\bvar\\s*(?:<([^>]*)>)?\\s*([A-Za-z_]\\w*)\\s*:\\s*([^;=]+)`, "g"))) {
    const index = (name: string) => {
      const v = new RegExp(`@${name}\\s*\\(\\s*([^)]*?)\\s*\\)`).exec(m[1])?.[1];
      return v === undefined ? undefined : /^\d+[iu]?$/.test(v) ? Number.parseInt(v, 10) : Number.NaN;
    };
    const space = (m[2] ?? "").split(",")[0].trim();
    scan.vars.set(m[3], { space, type: m[4].trim(), group: index("group"), binding: index("binding") });
  }
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
    const stage = /@(compute|vertex|fragment)\b/.exec(m[1])?.[1] as ShaderStage | undefined;
    if (stage) scan.entries[stage].push(m[2]);
  }
  return scan;
}

const roundUp = (k: number, n: number) => Math.ceil(n / k) * k;

type Constants = Record<string, number>;

/** An integer expression: a literal, a const or override (the pipeline's constants first), or null. */
function evaluate(scan: ModuleScan, expr: string, constants: Constants, depth = 0): number | null {
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
function layoutOf(scan: ModuleScan, type: string, constants: Constants, depth = 0): Layout | null {
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

function structLayout(scan: ModuleScan, body: string, constants: Constants, depth: number): Layout | null {
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

/** The module-scope variables the function `entry` uses, through the functions it calls (those in `seen`). */
function usedVars(scan: ModuleScan, entry: string, seen = new Set([entry])): Set<string> {
  const used = new Set<string>();
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

/** The `stage` entry point named `entryPoint` (the only one when undefined), or undefined when there is no such one. */
function entryOf(scan: ModuleScan, stage: ShaderStage, entryPoint: string | undefined): string | undefined {
  const list = scan.entries[stage];
  const entry = entryPoint ?? (list.length === 1 ? list[0] : undefined);
  return entry !== undefined && list.includes(entry) ? entry : undefined;
}

/** The variables that the entry point uses, or null when there is no such one. */
function entryVars(scan: ModuleScan, stage: ShaderStage, entryPoint: string | undefined): ModuleVar[] | null {
  const entry = entryOf(scan, stage, entryPoint);
  return entry === undefined ? null : [...usedVars(scan, entry)].map((name) => scan.vars.get(name)!);
}

/**
 * The bytes of workgroup storage that compute entry point `entryPoint` (the only one when
 * undefined) uses with the pipeline's `constants`, or null when the scan cannot tell.
 */
export function workgroupStorageSize(scan: ModuleScan, entryPoint: string | undefined, constants: Constants): number | null {
  const vars = entryVars(scan, "compute", entryPoint);
  if (!vars) return null;
  let total = 0;
  for (const v of vars) {
    if (v.space !== "workgroup") continue;
    const layout = layoutOf(scan, v.type, constants);
    if (!layout) return null;
    total += roundUp(16, layout.size);
  }
  return total;
}

/** The largest @group index of the resources the entry point uses (-1 for none), or null when the scan cannot tell. */
export function largestGroup(scan: ModuleScan, stage: ShaderStage, entryPoint: string | undefined): number | null {
  const vars = entryVars(scan, stage, entryPoint);
  if (!vars) return null;
  const groups = vars.map((v) => v.group ?? -1);
  return groups.some(Number.isNaN) ? null : Math.max(-1, ...groups);
}

/** A texture and a sampler that one textureSample* or textureGather* call of an entry point takes. */
export interface SamplingPair {
  texture: ModuleVar;
  sampler: ModuleVar;
}

/**
 * The texture-sampler pairs of the sampling calls that the entry point makes, through its calls
 * (the spec's "texture-sampler pairs" for a layout's filtering checks), or null when there is no
 * such entry point. A call on a function's parameters is left out: the scan does not follow values.
 */
export function samplingPairs(scan: ModuleScan, stage: ShaderStage, entryPoint: string | undefined): SamplingPair[] | null {
  const entry = entryOf(scan, stage, entryPoint);
  if (entry === undefined) return null;
  const fns = new Set([entry]);
  usedVars(scan, entry, fns);
  const pairs: SamplingPair[] = [];
  for (const fn of fns) {
    const body = scan.fns.get(fn) ?? "";
    for (const call of body.matchAll(/\btexture(?:Sample|Gather)\w*\s*\(/g)) {
      const args = bracketed(body, call.index + call[0].length - 1);
      const vars = args ? members(args[0]).map((a) => scan.vars.get(a)) : [];
      const texture = vars.find((v) => v?.type.startsWith("texture_"));
      const sampler = vars.find((v) => v?.type === "sampler");
      if (texture && sampler) pairs.push({ texture, sampler });
    }
  }
  return pairs;
}
