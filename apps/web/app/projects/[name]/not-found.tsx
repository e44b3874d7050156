import Link from 'next/link';
import { EmptyState } from '../../../components/EmptyState';
import { SignInHint } from '../../../components/SignInHint';

/** Shown for an unknown project name. */
export default function ProjectNotFound() {
  return (
    <section className="card" data-testid="project-not-found">
      <EmptyState title="Project not found">
        <p>No project has this name. Projects are created by the first run logged to them.</p>
        <SignInHint what="project" />
        <Link href="/">Back to all runs</Link>
      </EmptyState>
    </section>
  );
}
