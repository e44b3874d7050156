/**
 * Training snapshots as the dashboard reads them: the files libs/ml's explain/snapshots stores
 * with a run (`snapshot.probes.json` once, `snapshot.e0003.json` per epoch, `snapshot.final.json`),
 * fetched from the same-origin artifact route. A stored file never changes under its name, so
 * each is fetched once per page load, also while a live run adds new ones.
 */
'use client';
import { decodeBase64, snapshotRefs, type SnapshotRef } from '@convscope/viz';
import { useEffect, useMemo, useState } from 'react';
import { packFileUrl } from './explain-pack';

/** Name of the probe images' artifact. */
export const SNAPSHOT_PROBES = 'snapshot.probes.json';

/** One probe's prediction at a snapshot. */
export interface ProbePrediction {
  index: number;
  label: number;
  predicted: number;
  confidence: number;
}

/** One snapshot file. */
export interface SnapshotFile {
  version: 1;
  epoch: number;
  phase: string;
  final: boolean;
  seconds: number;
  predictions: ProbePrediction[];
  cams?: {
    layer: string;
    shape: [number, number];
    true: string[];
    predicted: (string | null)[];
  };
  filters?: {
    layer: string;
    count: number;
    total: number;
    shape: [number, number];
    channels: 1 | 3;
    scaling: string;
    data: string;
  };
  layers?: { layer: string; className: string; mean: number; std: number; zeroFraction: number }[];
  skipped: { what: string; reason: string }[];
}

/** The probes with their pixels decoded. */
export interface SnapshotProbes {
  classNames: string[];
  storedShape: [number, number, number];
  probes: { index: number; label: number }[];
  pixels: Uint8Array;
}

/** True when a parsed value looks like a snapshot file (version 1 with predictions). */
export function isSnapshotFile(v: unknown): v is SnapshotFile {
  const s = v as Partial<SnapshotFile> | null;
  return (
    !!s &&
    s.version === 1 &&
    typeof s.epoch === 'number' &&
    typeof s.phase === 'string' &&
    Array.isArray(s.predictions)
  );
}

/** The probes file decoded, or null when it does not look like one. */
export function parseProbes(v: unknown): SnapshotProbes | null {
  const p = v as {
    version?: number;
    classNames?: unknown;
    storedShape?: unknown;
    probes?: unknown;
    images?: unknown;
  } | null;
  if (
    !p ||
    p.version !== 1 ||
    !Array.isArray(p.classNames) ||
    !Array.isArray(p.storedShape) ||
    p.storedShape.length !== 3 ||
    !Array.isArray(p.probes) ||
    typeof p.images !== 'string'
  )
    return null;
  return {
    classNames: p.classNames as string[],
    storedShape: p.storedShape as [number, number, number],
    probes: p.probes as { index: number; label: number }[],
    pixels: decodeBase64(p.images),
  };
}

// Parsed files by URL, shared by every view of the page.
const cache = new Map<string, Promise<unknown>>();

function fetchJson(url: string): Promise<unknown> {
  let p = cache.get(url);
  if (!p) {
    p = fetch(url).then((res) => {
      if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
      return res.json() as Promise<unknown>;
    });
    p.catch(() => cache.delete(url)); // a failed load is tried again on the next change
    cache.set(url, p);
  }
  return p;
}

/** What {@link useSnapshots} gives. */
export interface SnapshotsState {
  refs: SnapshotRef[];
  probes: SnapshotProbes | null;
  /** One entry per ref: the file once loaded (null until then or when unreadable). */
  files: (SnapshotFile | null)[];
  error: string | null;
}

/**
 * The run's snapshots from its artifact names: the refs at once, the probes and every snapshot
 * file as they load (new names of a live run are fetched when they appear).
 */
export function useSnapshots(runId: string, names: readonly string[]): SnapshotsState {
  const key = names.join('\n');
  // Recomputed only when the names change (the poll gives a new array every 2 s).
  const refs = useMemo(() => snapshotRefs(key ? key.split('\n') : []), [key]);
  const hasProbes = names.includes(SNAPSHOT_PROBES);
  const [loaded, setLoaded] = useState<{
    probes: SnapshotProbes | null;
    files: Map<string, SnapshotFile>;
    error: string | null;
  }>({ probes: null, files: new Map(), error: null });
  useEffect(() => {
    if (refs.length === 0 || !hasProbes) return;
    let live = true;
    const fail = (err: unknown) =>
      live && setLoaded((s) => ({ ...s, error: err instanceof Error ? err.message : String(err) }));
    fetchJson(packFileUrl(runId, SNAPSHOT_PROBES)).then(
      (v) => live && setLoaded((s) => ({ ...s, probes: parseProbes(v) })),
      fail,
    );
    for (const ref of refs)
      fetchJson(packFileUrl(runId, ref.name)).then((v) => {
        if (!live || !isSnapshotFile(v)) return;
        setLoaded((s) =>
          s.files.get(ref.name) === v ? s : { ...s, files: new Map(s.files).set(ref.name, v) },
        );
      }, fail);
    return () => {
      live = false;
    };
  }, [runId, refs, hasProbes]);
  const files = useMemo(
    () => refs.map((r) => loaded.files.get(r.name) ?? null),
    [refs, loaded.files],
  );
  return { refs, probes: loaded.probes, files, error: loaded.error };
}
