const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Compact UTC timestamp, `Nov 22, 18:40` (with `:SS` when `withSeconds`). UTC and hand-built
 * rather than toLocaleString so server-rendered markup hydrates without mismatches whatever the
 * browser's time zone and locale; pages say "UTC" once in the label.
 */
export function formatTimestamp(iso: string | null | undefined, withSeconds = false): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  const time = d.toISOString().slice(11, withSeconds ? 19 : 16);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${time}`;
}

/** Duration of a run: the API's value once finished, else time since start (a live run keeps growing). */
export function runDurationMs(
  run: { durationMs: number | null; startedAt: string | null; endedAt: string | null },
  now: number,
): number | null {
  if (run.durationMs != null) return run.durationMs;
  if (!run.startedAt) return null;
  const end = run.endedAt ? Date.parse(run.endedAt) : now;
  return Math.max(0, end - Date.parse(run.startedAt));
}
