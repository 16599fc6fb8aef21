// Expectations files of `npm run cts` (test/cts/expectations/<engine>.txt): one line per known
// failure, `<case or query> [status] # reason`. A query ending in `*` matches every case whose name
// starts with what comes before the `*` (`webgpu:api,operation,buffers,map:mapAsync,read:*`).
// The status is `fail` unless given: `[crash]`, `[timeout]`, or several (`[fail,timeout]`).
// Lines starting with `#` are comments; the header comments are kept by an update.

/** Parses an expectations file: { header: string[], entries: {query, statuses, reason, line}[] }. */
export function parseExpectations(text, name = "expectations") {
  const header = [];
  const entries = [];
  let inHeader = true;
  text.split("\n").forEach((raw, n) => {
    const line = raw.trim();
    if (!line) return;
    if (line.startsWith("#")) {
      if (inHeader) header.push(raw);
      return;
    }
    inHeader = false;
    const m = /^(\S+)(?:\s+\[([a-z,]+)\])?\s*(?:#\s*(.*))?$/.exec(line);
    if (!m) throw new Error(`${name}:${n + 1}: not '<query> [status] # reason': ${line}`);
    const statuses = (m[2] ?? "fail").split(",");
    for (const s of statuses) {
      if (!["fail", "crash", "timeout"].includes(s)) throw new Error(`${name}:${n + 1}: unknown status ${s}`);
    }
    if (!m[3]) throw new Error(`${name}:${n + 1}: an expectation needs a reason (# why it fails)`);
    entries.push({ query: m[1], statuses, reason: m[3], line: n + 1 });
  });
  return { header, entries };
}

/** A function from a case name to its expectation entry (an exact line wins, then the longest prefix). */
export function matcher(entries) {
  const exact = new Map(entries.filter((e) => !e.query.endsWith("*")).map((e) => [e.query, e]));
  const prefixes = entries.filter((e) => e.query.endsWith("*")).sort((a, b) => b.query.length - a.query.length);
  return (name) => exact.get(name) ?? prefixes.find((e) => name.startsWith(e.query.slice(0, -1)));
}

const failing = (r) => r.status === "fail" || r.status === "crash" || r.status === "timeout";

/**
 * Results against expectations: `expected` (failing as listed), `unexpected` (failing, not listed
 * or listed with another status), `nowPass` (listed, but passed or skipped).
 */
export function compare(results, { entries }) {
  const find = matcher(entries);
  const out = { expected: [], unexpected: [], nowPass: [] };
  for (const r of results) {
    const e = find(r.case);
    if (failing(r)) (e?.statuses.includes(r.status) ? out.expected : out.unexpected).push(r);
    else if (e) out.nowPass.push({ ...r, expected: e.statuses.join(",") });
  }
  return out;
}

/**
 * The expectations file rewritten from `results`: a wildcard line is kept while some case it
 * matches still fails (its statuses widened to what they did) or it matched no case run; an exact
 * line of a case run is kept only if that case still fails; each failing case that no line covers
 * gets a line of its own, whose reason is the case's first failure message.
 */
export function updateExpectations({ header, entries }, results) {
  const find = matcher(entries);
  const byEntry = new Map(entries.map((e) => [e, []]));
  const added = [];
  for (const r of results) {
    const e = find(r.case);
    if (e) byEntry.get(e).push(r);
    else if (failing(r)) added.push({ query: r.case, statuses: [r.status], reason: r.message || r.status });
  }
  const kept = [];
  for (const [e, rs] of byEntry) {
    if (!rs.length) kept.push(e);
    else if (rs.some(failing)) {
      const statuses = [...new Set([...rs.filter(failing).map((r) => r.status)])];
      kept.push({ ...e, statuses: e.query.endsWith("*") ? [...new Set([...e.statuses, ...statuses])].filter((s) => statuses.includes(s)) : statuses });
    }
  }
  const all = [...kept, ...added].sort((a, b) => (a.query < b.query ? -1 : a.query > b.query ? 1 : 0));
  const line = (e) => `${e.query}${e.statuses.join(",") === "fail" ? "" : ` [${e.statuses.join(",")}]`} # ${e.reason.replace(/\s+/g, " ").trim()}`;
  return `${[...header, ...all.map(line)].join("\n")}\n`;
}
