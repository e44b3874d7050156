import { emptyNewRunForm, prefillNewRunForm, type NewRunFormValues } from '@convscope/schemas';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { EmptyState } from '../../components/EmptyState';
import { NewRunForm } from '../../components/queue/NewRunForm';
import { loginHref } from '../../lib/auth';
import {
  formatConfigText,
  NEW_RUN_PROJECTS_FIRST,
  NEW_RUN_QUERY,
  RUN_TO_COPY_QUERY,
} from '../../lib/queue';
import { canWriteRole } from '../../lib/run-management';
import { loadViewer, serverGql } from '../../lib/session';

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export const metadata: Metadata = { title: 'New run' };

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** The run `from` as the form's first values (null: no such run the caller can read). */
async function copyOf(from: string) {
  const { run } = await serverGql(RUN_TO_COPY_QUERY, { id: from });
  if (!run) return null;
  const { values, rest } = prefillNewRunForm(run);
  const initial: NewRunFormValues = { ...values, configText: formatConfigText(rest) };
  return { run, initial };
}

/**
 * `/new-run?project=NAME` (a blank form) and `/new-run?from=RUN_ID` ("Run again with changes":
 * the form pre-filled from that run, queued with `sourceRunId`). Signed-in editors only: others
 * are sent to sign in, or told which role queueing needs.
 */
export default async function NewRunPage({ searchParams }: Props) {
  const params = await searchParams;
  const from = one(params.from);
  const viewer = await loadViewer();
  if (!viewer) {
    const qs = new URLSearchParams(from ? { from } : { project: one(params.project) ?? '' });
    redirect(loginHref(`/new-run?${qs.toString()}`));
  }
  const [data, copy] = await Promise.all([
    serverGql(NEW_RUN_QUERY, { projectsFirst: NEW_RUN_PROJECTS_FIRST }),
    from ? copyOf(from) : Promise.resolve(null),
  ]);
  if (from && !copy) notFound();
  const projects = data.projects.nodes
    .filter((p) => canWriteRole(p.myRole))
    .map((p) => ({ id: p.id, name: p.name }));
  const wanted = copy?.run.project.name ?? one(params.project);
  const project = projects.find((p) => p.name === wanted)?.name ?? projects[0]?.name ?? '';
  const initial = copy?.initial ?? emptyNewRunForm(data.presets[0]?.name ?? '');
  return (
    <>
      <div className="page-header">
        <div>
          <div className="breadcrumbs">
            <Link href="/">Runs</Link>
            {project ? (
              <>
                {' / '}
                <Link href={`/projects/${encodeURIComponent(project)}`}>{project}</Link>
              </>
            ) : null}
          </div>
          <h1>{copy ? 'Run again with changes' : 'New run'}</h1>
          <p className="page-subtitle">
            {copy ? (
              <>
                A copy of{' '}
                <Link href={`/runs/${encodeURIComponent(copy.run.id)}`} data-testid="source-run">
                  {copy.run.name}
                </Link>
                : change what you want, then queue it. A worker picks it up.
              </>
            ) : (
              'Queued for the next free worker that meets its requirements.'
            )}
          </p>
        </div>
      </div>
      {projects.length === 0 ? (
        <section className="card" data-testid="new-run-forbidden">
          <EmptyState title="No project you may queue runs in">
            <p className="muted">
              Queueing a run needs the editor or owner role in a project; ask a project owner to add
              you.
            </p>
          </EmptyState>
        </section>
      ) : (
        <section className="card">
          <NewRunForm
            projects={projects}
            project={project}
            presets={data.presets}
            initial={initial}
            sourceRunId={copy?.run.id}
          />
        </section>
      )}
    </>
  );
}
