import Link from 'next/link';
import type { ReactNode } from 'react';
import type { RunDetail } from '../../lib/queries';

/** The run page's facts about the queue: the worker that holds (or held) it, and its source run. */
export function queueFacts(run: RunDetail): [string, ReactNode][] {
  const facts: [string, ReactNode][] = [];
  if (run.worker)
    facts.push([
      'Worker',
      <Link key="w" href="/workers" data-testid="run-worker">
        {run.worker.name}
      </Link>,
    ]);
  if (run.sourceRunId)
    facts.push([
      'Copied from',
      <Link key="s" href={`/runs/${encodeURIComponent(run.sourceRunId)}`} data-testid="run-source">
        run {run.sourceRunId.slice(0, 8)}
      </Link>,
    ]);
  return facts;
}
