import Link from 'next/link';
import type { Project } from '../lib/queries';

/** Sidebar list of projects with their run counts; `active` highlights the current one. */
export function ProjectList({ projects, active }: { projects: Project[]; active?: string | null }) {
  const total = projects.reduce((n, p) => n + p.runCount, 0);
  return (
    <section className="card" aria-label="Projects">
      <div className="card-header">
        <h2>Projects</h2>
        <span className="meta">{projects.length}</span>
      </div>
      <ul className="project-list" data-testid="project-list">
        <li>
          <Link href="/" className={active ? undefined : 'active'}>
            <span>All projects</span>
            <span className="count">{total}</span>
          </Link>
        </li>
        {projects.map((p) => (
          <li key={p.id}>
            <Link
              href={`/projects/${encodeURIComponent(p.name)}`}
              className={active === p.name ? 'active' : undefined}
              title={p.description ?? undefined}
            >
              <span>{p.name}</span>
              <span className="count">{p.runCount}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
