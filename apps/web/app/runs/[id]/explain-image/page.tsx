import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ExplainImageView } from '../../../../components/ExplainImageView';
import { TfjsModelRequired } from '../../../../components/TfjsModelRequired';
import { camLayers, runClassNames, summaryLayers } from '../../../../lib/explain-image';
import { loadRun } from '../../../../lib/server';

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const run = await loadRun(decodeURIComponent((await params).id));
  return { title: run ? `Explain your image · ${run.name}` : 'Run not found' };
}

/**
 * `/runs/[id]/explain-image`: upload an image to a run and see its top-k prediction, what was done
 * to fit it to the model, several methods' maps side by side with their faithfulness, and a
 * layer's activations (each channel zoomable), computed on demand from the stored model.
 */
export default async function ExplainImagePage({ params }: Props) {
  const run = await loadRun(decodeURIComponent((await params).id));
  if (!run) notFound();
  const layers = summaryLayers(run.modelSummary);
  return (
    <div className="stack">
      <div className="breadcrumbs">
        <Link href="/">Runs</Link> /{' '}
        <Link href={`/projects/${encodeURIComponent(run.project.name)}`}>{run.project.name}</Link> /{' '}
        <Link href={`/runs/${encodeURIComponent(run.id)}`}>{run.name}</Link>
      </div>
      <h1>Explain your image</h1>
      <p className="meta">
        The run&apos;s stored model predicts your image and shows where it looked, by several
        methods side by side. Any PNG or JPEG works: it is converted to the model&apos;s input
        (size, grayscale or colour) and the result says how. Results are cached, so the same image
        and settings answer at once.
      </p>
      <TfjsModelRequired model={run.model} />
      <ExplainImageView
        runId={run.id}
        classNames={runClassNames(run.evaluation?.classNames, run.datasetInfo)}
        camLayers={camLayers(layers)}
        layers={layers}
        hasModel={run.model?.format === 'TFJS' && run.weights !== null}
      />
    </div>
  );
}
