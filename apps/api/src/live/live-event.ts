// What the live stream carries: small change notices (ids, never data). A dashboard that
// receives one re-reads what changed through GraphQL, under the same permission checks as
// any read; so an event needs no more than it takes to route it to the right streams.
import { z } from 'zod';

/** A run moved to another status (started, finished, failed by the reaper, cancelled). */
const runStatusEvent = z.object({
  kind: z.literal('run.status'),
  projectId: z.string().min(1).max(100),
  runId: z.string().min(1).max(100),
  status: z.string().min(1).max(40),
});

/** New metric points of a run were stored (coalesced: a few per second per run at most). */
const runMetricsEvent = z.object({
  kind: z.literal('run.metrics'),
  projectId: z.string().min(1).max(100),
  runId: z.string().min(1).max(100),
});

/** A run was added to a project. */
const runCreatedEvent = z.object({
  kind: z.literal('run.created'),
  projectId: z.string().min(1).max(100),
  runId: z.string().min(1).max(100),
});

/**
 * The job queue or the workers changed (a job queued, claimed, retried, cancelled; a worker
 * came or went). Tied to a project when it concerns one of its runs; otherwise seen by
 * signed-in callers only.
 */
const queueEvent = z.object({
  kind: z.literal('queue'),
  projectId: z.string().min(1).max(100).nullable(),
  runId: z.string().min(1).max(100).nullable(),
});

/** Internal: an API key was revoked on some instance; every instance drops its key cache. */
const keysRevokedEvent = z.object({ kind: z.literal('keys.revoked') });

/** Every event the bus carries (checked when it arrives from another instance). */
export const liveEventSchema = z.discriminatedUnion('kind', [
  runStatusEvent,
  runMetricsEvent,
  runCreatedEvent,
  queueEvent,
  keysRevokedEvent,
]);

/** One event on the live bus. */
export type LiveEvent = z.infer<typeof liveEventSchema>;

/** The events a dashboard stream may see (everything but the internal ones). */
export type StreamEvent = Exclude<LiveEvent, { kind: 'keys.revoked' }>;

/** Whether an event is for dashboard streams. */
export function isStreamEvent(e: LiveEvent): e is StreamEvent {
  return e.kind !== 'keys.revoked';
}

/**
 * Parses an event received from another instance; null (and no throw) for anything malformed,
 * since a bad notice must never take the listener down.
 */
export function parseLiveEvent(payload: string): LiveEvent | null {
  try {
    const r = liveEventSchema.safeParse(JSON.parse(payload));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
