import { formatBytes } from '@convscope/viz';
import Link from 'next/link';
import { EXPLANATION_INDEX } from '../lib/explain-pack';
import { formatTimestamp } from '../lib/time';
import type { Artifact } from '../lib/queries';
import { EmptyState } from './EmptyState';

/** Same-origin download link; next.config.ts forwards `/runs/:id/artifacts/*` to the API. */
export function artifactHref(runId: string, name: string): string {
  return `/runs/${encodeURIComponent(runId)}/artifacts/${name.split('/').map(encodeURIComponent).join('/')}`;
}

/** Files a run stored (weights, model topology, reports) with size, type and download link. */
export function ArtifactsTable({
  runId,
  artifacts,
  finished,
  more = false,
}: {
  runId: string;
  artifacts: Artifact[];
  finished: boolean;
  /** The run has more files than the page the run query asks for (1,000). */
  more?: boolean;
}) {
  // The explanation pack is a hundred-odd small files: one link to its page instead of rows.
  const pack = artifacts.filter((a) => a.name.startsWith('explain.'));
  const hasPack = pack.some((a) => a.name === EXPLANATION_INDEX);
  if (hasPack) artifacts = artifacts.filter((a) => !a.name.startsWith('explain.'));
  const total = artifacts.reduce((n, a) => n + a.bytes, 0);
  return (
    <section className="card" data-testid="artifacts">
      <div className="card-header">
        <h2>Artifacts</h2>
        {artifacts.length > 0 ? (
          <span className="meta">
            {artifacts.length} {artifacts.length === 1 ? 'file' : 'files'} · {formatBytes(total)}
          </span>
        ) : null}
        {hasPack ? (
          <Link
            className="btn"
            data-testid="explain-link"
            href={`/runs/${encodeURIComponent(runId)}/explain`}
          >
            Explanations ({pack.length} files · {formatBytes(pack.reduce((n, a) => n + a.bytes, 0))}
            ) →
          </Link>
        ) : null}
      </div>
      <div className="card-body flush">
        {artifacts.length === 0 ? (
          finished ? (
            <EmptyState title="No artifacts">This run saved no files.</EmptyState>
          ) : (
            <EmptyState title="No artifacts yet">
              Model weights and reports appear here when the run saves them.
            </EmptyState>
          )
        ) : (
          <ArtifactFiles runId={runId} artifacts={artifacts} />
        )}
        {more ? (
          <p className="meta" data-testid="artifacts-more">
            Showing the first 1,000 files by name; list the rest over GraphQL with
            Run.artifacts(after:).
          </p>
        ) : null}
      </div>
    </section>
  );
}

/** The artifacts table: name (a download link), kind, type, size, hash and creation time. */
function ArtifactFiles({ runId, artifacts }: { runId: string; artifacts: Artifact[] }) {
  return (
    <div className="table-wrap">
      <table className="data">
        <thead>
          <tr>
            <th>Name</th>
            <th>Kind</th>
            <th>Type</th>
            <th className="num">Size</th>
            <th>SHA-256</th>
            <th>Created (UTC)</th>
          </tr>
        </thead>
        <tbody>
          {artifacts.map((a) => (
            <tr key={a.id}>
              <td>
                <a
                  href={artifactHref(runId, a.name)}
                  download={a.name.split('/').pop()}
                  className="mono"
                >
                  {a.name}
                </a>
              </td>
              <td>
                <span className="chip">{a.kind}</span>
              </td>
              <td className="muted">{a.mimeType}</td>
              <td className="num">{formatBytes(a.bytes)}</td>
              <td className="mono faint" title={a.sha256}>
                {a.sha256.slice(0, 12)}
              </td>
              <td className="muted">{formatTimestamp(a.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
