/** What training snapshots compute and their bounds; every field has a default. */

/** Options of the training snapshots. */
export interface SnapshotOptions {
  /** A snapshot every N epochs (default 1), plus one at train end. */
  every?: number;
  /** Probe images per class (1 or 2; default 1). */
  probesPerClass?: number;
  /** Probes at most (default 20). */
  maxProbes?: number;
  /** First-layer filters stored at most (default 64). */
  maxFilters?: number;
  /** Filter scaling (default per-filter `minmax`). */
  filterScaling?: 'minmax' | 'symmetric';
  /** Bytes of one snapshot file at most (default 256 KiB): over it, filters then statistics are dropped, then the snapshot. */
  maxBytes?: number;
  /** Seconds of one snapshot (default 5): parts not started by then are left out and listed. */
  maxSeconds?: number;
  /** Seconds of all epoch snapshots of a run (default 60): later ones are skipped; the final one is always taken. */
  maxTotalSeconds?: number;
  /** Snapshots of a run at most, the final one included (default 200). */
  maxSnapshots?: number;
  /** Bytes of the stored probe images at most (default 64 KiB): larger images are downsampled. */
  maxProbeBytes?: number;
}

/** Defaults of {@link SnapshotOptions}. */
export const DEFAULT_SNAPSHOT_OPTIONS = {
  every: 1,
  probesPerClass: 1,
  maxProbes: 20,
  maxFilters: 64,
  filterScaling: 'minmax',
  maxBytes: 256 * 1024,
  maxSeconds: 5,
  maxTotalSeconds: 60,
  maxSnapshots: 200,
  maxProbeBytes: 64 * 1024,
} as const satisfies Required<SnapshotOptions>;

/** The options in effect. */
export type ResolvedSnapshotOptions = Required<SnapshotOptions>;

/**
 * The defaults with every field the caller set (undefined ones ignored).
 * @throws naming the option when a value is out of range
 */
export function resolveSnapshotOptions(
  options: SnapshotOptions | undefined,
): ResolvedSnapshotOptions {
  const given = Object.fromEntries(
    Object.entries(options ?? {}).filter(([, v]) => v !== undefined),
  ) as SnapshotOptions;
  const o: ResolvedSnapshotOptions = { ...DEFAULT_SNAPSHOT_OPTIONS, ...given };
  const positiveInts = ['every', 'maxProbes', 'maxFilters', 'maxSnapshots'] as const;
  for (const k of positiveInts)
    if (!Number.isInteger(o[k]) || o[k] < 1)
      throw new RangeError(`snapshots.${k} must be a whole number >= 1, got ${o[k]}`);
  if (o.probesPerClass !== 1 && o.probesPerClass !== 2)
    throw new RangeError(`snapshots.probesPerClass must be 1 or 2, got ${o.probesPerClass}`);
  for (const k of ['maxBytes', 'maxSeconds', 'maxTotalSeconds', 'maxProbeBytes'] as const)
    if (!(o[k] > 0)) throw new RangeError(`snapshots.${k} must be > 0, got ${o[k]}`);
  return o;
}
