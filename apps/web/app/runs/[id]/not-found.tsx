import Link from 'next/link';
import { EmptyState } from '../../../components/EmptyState';
import { SignInHint } from '../../../components/SignInHint';

/** Shown for an unknown run id. */
export default function RunNotFound() {
  return (
    <section className="card" data-testid="run-not-found">
      <EmptyState title="Run not found">
        <p>No run has this id. It may have been deleted, or the link is mistyped.</p>
        <SignInHint what="run" />
        <Link href="/">Back to all runs</Link>
      </EmptyState>
    </section>
  );
}
