// Fan-out of live events between API instances. On PostgreSQL every instance keeps ONE
// listening connection (LISTEN on a channel per schema) and publishes with pg_notify, so an
// event raised on any instance reaches the streams of all of them. On SQLite (the embedded
// default: one API process) events stay in the process.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { parseDatabaseUrl } from '@convscope/prisma';
import { parseLiveEvent, type LiveEvent } from './live-event';

/** What a bus hands its listeners: an event, or `resync` after a gap (events may be lost). */
export type BusMessage = LiveEvent | { kind: 'resync' };

/** Publishes events and delivers every event (of any instance) to its listeners. */
export interface LiveBus {
  /** 'postgresql' (LISTEN/NOTIFY) or 'local' (in-process). */
  readonly mode: 'postgresql' | 'local';
  /** Sends an event; never throws (a lost notice costs a refresh, not a request). */
  publish(event: LiveEvent): void;
  /** Adds a listener; returns its removal. */
  subscribe(listener: (message: BusMessage) => void): () => void;
  /** Starts listening (PostgreSQL: connects); resolves once events can arrive. */
  start(): Promise<void>;
  /** Stops listening and releases the connection. */
  close(): Promise<void>;
}

/** Listener bookkeeping shared by both buses. */
abstract class BaseBus {
  private readonly listeners = new Set<(message: BusMessage) => void>();

  subscribe(listener: (message: BusMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  protected deliver(message: BusMessage): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(message);
      } catch (err) {
        // One broken stream must not keep the event from the others.
        console.error('[api] live listener failed', err);
      }
    }
  }
}

/** In-process bus (SQLite: one API process). */
export class LocalBus extends BaseBus implements LiveBus {
  readonly mode = 'local' as const;

  publish(event: LiveEvent): void {
    // After the caller's current work, as a notification would arrive.
    queueMicrotask(() => this.deliver(event));
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** The NOTIFY channel of a schema: several test schemas share one database, channels are per database. */
export function channelOf(schema: string): string {
  // Identifiers stop at 63 bytes; a hash keeps any schema name under it.
  return `convscope_live_${createHash('sha256').update(schema).digest('hex').slice(0, 24)}`;
}

/** Options of {@link PgNotifyBus}. */
export interface PgNotifyBusOptions {
  /** libpq connection string (without the ?schema= parameter). */
  connectionString: string;
  /** The schema the API serves (names the channel). */
  schema: string;
  /** Delay before reconnecting a lost listening connection (doubles up to 10 s). Default 250 ms. */
  reconnectMs?: number;
}

/**
 * PostgreSQL LISTEN/NOTIFY. The listening connection also sends the notices (NOTIFY needs no
 * transaction of ours: the writes they announce were committed before). A notice is at most
 * a few hundred bytes (ids only; PostgreSQL's limit is 8000). When the connection drops, the
 * bus reconnects and tells its listeners to `resync`: notices sent meanwhile are lost.
 */
export class PgNotifyBus extends BaseBus implements LiveBus {
  readonly mode = 'postgresql' as const;
  private readonly channel: string;
  private client: pg.Client | null = null;
  private closed = false;
  private retryMs: number;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: PgNotifyBusOptions) {
    super();
    this.channel = channelOf(options.schema);
    this.retryMs = options.reconnectMs ?? 250;
  }

  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      application_name: 'convscope-live',
    });
    client.on('notification', (msg) => {
      if (msg.channel !== this.channel || !msg.payload) return;
      const event = parseLiveEvent(msg.payload);
      if (event) this.deliver(event);
      else console.warn('[api] live: ignored a malformed notice');
    });
    client.on('error', (err) => {
      console.warn(`[api] live: listening connection lost (${err.message}); reconnecting`);
      this.lost(client);
    });
    client.on('end', () => this.lost(client));
    await client.connect();
    await client.query(`LISTEN "${this.channel}"`);
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryMs = this.options.reconnectMs ?? 250;
  }

  /** The connection ended: reconnect (unless closing) and let listeners catch up. */
  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    void client.end().catch(() => undefined); // already broken: its own errors do not matter
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect().then(
        () => this.deliver({ kind: 'resync' }),
        (err: unknown) => {
          console.warn(`[api] live: cannot listen yet (${String(err)})`);
          this.retryMs = Math.min(this.retryMs * 2, 10_000);
          this.scheduleReconnect();
        },
      );
    }, this.retryMs);
    this.retryTimer.unref();
  }

  publish(event: LiveEvent): void {
    const client = this.client;
    if (!client) return; // reconnecting: listeners get a resync once back
    client
      .query('SELECT pg_notify($1, $2)', [this.channel, JSON.stringify(event)])
      .catch((err: unknown) => console.warn(`[api] live: notice not sent (${String(err)})`));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    if (client) await client.end().catch(() => undefined);
  }
}

/** The bus for a database: LISTEN/NOTIFY on PostgreSQL, in-process on SQLite. */
export function createLiveBus(databaseUrl: string): LiveBus {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.kind === 'postgresql')
    return new PgNotifyBus({ connectionString: target.connectionString, schema: target.schema });
  return new LocalBus();
}
