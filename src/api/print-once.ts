// Console output that a loop cannot flood: each distinct message is written once, like a browser
// console, and its repeats are counted and summarised when the process exits.

export class OncePrinter {
  readonly #seen = new Map<string, number>();
  #exitHookInstalled = false;

  /** @param describe what to call a key in the exit summary (its first lines, for long messages). */
  constructor(private readonly describe: (key: string) => string = (key) => key) {}

  /** Writes `text` if `key` is new; otherwise counts a repeat. Returns true when written. */
  print(key: string, text: () => string): boolean {
    const count = this.#seen.get(key) ?? 0;
    this.#seen.set(key, count + 1);
    if (count > 0) return false;
    process.stderr.write(text());
    if (!this.#exitHookInstalled) {
      this.#exitHookInstalled = true;
      process.once("exit", () => {
        for (const [k, n] of this.#seen) if (n > 1) process.stderr.write(`wgpu-ts: (${this.describe(k)}) repeated ${n - 1} more time(s)\n`);
      });
    }
    return true;
  }

  /** The number of distinct messages so far. */
  get size(): number {
    return this.#seen.size;
  }

  /** Messages so far, with how often each came. */
  counts(): Record<string, number> {
    return Object.fromEntries(this.#seen);
  }
}
