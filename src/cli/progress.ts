// Progress of long work on stderr: one line rewritten in place on a terminal, else a line at
// each tenth of the way (logs and CI keep a few lines, not one per step).

export class Progress {
  #done = 0;
  #lastTenth = 0;
  readonly #tty: boolean;

  constructor(
    private readonly what: string,
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.#tty = Boolean(stream.isTTY);
  }

  /** Counts `n` more steps done. */
  step(n = 1): void {
    this.#done = Math.min(this.total, this.#done + n);
    const line = `${this.what}: ${this.#done}/${this.total}`;
    if (this.#tty) {
      this.stream.write(`\r${line}${this.#done === this.total ? "\n" : ""}`);
      return;
    }
    const tenth = Math.floor((this.#done * 10) / this.total);
    if (tenth > this.#lastTenth || this.#done === this.total) {
      this.#lastTenth = tenth;
      this.stream.write(`${line}\n`);
    }
  }
}
