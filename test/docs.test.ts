// The "Differences from WebGPU" page is made from the apiDiff registry, every entry of it.
// (npm run docs itself, with warnings as errors, runs in CI after npm test.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { apiDiff } from "../src/api/api-diff.ts";
import { differencesPage } from "../scripts/docs.ts";

test("the differences page lists every apiDiff entry under its kind, with its reason", () => {
  const page = differencesPage();
  const sections = page.split(/^## /m).slice(1);
  for (const d of apiDiff) {
    const section = sections.find((s) => s.toLowerCase().startsWith(d.kind));
    assert.ok(section, `a section for ${d.kind}`);
    assert.ok(section.includes(`| \`${d.target}\` | ${d.reason.replace(/\|/g, "\\|")} |`), d.target);
  }
  const browser = sections.find((s) => s.startsWith("In a browser"));
  assert.ok(browser, "a section for the browser build");
  for (const d of apiDiff.filter((e) => e.browser))
    assert.ok(browser.includes(`| \`${d.target}\` | ${d.browser!.replace(/\|/g, "\\|")} |`), `${d.target} in a browser`);
  for (const kind of ["added", "changed", "hidden"]) {
    assert.match(page, new RegExp(`^## ${kind[0].toUpperCase()}${kind.slice(1)} \\(${apiDiff.filter((d) => d.kind === kind).length}\\)$`, "m"));
  }
});
