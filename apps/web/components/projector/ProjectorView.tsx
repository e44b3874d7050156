'use client';
import type { ProjectorData, ProjectorMethod } from '@convscope/viz';
import { useState } from 'react';
import type { SampleImages } from '../../lib/queries';
import { ComputeProjection } from './ComputeProjection';
import { ProjectorControls, type ProjectorSettings } from './ProjectorControls';
import { ProjectorPanel } from './ProjectorPanel';
import { SampleFinder } from './SampleFinder';
import { useProjector } from './use-projector';
import styles from './Projector.module.css';

/** The settings a projector opens with: UMAP when it was computed, else the first layout. */
export function initialSettings(data: ProjectorData | null): ProjectorSettings {
  const methods = data?.layouts.map((l) => l.method) ?? [];
  const method: ProjectorMethod = methods.includes('umap') ? 'umap' : (methods[0] ?? 'pca');
  return { method, mode: 'label', markWrong: true };
}

/** The full projector of one run: loads the artifact, or offers to compute it. */
export function ProjectorView(props: {
  runId: string;
  runName: string;
  samples: SampleImages | null;
  /** The run lists the artifact. */
  present: boolean;
}) {
  const { state, reload } = useProjector(props.runId, props.present);
  if (state.status === 'loading') return <p className="meta">Loading the projection…</p>;
  if (state.status === 'error') return <p role="alert">{state.message}</p>;
  if (state.status === 'missing') return <ComputeProjection runId={props.runId} onDone={reload} />;
  return (
    <ReadyProjector
      runId={props.runId}
      runName={props.runName}
      samples={props.samples}
      data={state.data}
    />
  );
}

function ReadyProjector(props: {
  runId: string;
  runName: string;
  samples: SampleImages | null;
  data: ProjectorData;
}) {
  const { data } = props;
  const [settings, setSettings] = useState(() => initialSettings(data));
  const [hovered, setHovered] = useState<number | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const layout = data.layouts.find((l) => l.method === settings.method) ?? data.layouts[0] ?? null;
  return (
    <div className={styles.page}>
      <ProjectorControls
        settings={settings}
        onChange={setSettings}
        available={data.layouts.map((l) => l.method)}
      />
      <ProjectorPanel
        runId={props.runId}
        runName={props.runName}
        data={data}
        settings={settings}
        highlightSample={hovered ?? selected}
        onHoverSample={setHovered}
        samples={props.samples}
      />
      <SampleFinder
        runId={props.runId}
        data={data}
        layout={layout}
        selected={selected}
        onSelect={setSelected}
      />
      <ProjectorFacts data={data} />
    </div>
  );
}

/** How the projection was made: timings per stage and what was skipped. */
export function ProjectorFacts({ data }: { data: ProjectorData }) {
  const t = data.timings;
  return (
    <details className={styles.facts}>
      <summary>How this projection was made</summary>
      <p>
        Features of layer <span className="mono">{data.featureLayer}</span> ({data.featureDim}{' '}
        values) for {data.count.toLocaleString('en-US')} test samples; UMAP and t-SNE run on the top
        PCA components with a fixed seed (the same run gives the same layout).
      </p>
      <ul>
        {Object.entries(t).map(([k, v]) => (
          <li key={k}>
            {k}: {v.toFixed(2)} s
          </li>
        ))}
        {data.skipped.map((s) => (
          <li key={s.what}>
            skipped {s.what}: {s.reason}
          </li>
        ))}
      </ul>
    </details>
  );
}
