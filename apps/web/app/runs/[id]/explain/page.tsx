import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { EmptyState } from '../../../../components/EmptyState';
import { ExplainView } from '../../../../components/ExplainView';
import { TfjsModelRequired } from '../../../../components/TfjsModelRequired';
import { runClassNames, summaryLayers } from '../../../../lib/explain-image';
import {
  EXPLANATION_INDEX,
  isExplanationIndex,
  type ExplanationIndex,
} from '../../../../lib/explain-pack';
import {
  parseExplainParams,
  spatialLayers,
  type ExplainLayer,
} from '../../../../lib/explain-sample';
import { loadRun } from '../../../../lib/server';
import { serverApiFetch } from '../../../../lib/session';

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

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

/** The first value of each query parameter, as URLSearchParams reads it. */
function firstValues(query: Record<string, string | string[] | undefined>): URLSearchParams {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined) qs.set(k, first);
  }
  return qs;
}

/** The model's layers from its summary, else from the pack's index. */
function modelLayers(summary: unknown, index: ExplanationIndex | null): ExplainLayer[] {
  const layers = summaryLayers(summary);
  if (layers.length > 0 || !index) return layers;
  return index.layers.map((l) => ({
    name: l.path,
    shape: l.outputShape.filter((d): d is number => typeof d === 'number'),
  }));
}

/**
 * `/runs/[id]/explain[?sample=&class=&layer=&method=]`: any test sample explained on demand
 * (every class, spatial layer and method) and the run's explanation pack (feature maps,
 * filters, CAMs, saliency, LIME) for its preselected samples.
 */
export default async function ExplainPage({ params, searchParams }: Props) {
  const run = await loadRun(decodeURIComponent((await params).id));
  if (!run) notFound();
  const index = run.packIndex !== null ? await loadIndex(run.id) : null;
  const canExplain = run.model?.format === 'TFJS' && run.weights !== null && !!run.samples;
  if (!index && !canExplain) {
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
  const classNames = runClassNames(run.evaluation?.classNames, run.datasetInfo);
  return (
    <ExplainView
      run={{
        id: run.id,
        name: run.name,
        classNames: classNames.length ? classNames : (index?.classNames ?? []),
        layers: spatialLayers(modelLayers(run.modelSummary, index)),
        samples: run.samples ?? null,
        canExplain,
        hasEvaluation: !!run.evaluation,
      }}
      index={index}
      initial={parseExplainParams(firstValues(await searchParams))}
    />
  );
}
