// The engine under test, and the one way to mark a test that an engine cannot pass.
import { appendFileSync } from "node:fs";
import { nativeRuntime } from "../../src/backend.ts";
import type { EngineName } from "../../src/index.ts";

/** The engine this test process runs on (WGPU_ENGINE or WGPU_LIB_PATH chose it; wgpu-native by default). */
export const engine: EngineName = nativeRuntime().engine.name;

let marks = 0;

/**
 * Marks a test that `target` cannot pass, with the reason: on that engine the test is skipped
 * with "[engine] reason" and the mark is printed and counted (scripts/test.mjs totals the marks of
 * each engine from WGPU_TEST_MARKS); on the other engines the test runs. Use as the options of
 * `test(name, engineSkip("dawn", "why"), fn)`.
 */
export function engineSkip(target: EngineName, reason: string): { skip?: string } {
  if (target !== engine) return {};
  marks++;
  const line = `[${target}] ${reason}`;
  // The caller's file and line, for the runner's list of marks.
  const where = (new Error().stack?.split("\n")[2] ?? "").replace(/^.*?(test\/[^)]*?)(:\d+)?\)?$/, "$1");
  console.error(`engine mark ${marks}: ${line} (${where})`);
  const file = process.env.WGPU_TEST_MARKS;
  if (file) appendFileSync(file, JSON.stringify({ engine: target, reason, where }) + "\n");
  return { skip: line };
}
