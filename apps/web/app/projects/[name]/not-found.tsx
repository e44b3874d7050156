import Link from 'next/link';
import { EmptyState } from '../../../components/EmptyState';

/** Shown for an unknown project name. */
export default function ProjectNotFound() {
  return (
    <section className="card" data-testid="project-not-found">
      <EmptyState title="Project not found">
        <p>No project has this name. Projects are created by the first run logged to them.</p>
        <Link href="/">Back to all runs</Link>
      </EmptyState>
    </section>
  );
}
