import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ProjectorView } from '../../../../components/projector/ProjectorView';
import { hasProjector } from '../../../../lib/projector';
import { loadRun } from '../../../../lib/server';

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const run = await loadRun(decodeURIComponent((await params).id));
  return { title: run ? `Projector · ${run.name}` : 'Run not found' };
}

/** `/runs/[id]/projector`: the run's embedding projector (PCA, UMAP, t-SNE of the test features). */
export default async function ProjectorPage({ params }: Props) {
  const run = await loadRun(decodeURIComponent((await params).id));
  if (!run) notFound();
  return (
    <div>
      <div className="page-header">
        <h1>Embedding projector</h1>
        <p className="meta">
          <Link href={`/runs/${encodeURIComponent(run.id)}`}>← {run.name}</Link> · hover a point for
          its image, click it for its explanations; scroll or pinch to zoom, drag to pan
        </p>
      </div>
      <section className="card">
        <div className="card-body">
          <ProjectorView
            runId={run.id}
            runName={run.name}
            samples={run.samples ?? null}
            present={hasProjector(run.artifacts.nodes)}
          />
        </div>
      </section>
    </div>
  );
}
