'use client';
import { DEFAULT_HEATMAP_COLORMAP } from '@convscope/viz';
import { useCallback, useState } from 'react';
import { isActive, type RunDetail } from '../../lib/queries';
import { useSnapshots } from '../../lib/snapshots';
import { FilterSheetView } from './snapshots/FilterSheetView';
import { LayerStatsTable } from './snapshots/LayerStatsTable';
import { ProbeGrid, type CamTarget } from './snapshots/ProbeGrid';
import { SnapshotSlider } from './snapshots/SnapshotSlider';
import styles from './TrainingSnapshots.module.css';

/**
 * The run's training snapshots (issue #13, item 1): a step slider with a play button over the
 * snapshots libs/ml stored while the run trained, the probes with their Grad-CAM (true or
 * predicted class, adjustable opacity) and prediction at that step, the first layer's filters
 * and each layer's activation statistics. While the run is live, new snapshots appear as the
 * page polls its artifacts, and a slider left on the latest step follows them. Nothing for runs
 * without snapshots.
 */
export function TrainingSnapshots({ run }: { run: RunDetail }) {
  const names = run.artifacts.nodes.map((a) => a.name);
  const { refs, probes, files, error } = useSnapshots(run.id, names);
  // null: follow the latest step (the default, so a live run's page moves with it).
  const [chosen, setChosen] = useState<number | null>(null);
  const [playing, setPlaying] = useState(false);
  const [target, setTarget] = useState<CamTarget>('true');
  const [alpha, setAlpha] = useState(0.5);
  // The slider covers the snapshots loaded so far (their epoch and phase come from the files).
  const loaded = files.flatMap((f) => (f ? [f] : []));
  const last = loaded.length - 1;
  const index = chosen === null ? last : Math.min(chosen, last);
  const onIndex = useCallback(
    (i: number) => setChosen(i >= last && !playing ? null : i),
    [last, playing],
  );
  if (refs.length === 0) return null;
  const snapshot = loaded[index];
  return (
    <section className="card" data-testid="training-snapshots" data-steps={loaded.length}>
      <div className="card-header">
        <h2>Training snapshots</h2>
        <span className="meta">
          {refs.length} snapshot{refs.length === 1 ? '' : 's'}
          {isActive(run.status) ? ' · live' : ''}
        </span>
      </div>
      <div className={`card-body ${styles.body}`}>
        {error ? (
          <p className="alert alert-error" role="alert">
            {error}
          </p>
        ) : null}
        {!snapshot || !probes ? (
          <p className="faint" data-testid="snapshots-loading">
            Loading snapshots…
          </p>
        ) : (
          <>
            <SnapshotSlider
              steps={loaded}
              index={index}
              onIndex={onIndex}
              playing={playing}
              onPlaying={setPlaying}
            />
            <CamControls target={target} onTarget={setTarget} alpha={alpha} onAlpha={setAlpha} />
            <ProbeGrid
              probes={probes}
              snapshot={snapshot}
              target={target}
              alpha={alpha}
              colormap={DEFAULT_HEATMAP_COLORMAP}
            />
            <div className={styles.lower}>
              {snapshot.filters ? <FilterSheetView filters={snapshot.filters} /> : null}
              <LayerStatsTable snapshot={snapshot} all={loaded} />
            </div>
            {snapshot.skipped.length > 0 ? (
              <p className="meta" data-testid="snapshot-skipped">
                Left out of this snapshot:{' '}
                {snapshot.skipped.map((s) => `${s.what} (${s.reason})`).join('; ')}
              </p>
            ) : null}
          </>
        )}
      </div>
    </section>
  );
}

/** The true/predicted class toggle and the overlay's opacity. */
function CamControls({
  target,
  onTarget,
  alpha,
  onAlpha,
}: {
  target: CamTarget;
  onTarget: (t: CamTarget) => void;
  alpha: number;
  onAlpha: (a: number) => void;
}) {
  return (
    <div className={styles.controls}>
      <div className="segmented" role="group" aria-label="Grad-CAM of the class">
        {(['true', 'predicted'] as const).map((t) => (
          <button
            key={t}
            type="button"
            className={target === t ? 'active' : undefined}
            aria-pressed={target === t}
            data-testid={`snapshot-target-${t}`}
            onClick={() => onTarget(t)}
          >
            {t === 'true' ? 'True class' : 'Predicted class'}
          </button>
        ))}
      </div>
      <label>
        Opacity{' '}
        <input
          type="range"
          min={0}
          max={1}
          step={0.05}
          value={alpha}
          data-testid="snapshot-alpha"
          onChange={(e) => onAlpha(Number(e.target.value))}
        />{' '}
        <span className="num">{alpha.toFixed(2)}</span>
      </label>
    </div>
  );
}
