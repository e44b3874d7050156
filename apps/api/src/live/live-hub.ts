// The open server-sent-event streams of this instance and their budget: a cap on streams per
// caller, a heartbeat comment so proxies keep the connection, an idle timeout and a maximum
// age (the browser's EventSource reconnects by itself, and the reconnect re-checks access),
// and a bound on unsent bytes (a client that stops reading is dropped, not buffered).
import type { Request, Response } from 'express';
import { systemClock, type Clock, type ClockTimer } from '../common/clock';
import type { BusMessage, LiveBus } from './live-bus';
import { isStreamEvent, type StreamEvent } from './live-event';

/** Budget of the streams; each defaults from its env variable (see resolveLiveLimits). */
export interface LiveLimits {
  /** Open streams one caller (user, or address when anonymous) may hold on one instance. */
  maxStreamsPerPrincipal: number;
  /** Open streams one instance holds at most. */
  maxStreams: number;
  /** Period of the `: ping` comment. */
  heartbeatMs: number;
  /** A stream that delivered no event for this long is closed (the client reconnects). */
  idleTimeoutMs: number;
  /** A stream is closed after this long whatever it delivered (access is re-checked on reconnect). */
  maxAgeMs: number;
  /** Unsent bytes a stream may queue before it is dropped. */
  maxBufferedBytes: number;
  /** What the client waits before reconnecting (the `retry:` field). */
  retryMs: number;
}

function envInt(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`${name} must be a positive integer, got ${raw}`);
  return n;
}

/** The stream budget: explicit values, then LIVE_* env variables, then the defaults. */
export function resolveLiveLimits(given: Partial<LiveLimits> = {}): LiveLimits {
  return {
    maxStreamsPerPrincipal:
      given.maxStreamsPerPrincipal ?? envInt('LIVE_MAX_STREAMS_PER_PRINCIPAL') ?? 16,
    maxStreams: given.maxStreams ?? envInt('LIVE_MAX_STREAMS') ?? 2000,
    heartbeatMs: given.heartbeatMs ?? envInt('LIVE_HEARTBEAT_MS') ?? 15_000,
    idleTimeoutMs: given.idleTimeoutMs ?? envInt('LIVE_IDLE_TIMEOUT_MS') ?? 5 * 60_000,
    maxAgeMs: given.maxAgeMs ?? envInt('LIVE_MAX_AGE_MS') ?? 30 * 60_000,
    maxBufferedBytes: given.maxBufferedBytes ?? 256 * 1024,
    retryMs: given.retryMs ?? 2_000,
  };
}

/** Decides, per event, whether a stream's caller may see it (may be asynchronous: a lookup). */
export type StreamFilter = (event: StreamEvent) => boolean | Promise<boolean>;

interface Stream {
  principalKey: string;
  res: Response;
  accepts: StreamFilter;
  idle: ClockTimer;
  timers: ClockTimer[];
}

/** This instance's open streams. */
export class LiveHub {
  private readonly streams = new Set<Stream>();
  private readonly unsubscribe: () => void;
  private closed = false;

  constructor(
    bus: LiveBus,
    readonly limits: LiveLimits,
    private readonly clock: Clock = systemClock,
  ) {
    this.unsubscribe = bus.subscribe((m) => this.dispatch(m));
  }

  /** Open streams of a caller. */
  countOf(principalKey: string): number {
    let n = 0;
    for (const s of this.streams) if (s.principalKey === principalKey) n += 1;
    return n;
  }

  /** Why a new stream of this caller would be refused, or null. */
  refusal(principalKey: string): string | null {
    if (this.closed) return 'The server is shutting down';
    if (this.streams.size >= this.limits.maxStreams)
      return `This server holds its maximum of ${this.limits.maxStreams} live streams`;
    if (this.countOf(principalKey) >= this.limits.maxStreamsPerPrincipal)
      return `At most ${this.limits.maxStreamsPerPrincipal} live streams per caller are open at once; close one (another tab) first`;
    return null;
  }

  /** Starts a stream on `res` (after the caller's access and budget were checked). */
  open(req: Request, res: Response, principalKey: string, accepts: StreamFilter): void {
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    // no-transform: proxies (the dashboard's rewrite included) must not compress or buffer it.
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('X-Accel-Buffering', 'no');
    res.setHeader('Connection', 'keep-alive');
    res.flushHeaders();
    req.socket.setNoDelay(true);
    req.socket.setTimeout(0);
    const { clock, limits } = this;
    const stream: Stream = {
      principalKey,
      res,
      accepts,
      idle: clock.setTimeout(() => this.end(stream, 'idle'), limits.idleTimeoutMs),
      timers: [],
    };
    stream.idle.unref();
    const ping = clock.setInterval(() => this.write(stream, ': ping\n\n'), limits.heartbeatMs);
    const age = clock.setTimeout(() => this.end(stream, 'max-age'), limits.maxAgeMs);
    ping.unref();
    age.unref();
    stream.timers.push(ping, age);
    this.streams.add(stream);
    res.on('close', () => this.drop(stream));
    this.write(stream, `retry: ${limits.retryMs}\nevent: ready\ndata: {}\n\n`);
  }

  private dispatch(message: BusMessage): void {
    if (message.kind === 'resync') {
      // Notices may have been lost: every client re-reads what it shows.
      for (const s of this.streams) this.send(s, 'resync', {});
      return;
    }
    if (!isStreamEvent(message)) return;
    const { kind, ...data } = message;
    for (const s of this.streams) {
      let verdict: boolean | Promise<boolean>;
      try {
        verdict = s.accepts(message);
      } catch {
        continue;
      }
      if (verdict === true) this.send(s, kind, data);
      else if (verdict !== false)
        verdict.then(
          (ok) => ok && this.send(s, kind, data),
          () => undefined, // unknown: not sent
        );
    }
  }

  private send(stream: Stream, event: string, data: object): void {
    if (!this.streams.has(stream)) return;
    this.write(stream, `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    // Reset the idle timer: this stream is in use.
    this.clock.clear(stream.idle);
    stream.idle = this.clock.setTimeout(() => this.end(stream, 'idle'), this.limits.idleTimeoutMs);
    stream.idle.unref();
  }

  private write(stream: Stream, text: string): void {
    if (stream.res.writableLength > this.limits.maxBufferedBytes) {
      // The client stopped reading: drop it rather than hold its backlog.
      stream.res.destroy();
      this.drop(stream);
      return;
    }
    stream.res.write(text);
  }

  /** Tells the client why, then ends the response (EventSource reconnects after `retry`). */
  private end(stream: Stream, reason: string): void {
    if (!this.streams.has(stream)) return;
    stream.res.write(`event: bye\ndata: ${JSON.stringify({ reason })}\n\n`);
    stream.res.end();
    this.drop(stream);
  }

  private drop(stream: Stream): void {
    if (!this.streams.delete(stream)) return;
    this.clock.clear(stream.idle);
    for (const t of stream.timers) this.clock.clear(t);
  }

  /** Open streams on this instance. */
  get size(): number {
    return this.streams.size;
  }

  /** Ends every stream (server shutdown) and refuses new ones. */
  close(): void {
    this.closed = true;
    this.unsubscribe();
    for (const s of [...this.streams]) this.end(s, 'shutdown');
  }
}
