'use client';

import {
  bestFromSummary,
  formatDuration,
  formatNumber,
  formatParams,
  formatPercent,
} from '@convscope/viz';
import Link from 'next/link';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { keyHyperparameters } from '../lib/hyperparameters';
import { explainHref } from '../lib/explain-sample';
import { normalizeModelSummary } from '../lib/model-summary';
import { RUN_QUERY, type RunData } from '../lib/queries';
import { formatTimestamp, runDurationMs } from '../lib/time';
import { isActive, type RunDetail } from '../lib/queries';
import { useLiveQuery } from '../lib/use-live-query';
import { useLiveEvents } from '../lib/use-live-events';
import { ArtifactImages } from './ArtifactImages';
import { ArtifactsTable } from './ArtifactsTable';
import { ExportLinks } from './ExportLinks';
import {
  RunActions,
  RunNotesEditor,
  RunTagsEditor,
  RunTitle,
  useRunManagement,
} from './RunActions';
import { EvaluationSection } from './EvaluationSection';
import { KeyValueTable } from './KeyValueTable';
import { MetricsSummaryTable } from './MetricsSummaryTable';
import { ModelSummaryTable } from './ModelSummaryTable';
import { RunNotes } from './RunNotes';
import { StatusBadge } from './StatusBadge';
import { TfjsModelRequired } from './TfjsModelRequired';
import { TrainingCurves } from './TrainingCurves';
import { UncertaintySection } from './UncertaintySection';
import type { CancelledRun } from './queue/CancelRun';
import { queueFacts } from './queue/QueueFacts';
import { RunQueueActions } from './queue/RunQueueActions';
import { ReproducibilityCard } from './ReproducibilityCard';
import { SystemMetrics } from './SystemMetrics';
import { TrainingSnapshots } from './inspect/TrainingSnapshots';
import { LayerDistributions } from './inspect/LayerDistributions';
import { ProjectorCard } from './inspect/ProjectorCard';

/** Poll interval of a live run page while its live stream is down (else changes are pushed). */
const RUN_POLL_MS = 2000;

/**
 * The run, re-read while it is QUEUED or RUNNING: when the API's live stream announces a change
 * of it, or every {@link RUN_POLL_MS} while the stream is down.
 */
function useLiveRun(initial: RunDetail) {
  const refreshRun = useRef<() => void>(() => undefined);
  const stream = useLiveEvents({ run: initial.id }, () => refreshRun.current());
  const query = useLiveQuery(
    RUN_QUERY,
    { id: initial.id },
    { run: initial },
    {
      intervalMs: stream === 'live' ? null : RUN_POLL_MS,
      shouldPoll: (d: RunData) => d.run !== null && isActive(d.run.status),
    },
  );
  const { refresh } = query;
  useEffect(() => {
    refreshRun.current = refresh;
  }, [refresh]);
  return { ...query, stream };
}

/**
 * The run page body. Starts from the server-rendered run and, while the run is QUEUED or
 * RUNNING, re-fetches it (status, curves, summary, artifacts) on the live stream's notices (or
 * every 2 s while the stream is down); this stops once the run reaches COMPLETED or FAILED.
 */
export function RunView({ initial }: { initial: RunDetail }) {
  const { stream, data, error, live, updatedAt, update } = useLiveRun(initial);
  const [firstRender] = useState(() => Date.now());
  // A run deleted mid-poll keeps showing its last known state.
  const run = data.run ?? initial;
  const now = updatedAt ?? firstRender;

  return (
    <div
      className="stack run-view"
      data-testid="run-view"
      data-run-status={run.status}
      data-live-stream={stream}
    >
      <RunHeader
        run={run}
        live={live}
        error={
          error?.message ??
          (stream === 'reconnecting' ? 'Live updates reconnecting; polling meanwhile' : null)
        }
        onCancelled={(c) => update(withCancel(c))}
      />
      {run.status === 'FAILED' && run.error ? (
        <div className="alert alert-error" role="alert" data-testid="run-error">
          <strong>Run failed</strong>
          <pre>{run.error}</pre>
        </div>
      ) : null}
      {/* Curves first: they are what a run page is opened for; facts and numbers follow. */}
      <TrainingCurves metrics={run.metrics} />
      <RunFacts run={run} now={now} />
      <HeadlineStats run={run} />
      <ReproducibilityCard runId={run.id} />
      <MetricsSummaryTable summary={run.summary} />
      <SystemMetrics metrics={run.metrics} />
      {run.evaluation ? (
        <EvaluationSection
          runId={run.id}
          evaluation={run.evaluation}
          samples={run.samples ?? null}
        />
      ) : null}
      {run.uncertainty ? (
        <UncertaintySection
          runId={run.id}
          uncertainty={run.uncertainty}
          samples={run.samples ?? null}
        />
      ) : null}
      <TrainingSnapshots run={run} />
      <LayerDistributions run={run} />
      <ProjectorCard run={run} />
      <div className="grid-2 top">
        <ModelSummaryTable summary={run.modelSummary} />
        <div className="stack">
          <KeyValueTable
            title="Hyperparameters"
            value={run.hyperparameters}
            emptyText="No hyperparameters recorded"
            testId="hyperparameters"
          />
          <KeyValueTable
            title="Dataset"
            value={run.datasetInfo}
            emptyText="No dataset info recorded"
            testId="dataset-info"
          />
        </div>
      </div>
      <ArtifactImages runId={run.id} artifacts={run.artifacts.nodes} />
      <ArtifactsTable
        runId={run.id}
        artifacts={run.artifacts.nodes}
        finished={!isActive(run.status)}
        more={run.artifacts.pageInfo.hasNextPage}
      />
    </div>
  );
}

/** The run page's data with a cancel applied: shown at once, the polls bring the rest. */
function withCancel(c: CancelledRun) {
  return (d: RunData): RunData =>
    d.run ? { run: { ...d.run, status: c.status, cancelRequested: c.cancelRequested } } : d;
}

function RunHeader({
  run,
  live,
  error,
  onCancelled,
}: {
  run: RunDetail;
  live: boolean;
  error: string | null;
  onCancelled: (run: CancelledRun) => void;
}) {
  const m = useRunManagement(run); // run-management: rename, tags, notes, archive, move, delete
  return (
    <div className="run-header" data-testid="run-header">
      <div className="breadcrumbs">
        <Link href="/">Runs</Link> /{' '}
        <Link href={`/projects/${encodeURIComponent(run.project.name)}`}>{run.project.name}</Link>
      </div>
      <div className="run-title">
        <RunTitle m={m} />
        <StatusBadge status={run.status} cancelling={run.cancelRequested} />
        {live ? (
          <span
            className={`live${error ? ' live-warn' : ''}`}
            data-testid="live-indicator"
            title={error ?? 'Changes appear as they happen'}
          >
            <span className="live-dot" />
            {error ? 'Reconnecting…' : 'Live'}
          </span>
        ) : null}
        <RunTagsEditor m={m} />
      </div>
      <div className="run-subline">
        <span className="run-id">
          run <code>{run.id}</code>
        </span>
        <ExportLinks runId={run.id} runName={run.name} hasEvaluation={Boolean(run.evaluation)} />
        {run.model?.format === 'TFJS' ? (
          <div className="export-links">
            <span className="meta">Model</span>
            <Link
              href={`/runs/${encodeURIComponent(run.id)}/explain-image`}
              className="btn"
              data-testid="explain-image-link"
            >
              Explain your image
            </Link>
            <Link href={explainHref(run.id)} className="btn" data-testid="explain-samples-link">
              Explain test samples
            </Link>
          </div>
        ) : null}
      </div>
      <RunNotesEditor m={m} view={(notes) => <RunNotes notes={notes} />} />
      <RunQueueActions run={run} canWrite={m.canWrite} onCancelled={onCancelled} />
      <RunActions m={m} />
    </div>
  );
}

function RunFacts({ run, now }: { run: RunDetail; now: number }) {
  const facts: [string, ReactNode][] = [
    [
      'Project',
      <Link key="p" href={`/projects/${encodeURIComponent(run.project.name)}`}>
        {run.project.name}
      </Link>,
    ],
    ['Backend', run.backend ?? <span className="faint">not chosen yet</span>],
    ['Created (UTC)', formatTimestamp(run.createdAt)],
    ['Started (UTC)', formatTimestamp(run.startedAt)],
    [
      'Ended (UTC)',
      run.endedAt ? (
        formatTimestamp(run.endedAt)
      ) : isActive(run.status) ? (
        <span className="faint">in progress</span>
      ) : (
        '—'
      ),
    ],
    [
      'Duration',
      <span key="d" suppressHydrationWarning>
        {formatDuration(runDurationMs(run, now))}
      </span>,
    ],
    ['Heartbeat (UTC)', formatTimestamp(run.heartbeatAt, true)],
    ...queueFacts(run),
  ];
  return (
    <section className="card run-facts" data-testid="run-facts">
      <dl className="fact-chips">
        {facts.map(([label, value]) => (
          <div className="fact-chip" key={label}>
            <dt className="fact-label">{label}</dt>
            <dd className="fact-value">{value}</dd>
          </div>
        ))}
      </dl>
      {run.backendReason ? (
        <details className="fold" data-testid="backend-reason">
          <summary>Why {run.backend ?? 'this backend'}?</summary>
          <p className="fold-body">{run.backendReason}</p>
        </details>
      ) : null}
      <TfjsModelRequired model={run.model} compact />
    </section>
  );
}

function HeadlineStats({ run }: { run: RunDetail }) {
  // Epoch-level metrics share one step axis; batch-level ones (batch_loss) count batches instead.
  const epochMetric =
    run.summary.find((s) => s.name === 'val_loss') ?? run.summary.find((s) => s.name === 'loss');
  const plannedEpochs =
    keyHyperparameters(run.hyperparameters).find((h) => h.label === 'epochs')?.numeric ?? null;
  const params = normalizeModelSummary(run.modelSummary)?.totalParams ?? null;
  const testAccuracy = run.summary.find((s) => s.name === 'test_accuracy');
  const stats: { label: string; value: string; note?: string }[] = [
    {
      label: 'Best val accuracy',
      value: formatPercent(bestFromSummary(run.summary, 'val_accuracy'), 2),
    },
    { label: 'Best val loss', value: formatNumber(bestFromSummary(run.summary, 'val_loss'), 4) },
    ...(testAccuracy
      ? [{ label: 'Test accuracy', value: formatPercent(testAccuracy.last, 2) }]
      : []),
    {
      label: 'Epoch',
      value: epochMetric ? String(epochMetric.lastStep) : '—',
      note: plannedEpochs !== null ? `of ${plannedEpochs} planned` : undefined,
    },
    { label: 'Parameters', value: formatParams(params) },
  ];
  return (
    <div className="stat-row" data-testid="headline-stats">
      {stats.map((s) => (
        <div className="card stat" key={s.label}>
          <div className="stat-label">{s.label}</div>
          <div className="stat-value">{s.value}</div>
          {s.note ? <div className="stat-note">{s.note}</div> : null}
        </div>
      ))}
    </div>
  );
}
