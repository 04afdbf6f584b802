// Progress for a long export: a bar redrawn in place on a terminal, plain lines otherwise (a log
// file or CI output should not fill with carriage returns).

/** Where progress goes: `process.stderr`, or anything with `write` (and `isTTY`/`columns` for a terminal). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Progress {
  /** `done` records so far of `total` (unknown when the list does not say). */
  update(done: number, total: number | undefined): void;
  finish(done: number): void;
}

export function progress(stream: ProgressStream): Progress {
  if (!stream.isTTY) {
    return {
      update: (done, total) =>
        stream.write(`exported ${done}${total === undefined ? '' : ` of ${total}`} records\n`),
      finish: (done) => stream.write(`done: ${done} records\n`),
    };
  }
  const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - 30));
  return {
    update: (done, total) => {
      if (total === undefined || total === 0) return void stream.write(`\r${done} records`);
      const ratio = Math.min(1, done / total);
      const filled = Math.round(ratio * width);
      stream.write(
        `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}% ${done}/${total}`,
      );
    },
    finish: (done) => stream.write(`\n${done} records exported\n`),
  };
}
