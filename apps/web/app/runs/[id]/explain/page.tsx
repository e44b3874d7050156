import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { EmptyState } from '../../../../components/EmptyState';
import { ExplainView } from '../../../../components/ExplainView';
import { TfjsModelRequired } from '../../../../components/TfjsModelRequired';
import {
  EXPLANATION_INDEX,
  isExplanationIndex,
  type ExplanationIndex,
} from '../../../../lib/explain-pack';
import { loadRun } from '../../../../lib/server';
import { serverApiFetch } from '../../../../lib/session';

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const run = await loadRun(decodeURIComponent((await params).id));
  return { title: run ? `Explanations · ${run.name}` : 'Run not found' };
}

// The index of the pack, read on the server as the visitor (one file lists everything the views can show).
async function loadIndex(runId: string): Promise<ExplanationIndex | null> {
  const res = await serverApiFetch(
    `/runs/${encodeURIComponent(runId)}/artifacts/${encodeURIComponent(EXPLANATION_INDEX)}`,
  );
  if (!res.ok) return null;
  const body: unknown = await res.json();
  return isExplanationIndex(body) ? body : null;
}

/** `/runs/[id]/explain`: the run's explanation pack (feature maps, filters, CAMs, saliency, LIME). */
export default async function ExplainPage({ params }: Props) {
  const run = await loadRun(decodeURIComponent((await params).id));
  if (!run) notFound();
  const hasPack = run.packIndex !== null;
  const index = hasPack ? await loadIndex(run.id) : null;
  if (!index) {
    return (
      <div>
        <div className="page-header">
          <h1>Explanations</h1>
          <p className="meta">
            <Link href={`/runs/${encodeURIComponent(run.id)}`}>← {run.name}</Link>
          </p>
        </div>
        {run.model?.format === 'TFJS' ? (
          <EmptyState title="No explanation pack">
            Tracked runs store one when they finish. For an earlier run: npm run explain -- pack
            --run {run.id}
          </EmptyState>
        ) : (
          <TfjsModelRequired model={run.model} />
        )}
      </div>
    );
  }
  return (
    <ExplainView runId={run.id} runName={run.name} index={index} samples={run.samples ?? null} />
  );
}
