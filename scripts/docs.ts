// `npm run docs`: the API reference (TypeDoc, from the TSDoc of src/index.ts and src/extras.ts)
// into docs/api/ (gitignored), with the guides of docs/ and the "Differences from WebGPU" page,
// which is made here from the apiDiff registry (src/api/api-diff.ts), its one source. Warnings are
// errors: a broken link or an undocumented reference fails the build.
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Application } from "typedoc";
import { apiDiff } from "../src/api/api-diff.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const generated = join(root, "build", "docs");

/** The apiDiff registry as a Markdown page: one table per kind of difference. */
export function differencesPage(): string {
  const kinds = [
    ["added", "Added", "Members and functions that the spec does not have (wgpu-py's conveniences, sync twins)."],
    ["changed", "Changed", "Members that behave otherwise than the spec says, and why."],
    ["hidden", "Hidden", "Members of the spec that wgpu-ts does not offer."],
  ] as const;
  const lines = [
    "---",
    "title: Differences from WebGPU",
    "---",
    "",
    "# Differences from WebGPU",
    "",
    "wgpu-ts is the W3C WebGPU API as `@webgpu/types` declares it. Every deliberate difference is one entry of the",
    "`apiDiff` registry (`src/api/api-diff.ts`, exported as `apiDiff`); this page is generated from it, and a test checks",
    "the classes against it. Nothing else differs.",
  ];
  for (const [kind, title, intro] of kinds) {
    const entries = apiDiff.filter((d) => d.kind === kind);
    lines.push("", `## ${title} (${entries.length})`, "", intro, "");
    if (!entries.length) {
      lines.push("None.");
      continue;
    }
    lines.push("| API | Why |", "| --- | --- |", ...entries.map((d) => `| \`${d.target}\` | ${d.reason.replace(/\|/g, "\\|")} |`));
  }
  const notes = apiDiff.filter((d) => d.browser);
  lines.push(
    "",
    `## In a browser (${notes.length})`,
    "",
    "wgpu-ts's browser build (the package's `browser` export condition) is the page's own WebGPU with these extras added to it.",
    "An entry above that is not listed here is the same in a browser.",
    "",
    "| API | In a browser |",
    "| --- | --- |",
    ...notes.map((d) => `| \`${d.target}\` | ${d.browser!.replace(/\|/g, "\\|")} |`),
  );
  return lines.join("\n") + "\n";
}

async function main(): Promise<number> {
  mkdirSync(generated, { recursive: true });
  const differences = join(generated, "differences-from-webgpu.md");
  writeFileSync(differences, differencesPage());
  const guides = readdirSync(join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => join(root, "docs", f));
  const app = await Application.bootstrapWithPlugins({
    options: join(root, "typedoc.json"),
    projectDocuments: [...guides, differences, join(root, "CHANGELOG.md"), join(root, "CONTRIBUTING.md")],
  });
  const project = await app.convert();
  if (!project) return 1;
  app.validate(project);
  if (app.logger.hasErrors() || app.logger.hasWarnings()) return 1;
  const out = app.options.getValue("out");
  await app.generateDocs(project, out);
  if (app.logger.hasErrors() || app.logger.hasWarnings()) return 1;
  console.log(`docs: wrote ${out}/index.html`);
  return 0;
}

// Run as a script (npm run docs); imported, only differencesPage is used (test/docs.test.ts).
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) process.exitCode = await main();
