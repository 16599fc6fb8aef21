// The outputs of WGSL entry points, for the checks wgpu-native 29 leaves out: a vertex stage's
// user-defined outputs and clip_distances size, for the spec's inter-stage limits
// (https://www.w3.org/TR/webgpu/#abstract-opdef-validating-inter-stage-interfaces), and a fragment
// stage's @location outputs, for its color targets
// (https://www.w3.org/TR/webgpu/#abstract-opdef-validating-gpufragmentstate). A scan, not a parser:
// it reads the common shape (an entry point returning a type or a struct declared in the module,
// literal locations and array size) and answers null for anything else, leaving the check to the engine.

export interface VertexOutputs {
  /** The number of @location outputs, and the largest location (-1 when none). */
  count: number;
  maxLocation: number;
  /** The array size of the @builtin(clip_distances) output, 0 when none. */
  clipDistances: number;
}

/** The code with comments (nested block comments too) replaced by spaces. */
export function stripComments(code: string): string {
  let out = "";
  let depth = 0;
  for (let i = 0; i < code.length; i++) {
    if (depth === 0 && code.startsWith("//", i)) {
      const end = code.indexOf("\n", i);
      i = end === -1 ? code.length : end - 1;
      out += " ";
    } else if (code.startsWith("/*", i)) {
      depth++;
      i++;
    } else if (depth > 0 && code.startsWith("*/", i)) {
      depth--;
      i++;
      out += " ";
    } else if (depth === 0) out += code[i];
  }
  return out;
}

/** Splits a struct body or template list at its top-level commas (not those of array<f32, 8>). */
export function members(body: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === "<" || c === "(") depth++;
    else if (c === ">" || c === ")") depth--;
    else if (c === "," && depth === 0) {
      out.push(body.slice(start, i));
      start = i + 1;
    }
  }
  out.push(body.slice(start));
  return out.map((m) => m.trim()).filter((m) => m.length > 0);
}

/** The return type of a `stage` entry point: its attributes and type, "" for none; null when the scan cannot tell. */
function entryReturn(src: string, stage: "vertex" | "fragment", entryPoint: string | undefined): { attributes: string; type: string } | null {
  const entries = [...src.matchAll(new RegExp(`@${stage}\\s+fn\\s+([A-Za-z_]\\w*)\\s*\\(`, "g"))];
  const entry = entryPoint === undefined ? (entries.length === 1 ? entries[0] : undefined) : entries.find((m) => m[1] === entryPoint);
  if (!entry) return null;
  // The parameter list, then `-> attributes type`.
  let depth = 1;
  let i = entry.index + entry[0].length;
  for (; i < src.length && depth > 0; i++) depth += src[i] === "(" ? 1 : src[i] === ")" ? -1 : 0;
  if (/^\s*\{/.test(src.slice(i))) return { attributes: "", type: "" };
  const ret = /^\s*->\s*((?:@\w+\s*(?:\([^)]*\))?\s*)*)([A-Za-z_]\w*(?:\s*<[^>{]*>)?)\s*\{/.exec(src.slice(i));
  return ret ? { attributes: ret[1].trim(), type: ret[2] } : null;
}

/** The members of the struct `name` declared in `src`, or null. */
function structMembers(src: string, name: string): string[] | null {
  const struct = new RegExp(`\\bstruct\\s+${name}\\s*\\{([^}]*)\\}`).exec(src);
  return struct ? members(struct[1]) : null;
}

/**
 * The outputs of the vertex entry point `entryPoint` (or of the only one when undefined) in
 * `code`, or null when the scan cannot tell (no such entry point, a return type it does not read).
 */
export function vertexOutputs(code: string, entryPoint: string | undefined): VertexOutputs | null {
  const src = stripComments(code);
  const ret = entryReturn(src, "vertex", entryPoint);
  if (!ret || ret.type === "") return null;
  const none = { count: 0, maxLocation: -1, clipDistances: 0 };
  if (ret.attributes !== "")
    return /@location/.test(ret.attributes)
      ? { count: 1, maxLocation: Number(/@location\s*\(\s*(\d+)/.exec(ret.attributes)?.[1] ?? Number.NaN), clipDistances: 0 }
      : none;
  const list = structMembers(src, ret.type);
  if (!list) return null;
  const out = { ...none };
  for (const m of list) {
    const location = /@location\s*\(\s*([^)]*?)\s*\)/.exec(m);
    if (location) {
      if (!/^\d+[iu]?$/.test(location[1])) return null;
      out.count++;
      out.maxLocation = Math.max(out.maxLocation, Number.parseInt(location[1], 10));
    } else if (/@builtin\s*\(\s*clip_distances\s*\)/.test(m)) {
      const size = /array\s*<\s*f32\s*,\s*(\d+)[iu]?\s*,?\s*>/.exec(m);
      if (!size) return null;
      out.clipDistances = Number.parseInt(size[1], 10);
    }
  }
  return Number.isNaN(out.maxLocation) ? null : out;
}

/** A fragment output's scalar type and component count. */
export interface FragmentOutput {
  scalar: "f32" | "f16" | "i32" | "u32";
  components: number;
}

const SHORT_SCALARS: Record<string, FragmentOutput["scalar"]> = { f: "f32", h: "f16", i: "i32", u: "u32" };

/** The scalar and component count of a scalar or vector type, or null for another type. */
function outputType(type: string): FragmentOutput | null {
  const m = /^(?:(f32|f16|i32|u32)|vec([234])\s*<\s*(f32|f16|i32|u32)\s*>|vec([234])([fhiu]))$/.exec(type.trim());
  if (!m) return null;
  if (m[1]) return { scalar: m[1] as FragmentOutput["scalar"], components: 1 };
  if (m[2]) return { scalar: m[3] as FragmentOutput["scalar"], components: Number(m[2]) };
  return { scalar: SHORT_SCALARS[m[5]], components: Number(m[4]) };
}

/**
 * The @location outputs of the fragment entry point `entryPoint` (or of the only one when
 * undefined), by location (with dual-source blending, @blend_src(0)'s), or null when the scan
 * cannot tell.
 */
export function fragmentOutputs(code: string, entryPoint: string | undefined): Map<number, FragmentOutput> | null {
  const src = stripComments(code);
  const ret = entryReturn(src, "fragment", entryPoint);
  if (!ret) return null;
  const out = new Map<number, FragmentOutput>();
  const add = (attributes: string, type: string): boolean => {
    const location = /@location\s*\(\s*([^)]*?)\s*\)/.exec(attributes);
    if (!location) return true; // a built-in (frag_depth, sample_mask)
    const t = outputType(type);
    if (!/^\d+[iu]?$/.test(location[1]) || !t) return false;
    const at = Number.parseInt(location[1], 10);
    if (!out.has(at) || /@blend_src\s*\(\s*0/.test(attributes)) out.set(at, t);
    return true;
  };
  if (ret.type === "") return out;
  if (ret.attributes !== "") return add(ret.attributes, ret.type) ? out : null;
  const list = structMembers(src, ret.type);
  if (!list) return null;
  for (const m of list) {
    const member = /^((?:@\w+\s*(?:\([^)]*\))?\s*)*)[A-Za-z_]\w*\s*:\s*([\s\S]+)$/.exec(m);
    if (!member || !add(member[1], member[2])) return null;
  }
  return out;
}
