// ABI check: the C compiler's sizeof/offsetof for every struct of webgpu.h + wgpu.h against the
// layout the codegen computed and against the koffi struct types that bind.ts declares from it.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { headers, includeDir } from "../codegen/generate-ffi.ts";
import { layout } from "../src/native/ffi/generated/webgpu.ts";
import { structType } from "../src/native/ffi/bind.ts";
import { probeStructs, type CStructInfo } from "./helpers/abi-probe.ts";

const layouts = layout as unknown as Record<string, Record<string, number>>;
// Every struct in layout is checked; none needs skipping (the one inline union,
// WGPUNativeDisplayHandle.data, is a named member, so offsetof works on it).
const structs = Object.keys(layouts);
const membersOf = (name: string) => Object.keys(layouts[name]).filter((k) => k !== "$size");

let cInfo: Map<string, CStructInfo>;

before(() => {
  cInfo = probeStructs(includeDir, headers, Object.fromEntries(structs.map((s) => [s, membersOf(s)])));
});

test("the C probe reports every struct in layout", () => {
  assert.equal(cInfo.size, structs.length);
  assert.ok(structs.length > 100);
});

test("every struct defined in the headers is in layout", () => {
  const missing: string[] = [];
  for (const h of headers) {
    const text = readFileSync(join(includeDir, h), "utf8")
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/\/\/[^\n]*/g, "");
    for (const m of text.matchAll(/\btypedef\s+struct\s+(WGPU\w+)\s*\{/g)) {
      if (!(m[1] in layouts)) missing.push(`${h}: ${m[1]}`);
    }
  }
  assert.deepEqual(missing, [], `structs the codegen left out:\n${missing.join("\n")}`);
});

test("generated layout matches the C compiler (sizeof/offsetof)", () => {
  const mismatches: string[] = [];
  for (const s of structs) {
    const c = cInfo.get(s)!;
    const l = layouts[s];
    if (l.$size !== c.size) mismatches.push(`${s}: $size ${l.$size}, C sizeof ${c.size}`);
    for (const m of membersOf(s)) {
      const [off] = c.members[m];
      if (l[m] !== off) mismatches.push(`${s}.${m}: offset ${l[m]}, C offsetof ${off}`);
    }
  }
  assert.deepEqual(mismatches, [], `layout disagrees with gcc:\n${mismatches.join("\n")}`);
});

test("koffi struct types match the C compiler (size, alignment, member offsets and sizes)", () => {
  const mismatches: string[] = [];
  for (const s of structs) {
    const c = cInfo.get(s)!;
    let t: ReturnType<typeof structType>;
    try {
      t = structType(s);
    } catch (e) {
      mismatches.push(`${s}: koffi has no type (${(e as Error).message})`);
      continue;
    }
    if (t.size !== c.size) mismatches.push(`${s}: koffi size ${t.size}, C sizeof ${c.size}`);
    if (t.alignment !== c.align) mismatches.push(`${s}: koffi alignment ${t.alignment}, C _Alignof ${c.align}`);
    const members = (t.members ?? {}) as Record<string, { offset: number; type: { size: number } }>;
    const names = Object.keys(members);
    if (JSON.stringify(names) !== JSON.stringify(membersOf(s))) {
      mismatches.push(`${s}: koffi members [${names}], layout members [${membersOf(s)}]`);
    }
    for (const m of membersOf(s)) {
      const km = members[m];
      if (!km) continue;
      const [off, size] = c.members[m];
      if (km.offset !== off) mismatches.push(`${s}.${m}: koffi offset ${km.offset}, C offsetof ${off}`);
      if (km.type.size !== size) mismatches.push(`${s}.${m}: koffi size ${km.type.size}, C sizeof ${size}`);
    }
  }
  assert.deepEqual(mismatches, [], `koffi types disagree with gcc:\n${mismatches.join("\n")}`);
});
