import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { RunView } from '../../../components/RunView';
import { loadRun } from '../../../lib/server';

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const run = await loadRun(decodeURIComponent((await params).id));
  return { title: run ? `${run.name} (${run.project.name})` : 'Run not found' };
}

/** `/runs/[id]`: one run with live training curves, model, hyperparameters, dataset and artifacts. */
export default async function RunPage({ params }: Props) {
  const run = await loadRun(decodeURIComponent((await params).id));
  if (!run) notFound();
  return <RunView key={run.id} initial={run} />;
}
