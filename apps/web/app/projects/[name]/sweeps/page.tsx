import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { formatNumber } from '@convscope/viz';
import { GraphQLRequestError } from '../../../../lib/graphql';
import { canWriteRole } from '../../../../lib/run-management';
import { serverGql } from '../../../../lib/session';
import {
  SWEEP_PROJECT_QUERY,
  SWEEPS_PAGE_SIZE,
  SWEEPS_QUERY,
  type SweepListItem,
} from '../../../../lib/sweeps';

type Props = {
  params: Promise<{ name: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Sweeps · ${decodeURIComponent((await params).name)}` };
}

/** `/projects/[name]/sweeps`: the project's sweeps, newest first, with progress and best value. */
export default async function ProjectSweepsPage({ params, searchParams }: Props) {
  const name = decodeURIComponent((await params).name);
  const after = (await searchParams).after;
  const project = await serverGql(SWEEP_PROJECT_QUERY, { name }).then(
    (d) => d.project,
    (err: unknown) => {
      if (err instanceof GraphQLRequestError && err.code === 'UNAUTHENTICATED') return null;
      throw err;
    },
  );
  if (!project) notFound();
  const { sweeps } = await serverGql(SWEEPS_QUERY, {
    projectId: project.id,
    first: SWEEPS_PAGE_SIZE,
    after: typeof after === 'string' ? after : null,
  });
  const base = `/projects/${encodeURIComponent(project.name)}`;
  return (
    <>
      <div className="page-header">
        <div>
          <div className="breadcrumbs">
            <Link href={base}>{project.name}</Link> / sweeps
          </div>
          <h1>Sweeps</h1>
          <p className="page-subtitle">
            {sweeps.totalCount} {sweeps.totalCount === 1 ? 'sweep' : 'sweeps'}
          </p>
        </div>
        {canWriteRole(project.myRole) ? (
          <Link
            href={`${base}/sweeps/new`}
            className="btn btn-primary"
            data-testid="new-sweep-link"
          >
            New sweep
          </Link>
        ) : null}
      </div>
      {sweeps.nodes.length === 0 ? (
        <div className="empty" data-testid="sweeps-empty">
          <p className="empty-title">No sweeps yet</p>
        </div>
      ) : (
        <SweepsTable sweeps={sweeps.nodes} />
      )}
      {sweeps.pageInfo.hasNextPage && sweeps.pageInfo.endCursor ? (
        <p>
          <Link href={`${base}/sweeps?after=${encodeURIComponent(sweeps.pageInfo.endCursor)}`}>
            Older sweeps →
          </Link>
        </p>
      ) : null}
    </>
  );
}

/** One row per sweep: status, method, metric, progress and best value. */
function SweepsTable({ sweeps }: { sweeps: readonly SweepListItem[] }) {
  return (
    <div className="card table-wrap">
      <table className="data" data-testid="sweeps-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Status</th>
            <th>Method</th>
            <th>Metric</th>
            <th className="num">Runs done / planned</th>
            <th className="num">Best</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {sweeps.map((s) => (
            <tr key={s.id} data-testid="sweep-row">
              <td>
                <Link href={`/sweeps/${encodeURIComponent(s.id)}`}>{s.name}</Link>
              </td>
              <td data-testid="sweep-status">{s.status}</td>
              <td>{s.method}</td>
              <td className="mono">
                {s.metric.goal === 'maximize' ? '↑' : '↓'} {s.metric.name}
              </td>
              <td className="num">
                {s.progress.completed + s.progress.failed + s.progress.cancelled} /{' '}
                {s.progress.planned}
              </td>
              <td className="num">{formatNumber(s.bestRun?.value ?? null, 4)}</td>
              <td>{new Date(s.createdAt).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
