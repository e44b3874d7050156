// The time source of the code that judges time-outs (the heartbeat reaper, explanation-job
// time-outs and waits). Production uses the system clock; tests pass a FakeClock and move time
// forward instead of sleeping past a timeout.

/** A timer started by a {@link Clock}; `unref` lets the process exit while it is pending. */
export interface ClockTimer {
  unref(): void;
}

/** Current time and timers. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` once after `ms` milliseconds. */
  setTimeout(fn: () => void, ms: number): ClockTimer;
  /** Calls `fn` every `ms` milliseconds. */
  setInterval(fn: () => void, ms: number): ClockTimer;
  /** Cancels a timer of this clock (pending or repeating). */
  clear(timer: ClockTimer): void;
}

/** The clock of the machine: Date.now and Node's timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clear: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

/** A pending timer of a {@link FakeClock}. */
interface FakeTimer extends ClockTimer {
  at: number;
  /** Repeat period (setInterval), or null for a one-shot timer. */
  every: number | null;
  fn: () => void;
}

/**
 * A clock that moves only when told: {@link FakeClock.advance} moves `now` forward and runs the
 * timers that fall due on the way, in time order. Starts at the real current time (or `start`),
 * so the dates it gives are plausible ones to store.
 */
export class FakeClock implements Clock {
  private current: number;
  private readonly timers = new Set<FakeTimer>();

  constructor(start: number = Date.now()) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): ClockTimer {
    return this.add({ at: this.current + Math.max(0, ms), every: null, fn });
  }

  setInterval(fn: () => void, ms: number): ClockTimer {
    const every = Math.max(1, ms);
    return this.add({ at: this.current + every, every, fn });
  }

  clear(timer: ClockTimer): void {
    this.timers.delete(timer as FakeTimer);
  }

  /** Moves time forward by `ms`, running each timer due by then at its own time. */
  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      let next: FakeTimer | undefined;
      for (const t of this.timers) if (t.at <= end && (!next || t.at < next.at)) next = t;
      if (!next) break;
      this.current = next.at;
      if (next.every === null) this.timers.delete(next);
      else next.at += next.every;
      next.fn();
    }
    this.current = end;
  }

  private add(timer: Omit<FakeTimer, 'unref'>): ClockTimer {
    const t: FakeTimer = { ...timer, unref: () => undefined };
    this.timers.add(t);
    return t;
  }
}
