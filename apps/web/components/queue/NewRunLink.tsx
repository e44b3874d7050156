import Link from 'next/link';

/**
 * The "New run" button of the runs pages: shown only to callers who may queue runs in some
 * project (editor or owner); `project` (when one of those) is chosen in the form.
 */
export function NewRunLink({
  writableProjects,
  project,
}: {
  writableProjects: readonly string[];
  project?: string | null;
}) {
  if (writableProjects.length === 0) return null;
  const href =
    project && writableProjects.includes(project)
      ? `/new-run?project=${encodeURIComponent(project)}`
      : '/new-run';
  return (
    <Link href={href} className="btn btn-primary" data-testid="new-run-link">
      New run
    </Link>
  );
}
