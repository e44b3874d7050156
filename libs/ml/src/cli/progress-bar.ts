/** Options of {@link createProgressBar}. */
export interface ProgressBarOptions {
  /** Stream to draw on (default process.stderr). */
  stream?: NodeJS.WriteStream;
  /** Bar width in characters (default 28). */
  width?: number;
}

/** A single-line terminal progress bar; on a non-TTY stream it prints only finished lines. */
export interface ProgressBar {
  /** Redraws the bar at `done/total` with a label on the right. */
  update(done: number, total: number, label: string): void;
  /** Prints a permanent line above the bar. */
  line(text: string): void;
  /** Clears the bar. */
  stop(): void;
}

/** Formats seconds as `1m05s` / `12s`. */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '?';
  const m = Math.floor(s / 60);
  const sec = Math.round(s % 60);
  return m > 0 ? `${m}m${String(sec).padStart(2, '0')}s` : `${sec}s`;
}

/** Creates a progress bar drawn with `\r` on TTYs (throttled to ~10 redraws/s). */
export function createProgressBar(options: ProgressBarOptions = {}): ProgressBar {
  const stream = options.stream ?? process.stderr;
  const width = options.width ?? 28;
  const tty = Boolean(stream.isTTY);
  let last = 0;
  let drawn = false;
  const clear = () => {
    if (tty && drawn) stream.write('\r\x1b[2K');
    drawn = false;
  };
  return {
    update(done, total, label) {
      if (!tty) return;
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const frac = total > 0 ? Math.min(1, done / total) : 0;
      const filled = Math.round(frac * width);
      const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
      stream.write(`\r\x1b[2K${bar} ${String(Math.round(frac * 100)).padStart(3)}% ${label}`);
      drawn = true;
    },
    line(text) {
      clear();
      stream.write(`${text}\n`);
    },
    stop() {
      clear();
    },
  };
}
