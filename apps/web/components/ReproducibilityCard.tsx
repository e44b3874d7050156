'use client';

import { useEffect, useState } from 'react';
import { gqlRequest } from '../lib/graphql';
import {
  formatCommand,
  reproducibilityFacts,
  RUN_REPRODUCIBILITY_QUERY,
  type ReproducibilityRecord,
} from '../lib/reproducibility';

/** What the card has: loading, the record (null: the run has none), or the error. */
type State =
  | { kind: 'loading' }
  | { kind: 'ready'; record: ReproducibilityRecord | null }
  | { kind: 'error'; message: string };

/**
 * How the run was made, in one compact card: git commit (dirty or clean), host, OS, Node and
 * TF.js versions, backend, config file, dataset fingerprint and the command line. The git diff,
 * the config text and the dataset files are folded in `<details>`. Fetched once (the record
 * never changes after createRun), not with the run page's 2 s refresh.
 */
export function ReproducibilityCard({ runId }: { runId: string }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    gqlRequest(RUN_REPRODUCIBILITY_QUERY, { id: runId }, { signal: controller.signal }).then(
      (d) => setState({ kind: 'ready', record: d.run?.reproducibility ?? null }),
      (err: unknown) => {
        if (!controller.signal.aborted)
          setState({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
      },
    );
    return () => controller.abort();
  }, [runId]);

  // A run logged without a record (older clients, other frameworks) shows no card at all.
  if (state.kind === 'ready' && state.record === null) return null;
  return (
    <section className="card repro-card" data-testid="reproducibility">
      <div className="card-header">
        <h2>Reproducibility</h2>
        {state.kind === 'ready' && state.record?.git?.dirty ? (
          <span className="repro-dirty" data-testid="repro-dirty">
            uncommitted changes
          </span>
        ) : null}
      </div>
      <div className="card-body">
        {state.kind === 'loading' ? <span className="faint">Loading…</span> : null}
        {state.kind === 'error' ? (
          <span className="faint" role="status">
            Reproducibility record unavailable: {state.message}
          </span>
        ) : null}
        {state.kind === 'ready' && state.record ? <Record record={state.record} /> : null}
      </div>
    </section>
  );
}

function Record({ record }: { record: ReproducibilityRecord }) {
  const { git, configFile, dataset } = record;
  return (
    <>
      <dl className="repro-facts">
        {reproducibilityFacts(record).map((f) => (
          <div key={f.label} className="repro-fact">
            <dt>{f.label}</dt>
            <dd className="mono" data-testid={f.testId} title={f.value}>
              {f.value}
            </dd>
          </div>
        ))}
      </dl>
      {record.command.length > 0 ? (
        <div className="repro-command">
          <span className="meta">Command</span>
          <code data-testid="repro-command">{formatCommand(record.command)}</code>
        </div>
      ) : null}
      {git?.diff ? (
        <details className="repro-details" data-testid="repro-diff">
          <summary>
            Git diff ({git.diffBytes.toLocaleString('en-US')} bytes
            {git.diffTruncated ? ', first 256 KiB shown' : ''})
          </summary>
          <pre className="repro-pre">{git.diff}</pre>
        </details>
      ) : null}
      {configFile ? (
        <details className="repro-details" data-testid="repro-config-text">
          <summary>
            Config file {configFile.path}
            {configFile.truncated ? ' (first 64 KiB shown)' : ''}
          </summary>
          <pre className="repro-pre">{configFile.text}</pre>
        </details>
      ) : null}
      {dataset && dataset.files.length > 0 ? (
        <details className="repro-details" data-testid="repro-dataset-files">
          <summary>
            Dataset files ({dataset.files.length} of {dataset.fileCount} listed)
          </summary>
          <div className="mono repro-sha">sha256 {dataset.sha256}</div>
          <ul className="repro-files">
            {dataset.files.map((f) => (
              <li key={f.path} className="mono">
                {f.path}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </>
  );
}
