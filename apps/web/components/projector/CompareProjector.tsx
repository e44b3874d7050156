'use client';
import type { ProjectorData, ProjectorMethod } from '@convscope/viz';
import Link from 'next/link';
import { useState } from 'react';
import type { SampleImages } from '../../lib/queries';
import { ComputeProjection } from './ComputeProjection';
import { ProjectorControls, type ProjectorSettings } from './ProjectorControls';
import { ProjectorPanel } from './ProjectorPanel';
import { useProjector } from './use-projector';
import styles from './Projector.module.css';

/** One run of the pair. */
export interface CompareSide {
  id: string;
  name: string;
  samples: SampleImages | null;
  /** The run lists the artifact. */
  present: boolean;
}

/**
 * Two runs' projectors side by side with one set of controls; hovering a point rings the same
 * test sample in the other run (the runs share the test split when they share the dataset).
 */
export function CompareProjector({ a, b }: { a: CompareSide; b: CompareSide }) {
  const left = useProjector(a.id, a.present);
  const right = useProjector(b.id, b.present);
  const [settings, setSettings] = useState<ProjectorSettings>({
    method: 'umap',
    mode: 'label',
    markWrong: true,
  });
  const [hovered, setHovered] = useState<number | null>(null);
  const datas = [left.state, right.state].flatMap((s) => (s.status === 'ready' ? [s.data] : []));
  const available = [...new Set(datas.flatMap((d) => d.layouts.map((l) => l.method)))];
  const method: ProjectorMethod = available.includes(settings.method)
    ? settings.method
    : (available[0] ?? 'pca');
  const mismatch =
    datas.length === 2 && datas[0]!.count !== datas[1]!.count
      ? `The runs have ${datas[0]!.count} and ${datas[1]!.count} test samples: the same index may not be the same image.`
      : null;
  return (
    <div className={styles.page}>
      <ProjectorControls
        settings={{ ...settings, method }}
        onChange={setSettings}
        available={available}
      />
      {mismatch ? <p className="meta">{mismatch}</p> : null}
      <div className={styles.pair}>
        {[
          { side: a, state: left },
          { side: b, state: right },
        ].map(({ side, state }) => (
          <section key={side.id} className="card" data-testid="compare-projector-side">
            <div className="card-header">
              <h2>
                <Link href={`/runs/${encodeURIComponent(side.id)}`}>{side.name}</Link>
              </h2>
            </div>
            <div className="card-body">
              <Side
                side={side}
                state={state}
                settings={{ ...settings, method }}
                hovered={hovered}
                onHover={setHovered}
              />
            </div>
          </section>
        ))}
      </div>
    </div>
  );
}

function Side(props: {
  side: CompareSide;
  state: ReturnType<typeof useProjector>;
  settings: ProjectorSettings;
  hovered: number | null;
  onHover: (s: number | null) => void;
}) {
  const { side, state: s, settings } = props;
  if (s.state.status === 'loading') return <p className="meta">Loading the projection…</p>;
  if (s.state.status === 'error') return <p role="alert">{s.state.message}</p>;
  if (s.state.status === 'missing') return <ComputeProjection runId={side.id} onDone={s.reload} />;
  const data: ProjectorData = s.state.data;
  return (
    <ProjectorPanel
      runId={side.id}
      runName={side.name}
      data={data}
      settings={settings}
      highlightSample={props.hovered}
      onHoverSample={props.onHover}
      samples={side.samples}
    />
  );
}
