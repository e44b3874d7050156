'use client';
import {
  buildPointIndex,
  nearestPoints,
  pointOfSample,
  type ProjectorData,
  type ProjectorLayoutData,
} from '@convscope/viz';
import Link from 'next/link';
import { useMemo, useState } from 'react';
import { sampleExplainHref } from '../../lib/projector';
import styles from './Projector.module.css';

const NEAREST = 8;

/**
 * The keyboard way into the projector: a sample by index, its classes, a link to its
 * explanations and its nearest neighbours in the current layout (each one selectable).
 */
export function SampleFinder(props: {
  runId: string;
  data: ProjectorData;
  layout: ProjectorLayoutData | null;
  selected: number | null;
  onSelect: (sample: number | null) => void;
}) {
  const { data, layout, selected, runId } = props;
  const index = useMemo(
    () => (layout ? buildPointIndex({ sx: layout.x, sy: layout.y }) : null),
    [layout],
  );
  const point = layout && selected !== null ? pointOfSample(layout, selected) : null;
  const near = index && point !== null ? nearestPoints(index, point, NEAREST) : [];
  const name = (c: number | undefined) =>
    c === undefined ? '?' : (data.classNames[c] ?? String(c));

  return (
    <section className={styles.finder} aria-label="Find a sample">
      <SampleIndexForm count={data.count} onSelect={props.onSelect} />
      {selected !== null ? (
        <div data-testid="projector-selected">
          <p>
            Sample <span className="mono">#{selected}</span>: true {name(data.labels[selected])},
            predicted {name(data.predicted[selected])}, confidence{' '}
            {(data.confidence[selected] ?? 0).toFixed(3)}.{' '}
            <Link href={sampleExplainHref(runId, selected)}>Open its explanations</Link>
            {point === null && layout ? ' (not in this layout’s subset)' : null}
          </p>
          {near.length > 0 ? (
            <>
              <p className="meta">Nearest in this layout:</p>
              <ul className={styles.nearList}>
                {near.map((p) => {
                  const s = layout!.samples[p]!;
                  return (
                    <li key={p}>
                      <button
                        type="button"
                        className="btn btn-small"
                        onClick={() => props.onSelect(s)}
                      >
                        #{s} {name(data.labels[s])}
                        {data.labels[s] === data.predicted[s]
                          ? ''
                          : ` → ${name(data.predicted[s])}`}
                      </button>
                    </li>
                  );
                })}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

/** "Sample index [n] Show": selects a sample by its test-split index. */
function SampleIndexForm({ count, onSelect }: { count: number; onSelect: (s: number) => void }) {
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className={styles.controls}
      onSubmit={(e) => {
        e.preventDefault();
        const n = Number(draft);
        if (!Number.isInteger(n) || n < 0 || n >= count) {
          setError(`Give a sample index from 0 to ${count - 1}.`);
          return;
        }
        setError(null);
        onSelect(n);
      }}
    >
      <label className={styles.field}>
        Sample index{' '}
        <input
          type="number"
          min={0}
          max={count - 1}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          data-testid="projector-sample-input"
          className={styles.indexInput}
        />
      </label>
      <button type="submit" className="btn btn-small">
        Show
      </button>
      {error ? (
        <span role="alert" className={styles.wrong}>
          {error}
        </span>
      ) : null}
    </form>
  );
}
