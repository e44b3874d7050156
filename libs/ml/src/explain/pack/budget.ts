import type { PackFile } from './types';

/** The limits of one pack. */
export interface PackLimits {
  /** Byte budget of all the pack's files; files past it are left out and listed. */
  maxBytes: number;
  /** Time budget in seconds: stages (and filter layers) not started by then are skipped and listed. */
  maxSeconds: number;
}

/** Something left out of the pack, and why. */
export interface SkippedItem {
  what: string;
  reason: string;
}

/**
 * The byte and time budget of one pack, and what it kept and left out. Files are kept in the
 * order they are offered while they fit; the clock starts when the budget is made.
 */
export class PackBudget {
  readonly files: PackFile[] = [];
  readonly skipped: SkippedItem[] = [];
  private bytes = 0;

  /**
   * @param limits byte and time limits
   * @param now clock in milliseconds (default `performance.now`; tests pass their own)
   */
  constructor(
    readonly limits: PackLimits,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
  }

  /** When the budget was made (the clock's milliseconds). */
  readonly started: number;

  /** Bytes of the files kept. */
  get totalBytes(): number {
    return this.bytes;
  }

  /** Seconds since the budget was made. */
  elapsedSeconds(): number {
    return (this.now() - this.started) / 1000;
  }

  /** True once the time budget is spent (strictly past it). */
  timeSpent(): boolean {
    return this.elapsedSeconds() > this.limits.maxSeconds;
  }

  /**
   * Keeps `file` if it fits the byte budget, else lists it as skipped.
   * @returns whether the file was kept
   */
  add(file: Omit<PackFile, 'bytes'>): boolean {
    if (this.bytes + file.data.length > this.limits.maxBytes) {
      this.skip(file.name, `byte budget of ${this.limits.maxBytes} reached`);
      return false;
    }
    this.bytes += file.data.length;
    this.files.push({ ...file, bytes: file.data.length });
    return true;
  }

  /** Lists `what` as skipped because the time budget is spent. */
  skipForTime(what: string): void {
    this.skip(what, `time budget of ${this.limits.maxSeconds} s spent`);
  }

  /** Lists `what` as left out for `reason`. */
  skip(what: string, reason: string): void {
    this.skipped.push({ what, reason });
  }
}
