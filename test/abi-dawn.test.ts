// Dawn's webgpu.h against the tables generated from wgpu-native's headers: the binding is shared,
// so every struct layout, enum value and function arity both headers have must agree, and the
// names they share with other signatures must be exactly the ones bound per engine.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as generated from "../src/native/ffi/generated/webgpu.ts";
import { packageRoot } from "../src/native/engine/package-root.ts";
import { probeStructs } from "./helpers/abi-probe.ts";

const dawnInclude = join(packageRoot, "vendor/engines/dawn/include");
const header = join(dawnInclude, "webgpu.h");
const options = existsSync(header) || process.env.CI ? {} : { skip: "Dawn is not installed (node scripts/install-engines.mjs)" };
const text = () => readFileSync(header, "utf8");
const layouts = generated.layout as unknown as Record<string, Record<string, number>>;
const membersOf = (name: string) => Object.keys(layouts[name]).filter((k) => k !== "$size");

/** Struct name -> member names, from Dawn's (flattened) header. */
function dawnStructs(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of text().matchAll(/typedef struct (WGPU\w+) \{([\s\S]*?)\} \1/g)) {
    const members = m[2]
      .split(";")
      .map((d) => /(\w+)\s*(\[\d+\])?\s*$/.exec(d.trim())?.[1])
      .filter((x): x is string => !!x);
    out.set(m[1], members);
  }
  return out;
}

/** Function name -> parameter count, from a header's prototypes. */
function arities(source: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of source.matchAll(/\b(wgpu[A-Z]\w*)\s*\(([^)]*)\)\s*(?:WGPU_FUNCTION_ATTRIBUTE\s*)?;/g)) {
    out.set(m[1], m[2].trim() === "void" || m[2].trim() === "" ? 0 : m[2].split(",").length);
  }
  return out;
}

test("Dawn's header has the same struct layouts as the generated tables (gcc probe)", options, () => {
  const dawn = dawnStructs();
  const shared = Object.keys(layouts).filter((s) => dawn.has(s));
  const differentMembers = shared.filter((s) => JSON.stringify(dawn.get(s)) !== JSON.stringify(membersOf(s)));
  assert.deepEqual(differentMembers, [], "structs whose members differ between Dawn and wgpu-native");
  const info = probeStructs(dawnInclude, ["webgpu.h"], Object.fromEntries(shared.map((s) => [s, membersOf(s)])));
  const mismatches: string[] = [];
  for (const s of shared) {
    const c = info.get(s)!;
    if (c.size !== layouts[s].$size) mismatches.push(`${s}: $size ${layouts[s].$size}, Dawn sizeof ${c.size}`);
    for (const m of membersOf(s)) if (c.members[m][0] !== layouts[s][m]) mismatches.push(`${s}.${m}: ${layouts[s][m]}, Dawn ${c.members[m][0]}`);
  }
  assert.deepEqual(mismatches, []);
  assert.ok(shared.length >= 80, `only ${shared.length} structs shared`);
});

test("Dawn's header has the same enum values as the generated tables", options, () => {
  const dawn = new Map([...text().matchAll(/\b(WGPU\w+?)_(\w+) = (0x[0-9A-Fa-f]+)/g)].map((m) => [`${m[1]}.${m[2]}`, Number(m[3])]));
  const mismatches: string[] = [];
  let shared = 0;
  for (const [name, values] of Object.entries(generated)) {
    if (!/^WGPU[A-Z]/.test(name) || typeof values !== "object") continue;
    for (const [member, value] of Object.entries(values as Record<string, unknown>)) {
      const d = dawn.get(`${name}.${member}`);
      if (d === undefined || (typeof value !== "number" && typeof value !== "bigint")) continue;
      shared++;
      if (Number(value) !== d) mismatches.push(`${name}.${member}: ${value}, Dawn ${d}`);
    }
  }
  assert.deepEqual(mismatches, []);
  assert.ok(shared >= 400, `only ${shared} enum values shared`);
});

test("webgpu.h functions have Dawn's arity; the wgpu.h names Dawn declares differently are the multi-draw-indirect ones", options, () => {
  const dawn = arities(text());
  const wgpuNativeInclude = join(packageRoot, "vendor/engines/wgpu-native/include");
  const webgpuH = arities(readFileSync(join(wgpuNativeInclude, "webgpu.h"), "utf8"));
  const wgpuH = arities(readFileSync(join(wgpuNativeInclude, "wgpu.h"), "utf8"));
  const differ = [...webgpuH].filter(([name, n]) => dawn.has(name) && dawn.get(name) !== n).map(([name]) => name);
  assert.deepEqual(differ, []);
  // wgpu.h names Dawn declares too: the write-timestamp ones agree; the multi-draw-indirect ones take
  // other arguments on each engine, which is why runtime.ts binds wgpu.h only on wgpu-native.
  const shared = [...wgpuH.keys()].filter((name) => dawn.has(name) && !webgpuH.has(name));
  const clashes = shared.filter((name) => dawn.get(name) !== wgpuH.get(name)).sort();
  assert.deepEqual(clashes, ["wgpuRenderPassEncoderMultiDrawIndexedIndirect", "wgpuRenderPassEncoderMultiDrawIndirect"]);
});
