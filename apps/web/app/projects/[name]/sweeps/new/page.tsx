import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { SweepNewForm } from '../../../../../components/SweepNewForm';
import { loginHref } from '../../../../../lib/auth';
import { canWriteRole } from '../../../../../lib/run-management';
import { loadViewer, serverGql } from '../../../../../lib/session';
import { SWEEP_PROJECT_QUERY } from '../../../../../lib/sweeps';

type Props = { params: Promise<{ name: string }> };

export const metadata: Metadata = { title: 'New sweep' };

/** `/projects/[name]/sweeps/new`: the New sweep form (editors of the project). */
export default async function NewSweepPage({ params }: Props) {
  const name = decodeURIComponent((await params).name);
  const base = `/projects/${encodeURIComponent(name)}`;
  const viewer = await loadViewer();
  if (!viewer) redirect(loginHref(`${base}/sweeps/new`));
  const { project } = await serverGql(SWEEP_PROJECT_QUERY, { name });
  if (!project) notFound();
  return (
    <>
      <div className="page-header">
        <div>
          <div className="breadcrumbs">
            <Link href={base}>{project.name}</Link> / <Link href={`${base}/sweeps`}>sweeps</Link> /
            new
          </div>
          <h1>New sweep</h1>
          <p className="page-subtitle">
            Its runs are queued as jobs, a few at a time; workers train them.
          </p>
        </div>
      </div>
      {canWriteRole(project.myRole) ? (
        <SweepNewForm projectId={project.id} projectName={project.name} />
      ) : (
        <p className="alert alert-error" data-testid="sweep-forbidden">
          Creating a sweep needs the editor role in {project.name}.
        </p>
      )}
    </>
  );
}
