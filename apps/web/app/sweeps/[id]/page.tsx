import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { formatNumber } from '@convscope/viz';
import { SweepActions } from '../../../components/SweepActions';
import { SweepImportance } from '../../../components/SweepImportance';
import { SweepParallelPlot } from '../../../components/SweepParallelPlot';
import { GraphQLRequestError } from '../../../lib/graphql';
import { canWriteRole } from '../../../lib/run-management';
import { serverGql } from '../../../lib/session';
import { SWEEP_QUERY, type SweepDetail } from '../../../lib/sweeps';

type Props = { params: Promise<{ id: string }> };

export const metadata: Metadata = { title: 'Sweep' };

/** `/sweeps/[id]`: progress, best run so far, parallel coordinates of every run, importance. */
export default async function SweepPage({ params }: Props) {
  const id = decodeURIComponent((await params).id);
  const sweep = await serverGql(SWEEP_QUERY, { id }).then(
    (d) => d.sweep,
    (err: unknown) => {
      if (err instanceof GraphQLRequestError && err.code === 'UNAUTHENTICATED') return null;
      throw err;
    },
  );
  if (!sweep) notFound();
  const p = sweep.progress;
  const projectHref = `/projects/${encodeURIComponent(sweep.project.name)}`;
  const metric = sweep.metric.name;
  return (
    <>
      <div className="page-header">
        <div>
          <div className="breadcrumbs">
            <Link href={projectHref}>{sweep.project.name}</Link> /{' '}
            <Link href={`${projectHref}/sweeps`}>sweeps</Link>
          </div>
          <h1>{sweep.name}</h1>
          <p className="page-subtitle">
            <span data-testid="sweep-status">{sweep.status}</span> · {sweep.method} ·{' '}
            {sweep.metric.goal} {metric}
          </p>
        </div>
        <SweepActions
          id={sweep.id}
          status={sweep.status}
          canEdit={canWriteRole(sweep.project.myRole)}
          active={p.queued + p.running > 0}
        />
      </div>
      <SweepProgressCard sweep={sweep} />
      <SweepParallelPlot points={sweep.points} names={sweep.parameterNames} metric={metric} />
      <SweepImportance rows={sweep.importance} metric={metric} />
      <SweepRunsTable sweep={sweep} />
      <details className="card">
        <summary className="card-header">Config</summary>
        <pre className="card-body mono" data-testid="sweep-config-text">
          {sweep.configText}
        </pre>
      </details>
    </>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="stat">
      <div className="stat-value">{value}</div>
      <div className="stat-label">{label}</div>
    </div>
  );
}

/** Counts of the runs, the best run so far and the last queuing error. */
function SweepProgressCard({ sweep }: { sweep: SweepDetail }) {
  const p = sweep.progress;
  const ended = p.completed + p.failed + p.cancelled;
  const metric = sweep.metric.name;
  return (
    <section className="card" data-testid="sweep-progress">
      <div className="card-body stat-row">
        <Stat label="Done / planned" value={`${ended} / ${p.planned}`} />
        <Stat label="Running" value={String(p.running)} />
        <Stat label="Queued" value={String(p.queued)} />
        <Stat label="Completed" value={String(p.completed)} />
        <Stat label="Failed" value={String(p.failed)} />
        <Stat label="Cancelled" value={String(p.cancelled)} />
        <Stat label="Parallel" value={String(p.parallel)} />
      </div>
      <div className="card-body" data-testid="sweep-best">
        {sweep.bestRun ? (
          <>
            Best so far:{' '}
            <Link
              href={`/runs/${encodeURIComponent(sweep.bestRun.runId)}`}
              data-testid="sweep-best-run"
            >
              {sweep.bestRun.runName}
            </Link>{' '}
            · {metric}{' '}
            <strong data-testid="sweep-best-value">
              {formatNumber(sweep.bestRun.value ?? null, 4)}
            </strong>
          </>
        ) : (
          <span className="muted">No run has logged {metric} yet.</span>
        )}
      </div>
      {sweep.lastError ? (
        <p className="card-body form-error" data-testid="sweep-last-error">
          {p.launchErrors} run(s) could not be queued: {sweep.lastError}
        </p>
      ) : null}
    </section>
  );
}

/** Every run with its parameter values and target metric. */
function SweepRunsTable({ sweep }: { sweep: SweepDetail }) {
  const metric = sweep.metric.name;
  return (
    <section className="card">
      <div className="card-header">
        <h2>Runs</h2>
      </div>
      <div className="table-wrap">
        <table className="data" data-testid="sweep-runs">
          <thead>
            <tr>
              <th>Run</th>
              <th>Status</th>
              {sweep.parameterNames.map((n) => (
                <th key={n} className="mono">
                  {n}
                </th>
              ))}
              <th className="num">{metric}</th>
            </tr>
          </thead>
          <tbody>
            {sweep.points.map((pt) => {
              const params = (pt.parameters ?? {}) as Record<string, unknown>;
              return (
                <tr key={pt.runId} data-testid="sweep-run-row">
                  <td>
                    <Link href={`/runs/${encodeURIComponent(pt.runId)}`}>{pt.runName}</Link>
                  </td>
                  <td>{pt.status}</td>
                  {sweep.parameterNames.map((n) => (
                    <td key={n} className="num">
                      {typeof params[n] === 'number'
                        ? formatNumber(params[n], 4)
                        : String(params[n] ?? '–')}
                    </td>
                  ))}
                  <td className="num">{formatNumber(pt.value ?? null, 4)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
