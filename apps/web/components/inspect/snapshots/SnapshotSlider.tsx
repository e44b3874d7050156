'use client';
import { phaseBoundaries, stepLabel, type SnapshotStepLike } from '@convscope/viz';
import { useEffect } from 'react';
import styles from '../TrainingSnapshots.module.css';

/** Milliseconds per step while playing. */
export const PLAY_STEP_MS = 700;

/**
 * The step slider: a native range input (arrow keys, Home/End, PageUp/PageDown), labelled with the
 * step's epoch, the phase boundaries of a transfer run marked over its track, and a play/pause
 * button that steps through the snapshots (from the start when at the end) and stops at the last.
 */
export function SnapshotSlider({
  steps,
  index,
  onIndex,
  playing,
  onPlaying,
}: {
  steps: readonly SnapshotStepLike[];
  index: number;
  onIndex: (i: number) => void;
  playing: boolean;
  onPlaying: (p: boolean) => void;
}) {
  const last = steps.length - 1;
  const phases = new Set(steps.map((s) => s.phase)).size > 1;
  const current = steps[index];
  const label = current ? stepLabel(current, { phases }) : '';
  useEffect(() => {
    if (!playing) return;
    if (index >= last) {
      onPlaying(false);
      return;
    }
    const t = setTimeout(() => onIndex(index + 1), PLAY_STEP_MS);
    return () => clearTimeout(t);
  }, [playing, index, last, onIndex, onPlaying]);
  const toggle = () => {
    if (!playing && index >= last) onIndex(0);
    onPlaying(!playing);
  };
  return (
    <div className={styles.sliderRow}>
      <button
        type="button"
        className="btn"
        onClick={toggle}
        aria-pressed={playing}
        data-testid="snapshot-play"
        disabled={steps.length < 2}
      >
        {playing ? 'Pause' : 'Play'}
      </button>
      <div className={styles.track}>
        <input
          type="range"
          min={0}
          max={Math.max(0, last)}
          step={1}
          value={index}
          onChange={(e) => {
            onPlaying(false);
            onIndex(Number(e.target.value));
          }}
          aria-label="Training snapshot"
          aria-valuetext={label}
          data-testid="snapshot-slider"
          className={styles.range}
        />
        <PhaseMarks steps={steps} />
      </div>
      <output className={styles.stepLabel} data-testid="snapshot-epoch" aria-live="polite">
        {label}
        <span className="faint">
          {' '}
          · {index + 1} of {steps.length}
        </span>
      </output>
    </div>
  );
}

/** The phase boundaries of a transfer run over the slider's track, each labelled with the phase it starts. */
function PhaseMarks({ steps }: { steps: readonly SnapshotStepLike[] }) {
  return (
    <>
      {phaseBoundaries(steps).map((b) => (
        <span
          key={b.index}
          className={styles.boundary}
          // The thumb's centre runs from 8 px to (width - 8 px) on the track.
          style={{ left: `calc(${b.fraction} * (100% - 16px) + 8px)` }}
          title={`${b.before} | ${b.after}`}
          data-testid="snapshot-phase-boundary"
          data-index={b.index}
        >
          <span className={styles.boundaryLabel}>{b.after}</span>
        </span>
      ))}
    </>
  );
}
