// The committed generated files must match what `npm run codegen` would write from the installed
// engine headers, and the generated tables must look right.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { generateAll, outputDir } from "../codegen/generate-ffi.ts";
import { WGPUTextureFormat, functionDecls, layout, structDecls, type KoffiFields } from "../src/native/ffi/generated/webgpu.ts";
import { GPUTextureFormat, unmatchedIdlEnumValues } from "../src/native/ffi/generated/string-enums.ts";

const layouts = layout as unknown as Record<string, Record<string, number>>;

test("committed generated files are up to date with the engine headers", () => {
  const generated = generateAll();
  const stale: string[] = [];
  for (const [file, code] of Object.entries(generated)) {
    let onDisk: string | undefined;
    try {
      onDisk = readFileSync(join(outputDir, file), "utf8");
    } catch {
      onDisk = undefined;
    }
    if (onDisk === undefined) stale.push(`${file}: missing`);
    else if (onDisk !== code) {
      const a = onDisk.split("\n");
      const b = code.split("\n");
      const i = a.findIndex((line, n) => line !== b[n]);
      const at = i === -1 ? Math.min(a.length, b.length) : i;
      stale.push(`${file}: differs from line ${at + 1}\n  committed: ${a[at]}\n  generated: ${b[at]}`);
    }
  }
  const extra = readdirSync(outputDir).filter((f) => !(f in generated));
  for (const f of extra) stale.push(`${f}: in ${outputDir} but no longer generated`);
  assert.deepEqual(stale, [], `src/native/ffi/generated is stale; run \`npm run codegen\` and commit the result:\n${stale.join("\n")}`);
});

test("layout: known sizes and offsets", () => {
  assert.ok(Object.keys(layouts).length > 100, `only ${Object.keys(layouts).length} structs in layout`);
  assert.deepEqual(layout.WGPUStringView, { $size: 16, data: 0, length: 8 });
  assert.deepEqual(layout.WGPUChainedStruct, { $size: 16, next: 0, sType: 8 });
  assert.equal(layout.WGPUBufferDescriptor.$size, 48);
  assert.equal(layout.WGPUBufferDescriptor.label, 8);
  assert.equal(layout.WGPUBufferDescriptor.usage, 24);
});

test("structDecls agree with layout and are in dependency order", () => {
  assert.deepEqual(
    structDecls.map(([name]) => name),
    Object.keys(layouts),
    "structDecls and layout list different structs (or in a different order)",
  );
  const declared = new Set<string>();
  const problems: string[] = [];
  const checkDeps = (owner: string, fields: KoffiFields) => {
    for (const [field, type] of fields) {
      if (typeof type !== "string") checkDeps(owner, type);
      else if (type in layouts && !declared.has(type)) problems.push(`${owner}.${field}: ${type} is declared later`);
    }
  };
  for (const [name, fields] of structDecls) {
    const memberNames = Object.keys(layouts[name]).filter((k) => k !== "$size");
    const declNames = fields.map(([field]) => field);
    if (JSON.stringify(memberNames) !== JSON.stringify(declNames)) {
      problems.push(`${name}: layout members [${memberNames}] != structDecls fields [${declNames}]`);
    }
    checkDeps(name, fields);
    declared.add(name);
  }
  assert.deepEqual(problems, []);
});

test("function declarations carry their header", () => {
  assert.deepEqual(functionDecls.wgpuCreateInstance, { ret: "void *", params: ["void *"], header: "webgpu.h" });
  assert.equal(functionDecls.wgpuDevicePoll?.header, "wgpu.h");
  assert.ok(Object.keys(functionDecls).length > 150, `only ${Object.keys(functionDecls).length} functions`);
});

test("string enums map IDL values to C values", () => {
  assert.equal(GPUTextureFormat.rgba8unorm, WGPUTextureFormat.RGBA8Unorm);
  assert.equal(GPUTextureFormat["depth24plus-stencil8"], WGPUTextureFormat.Depth24PlusStencil8);
  assert.ok(Object.keys(GPUTextureFormat).length > 50);
  // Only values the C API deliberately leaves out: pipeline error reasons are reported through
  // WGPUCreatePipelineAsyncStatus, and "auto" layout is a null layout pointer.
  assert.deepEqual([...unmatchedIdlEnumValues].sort(), [
    'GPUAutoLayoutMode."auto"',
    'GPUPipelineErrorReason."internal"',
    'GPUPipelineErrorReason."validation"',
  ]);
});
