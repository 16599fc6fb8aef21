// The child side of `npm run cts` (scripts/cts.mjs): runs one CTS spec file's cases in this process
// and writes one JSON line per event to a results file, synchronously (fs.writeSync), so that what
// happened before a crash or a hang is on disk when the parent looks. Run under tsx with the CTS
// tree as the working directory and its tsx.tsconfig.json:
//   run-cases.ts list <out> <query>...         one line per case name
//   run-cases.ts run <out> <job.json>          job: { provider, flags, cases: string[], start }
// Events: {"start":i} before case i runs, then {"i":i,"status","ms","message"} when it settles.
import { closeSync, openSync, readFileSync, writeSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";

const cts = process.cwd();
const [mode, outPath, ...args] = process.argv.slice(2);
if (!mode || !outPath || !args.length) throw new Error("usage: run-cases.ts list <out> <query>... | run <out> <job.json>");
const out = openSync(outPath, "a");
const emit = (event: object) => writeSync(out, `${JSON.stringify(event)}\n`);

const from = (path: string) => import(join(cts, "src/common", path));
const { DefaultTestFileLoader } = await from("internal/file_loader.ts");
const { parseQuery } = await from("internal/query/parseQuery.ts");
const { Logger } = await from("internal/logging/logger.ts");
const { setBaseResourcePath } = await from("framework/resources.ts");
const { dataCache } = await from("framework/data_cache.ts");
const { setGPUProvider } = await from("util/navigator_gpu.ts");

/** The spec file part of a case name: `webgpu:api,operation,buffers,map`. */
const fileOf = (name: string) => name.split(":").slice(0, 2).join(":");

if (mode === "list") {
  const loader = new DefaultTestFileLoader();
  for (const query of args) {
    for (const testcase of await loader.loadCases(parseQuery(query))) writeSync(out, `${testcase.query.toString()}\n`);
  }
  closeSync(out);
  process.exit(0);
}

const job = JSON.parse(readFileSync(args[0], "utf8")) as { provider: string; flags: string[]; cases: string[]; start: number };
const resources = join(cts, "src/resources");
setBaseResourcePath(resources);
dataCache.setStore({ load: async (path: string) => new Uint8Array(readFileSync(join(resources, "cache", path))) });
const provider = createRequire(import.meta.url)(resolve(job.provider)) as { create(flags: string[]): GPU };
setGPUProvider(() => provider.create(job.flags));

const wanted = new Map(job.cases.map((name, i) => [name, i]));
const loader = new DefaultTestFileLoader();
const files = [...new Set(job.cases.map(fileOf))];
const log = new Logger();
for (const file of files) {
  for (const testcase of await loader.loadCases(parseQuery(`${file}:*`))) {
    const name = testcase.query.toString();
    const i = wanted.get(name);
    if (i === undefined || i < job.start) continue;
    emit({ start: i });
    const [rec, res] = log.record(name);
    await testcase.run(rec, []);
    emit({ i, status: res.status, ms: Math.round(res.timems), message: firstMessage(res) });
  }
}
closeSync(out);
process.exit(0);

/** The first line of the log that decided a failing, warning or skipped case; "" for a pass. */
function firstMessage(res: { status: string; logs?: { name: string; message: string; stack?: string }[] }): string {
  if (res.status === "pass" || !res.logs?.length) return "";
  const wanted = res.status === "skip" ? /SKIP/ : res.status === "warn" ? /WARN/ : /FAIL|EXCEPTION|ERROR|Error/;
  const log = res.logs.find((l) => wanted.test(l.name)) ?? res.logs[0];
  const first = log.message.split("\n").find((l) => l.trim());
  // An expect() without a message: where in the spec file it was.
  const at = /([\w-]+\.spec\.ts:\d+)/.exec(log.stack ?? "")?.[1];
  const text = `${log.name}: ${first ?? (at ? `at ${at}` : "")}`;
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}
