'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { compareHref, RUN_IDS_QUERY } from '../lib/compare';
import { GraphQLRequestError, gqlRequest } from '../lib/graphql';
import { NEWEST_FIRST } from '../lib/run-filters';

/** Maximum number of runs one query adds to a comparison. */
const MAX_ADDED = 10;

/** Query box of the compare page: Enter adds the (up to 10 newest) matching runs to the comparison URL. */
export function AddRunsByQuery({ ids }: { ids: string[] }) {
  const router = useRouter();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function add() {
    if (!text.trim()) return;
    setBusy(true);
    setError(null);
    setNote(null);
    try {
      const data = await gqlRequest(RUN_IDS_QUERY, {
        filter: { query: text.trim() },
        first: MAX_ADDED,
        orderBy: NEWEST_FIRST,
      });
      const added = data.runs.nodes.map((n) => n.id).filter((id) => !ids.includes(id));
      if (added.length === 0) setNote('No further runs match this query.');
      else router.push(compareHref([...ids, ...added]));
    } catch (err) {
      setError(
        err instanceof GraphQLRequestError || err instanceof Error ? err.message : String(err),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="query-box card compare-add"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        void add();
      }}
    >
      <div className="query-row">
        <span className="meta">Add runs</span>
        <input
          type="search"
          className={`query-input${error ? ' invalid' : ''}`}
          data-testid="compare-add-query"
          aria-label="Add runs by query"
          placeholder='e.g. project = "fashion-mnist" and best.val_accuracy >= 0.85'
          spellCheck={false}
          value={text}
          disabled={busy}
          onChange={(e) => setText(e.target.value)}
        />
      </div>
      {error ? (
        <pre className="query-error" role="alert" data-testid="compare-add-error">
          {error}
        </pre>
      ) : null}
      {note ? <span className="meta">{note}</span> : null}
    </form>
  );
}
