'use client';

import { EmptyState } from '../components/EmptyState';

/** Error boundary for every page: usually the API is down or unreachable. */
export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <section className="card" data-testid="error-state">
      <EmptyState title="Could not load this page">
        <p className="muted">
          The dashboard could not get data from the ConvScope API. Check that it is running (
          <code>npm run api</code>) and reachable at <code>API_URL</code>.
        </p>
        {error.digest ? <p className="faint mono">digest {error.digest}</p> : null}
        <button type="button" className="btn" onClick={reset}>
          Try again
        </button>
      </EmptyState>
    </section>
  );
}
