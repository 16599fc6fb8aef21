// The user-defined outputs of a WGSL vertex entry point and its clip_distances size, for the spec's
// inter-stage limits (https://www.w3.org/TR/webgpu/#abstract-opdef-validating-inter-stage-interfaces):
// wgpu-native 29 leaves clip_distances out of its count. A scan, not a parser: it reads the
// common shape (an entry point returning a struct declared in the module, literal locations and
// array size) and answers null for anything else, leaving the check to the engine.

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

/**
 * The outputs of the vertex entry point `entryPoint` (or of the only one when undefined) in
 * `code`, or null when the scan cannot tell (no such entry point, a return type it does not read).
 */
export function vertexOutputs(code: string, entryPoint: string | undefined): VertexOutputs | null {
  const src = stripComments(code);
  const entries = [...src.matchAll(/@vertex\s+fn\s+([A-Za-z_]\w*)\s*\(/g)];
  const entry = entryPoint === undefined ? (entries.length === 1 ? entries[0] : undefined) : entries.find((m) => m[1] === entryPoint);
  if (!entry) return null;
  // The parameter list, then `-> attributes type`.
  let depth = 1;
  let i = entry.index + entry[0].length;
  for (; i < src.length && depth > 0; i++) depth += src[i] === "(" ? 1 : src[i] === ")" ? -1 : 0;
  const ret = /^\s*->\s*((?:@\w+\s*(?:\([^)]*\))?\s*)*)([A-Za-z_]\w*)\s*\{/.exec(src.slice(i));
  if (!ret) return null;
  const none = { count: 0, maxLocation: -1, clipDistances: 0 };
  if (ret[1].trim() !== "")
    return /@location/.test(ret[1]) ? { count: 1, maxLocation: Number(/@location\s*\(\s*(\d+)/.exec(ret[1])?.[1] ?? Number.NaN), clipDistances: 0 } : none;
  const struct = new RegExp(`\\bstruct\\s+${ret[2]}\\s*\\{([^}]*)\\}`).exec(src);
  if (!struct) return null;
  const out = { ...none };
  for (const m of members(struct[1])) {
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
