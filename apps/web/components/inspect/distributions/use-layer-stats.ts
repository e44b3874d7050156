/**
 * The layer-stats files a run stored (`histograms.e0003.json`, one per recorded epoch, see
 * libs/ml explain/layer-stats), fetched from the same-origin artifact route. A stored file never
 * changes under its name, so each is fetched once per page load, also while a live run adds more.
 */
'use client';
import { layerStatsRefs, type LayerStatsEpochLike } from '@convscope/viz';
import { useEffect, useMemo, useState } from 'react';

/** Format tag of the files (libs/ml `LAYER_STATS_FORMAT`). */
const FORMAT = 'convscope.layer-stats/1';

/** Most files loaded: the latest ones (a long run keeps its last epochs on the chart). */
export const MAX_FILES = 200;

/** Dead units of a ReLU layer in one file. */
export interface DeadUnitsLike {
  name: string;
  units: number;
  dead: number;
  fraction: number;
}

/** One file as the card reads it. */
export interface LayerStatsFile extends LayerStatsEpochLike {
  bins: number;
  probe: { size: number; seed: number };
  seconds: number;
  dead: DeadUnitsLike[];
  skipped: { what: string; reason: string }[];
}

/** True when a parsed value looks like a layer-stats file. */
export function isLayerStatsFile(v: unknown): v is LayerStatsFile {
  const f = v as Partial<LayerStatsFile> & { format?: unknown };
  return (
    !!f &&
    f.format === FORMAT &&
    typeof f.step === 'number' &&
    Array.isArray(f.percentiles) &&
    Array.isArray(f.layers) &&
    Array.isArray(f.dead)
  );
}

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

function artifactUrl(runId: string, name: string): string {
  return `/runs/${encodeURIComponent(runId)}/artifacts/${encodeURIComponent(name)}`;
}

/** What {@link useLayerStats} gives. */
export interface LayerStatsState {
  /** Files stored (at most {@link MAX_FILES}, the latest). */
  stored: number;
  /** Files loaded so far, sorted by step. */
  files: LayerStatsFile[];
  error: string | null;
}

/** The run's layer-stats files, loading as they appear. */
export function useLayerStats(runId: string, names: readonly string[]): LayerStatsState {
  const key = names.join('\n');
  // Recomputed only when the names change (a live run's poll gives a new array every 2 s).
  const refs = useMemo(() => layerStatsRefs(key ? key.split('\n') : []).slice(-MAX_FILES), [key]);
  const [loaded, setLoaded] = useState<{
    files: Map<string, LayerStatsFile>;
    error: string | null;
  }>({ files: new Map(), error: null });
  useEffect(() => {
    let live = true;
    for (const ref of refs)
      fetchJson(artifactUrl(runId, ref.name)).then(
        (v) => {
          if (!live || !isLayerStatsFile(v)) return;
          setLoaded((s) =>
            s.files.get(ref.name) === v ? s : { ...s, files: new Map(s.files).set(ref.name, v) },
          );
        },
        (err: unknown) =>
          live &&
          setLoaded((s) => ({ ...s, error: err instanceof Error ? err.message : String(err) })),
      );
    return () => {
      live = false;
    };
  }, [runId, refs]);
  const files = useMemo(
    () => refs.flatMap((r) => loaded.files.get(r.name) ?? []).sort((a, b) => a.step - b.step),
    [refs, loaded.files],
  );
  return { stored: refs.length, files, error: loaded.error };
}
