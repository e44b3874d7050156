'use client';
import { layoutCaption } from '@convscope/viz';
import Link from 'next/link';
import { hasProjector, projectorPageHref } from '../../lib/projector';
import { isActive, type RunDetail } from '../../lib/queries';
import { ComputeProjection } from '../projector/ComputeProjection';
import { ProjectorPreview } from '../projector/ProjectorPreview';
import { useProjector } from '../projector/use-projector';
import styles from '../projector/Projector.module.css';

/** The embedding projector of the run's test features, or the way to it (issue #13, item 3). */
export function ProjectorCard({ run }: { run: RunDetail }) {
  const { state, reload } = useProjector(run.id, hasProjector(run.artifacts.nodes));
  return (
    <section className="card" data-testid="projector-card" aria-labelledby="projector-card-title">
      <div className="card-header">
        <h2 id="projector-card-title">Embedding projector</h2>
        <span className="meta">penultimate-layer features of the test split</span>
      </div>
      <div className="card-body">
        <CardBody run={run} state={state} reload={reload} />
      </div>
    </section>
  );
}

function CardBody({
  run,
  state,
  reload,
}: {
  run: RunDetail;
  state: ReturnType<typeof useProjector>['state'];
  reload: () => void;
}) {
  if (state.status === 'loading') return <p className="meta">Loading…</p>;
  if (state.status === 'error') return <p role="alert">{state.message}</p>;
  if (state.status === 'missing') {
    if (isActive(run.status))
      return (
        <p className="meta">
          Computed when training ends (PCA, UMAP and t-SNE of the test features).
        </p>
      );
    if (!run.model)
      return <p className="meta">A projection needs a stored model; this run has none.</p>;
    return <ComputeProjection runId={run.id} onDone={reload} />;
  }
  const { data } = state;
  const layout = data.layouts.find((l) => l.method === 'umap') ?? data.layouts[0];
  return (
    <div className={styles.preview}>
      {layout ? (
        <ProjectorPreview
          data={data}
          layout={layout}
          label={`${layoutCaption(layout, data.count)} of ${data.count} test samples coloured by true class`}
        />
      ) : null}
      <div>
        <p>
          {data.count.toLocaleString('en-US')} test samples,{' '}
          {data.layouts.map((l) => layoutCaption(l, data.count)).join(', ')}.
        </p>
        <Link
          className="btn btn-primary"
          href={projectorPageHref(run.id)}
          data-testid="projector-open"
        >
          Open the projector
        </Link>
      </div>
    </div>
  );
}
