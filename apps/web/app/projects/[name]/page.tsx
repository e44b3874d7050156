import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { NewRunLink } from '../../../components/queue/NewRunLink';
import { RunsExplorer } from '../../../components/RunsExplorer';
import { GraphQLRequestError } from '../../../lib/graphql';
import {
  PROJECT_QUERY,
  RUNS_PAGE_SIZE,
  RUNS_QUERY,
  type DashboardVariables,
  type RunsData,
} from '../../../lib/queries';
import { loadRuns } from '../../../lib/load-runs';
import { parseRunFilter, toGraphQLFilter, toGraphQLOrder } from '../../../lib/run-filters';
import { canWriteRole } from '../../../lib/run-management';
import { serverGql } from '../../../lib/session';

type Props = {
  params: Promise<{ name: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: decodeURIComponent((await params).name) };
}

/** `/projects/[name]`: the runs of one project, filterable by status. */
export default async function ProjectPage({ params, searchParams }: Props) {
  const name = decodeURIComponent((await params).name);
  const filter = { ...parseRunFilter(await searchParams), project: name };
  const variables: DashboardVariables = {
    filter: toGraphQLFilter(filter),
    first: RUNS_PAGE_SIZE,
    orderBy: toGraphQLOrder(filter),
  };
  const [project, { data: runs, queryError }] = await Promise.all([
    serverGql(PROJECT_QUERY, { name }).then(
      (data) => data.project,
      (err: unknown) => {
        // Private and nobody signed in: the API says UNAUTHENTICATED. Shown like an unknown
        // project (null), where the not-found page offers to sign in and come back.
        if (err instanceof GraphQLRequestError && err.code === 'UNAUTHENTICATED') return null;
        throw err;
      },
    ),
    loadRuns<RunsData>(RUNS_QUERY, variables),
  ]);
  if (!project) notFound();
  return (
    <>
      <div className="page-header">
        <div>
          <div className="breadcrumbs">
            <Link href="/">All runs</Link> / project
          </div>
          <h1>{project.name}</h1>
          <p className="page-subtitle">
            {project.description ? `${project.description} · ` : ''}
            {project.runCount} {project.runCount === 1 ? 'run' : 'runs'}
          </p>
        </div>
        <div className="runs-actions">
          <Link
            href={`/projects/${encodeURIComponent(project.name)}/sweeps`}
            className="btn"
            data-testid="project-sweeps-link"
          >
            Sweeps
          </Link>
          <NewRunLink
            writableProjects={canWriteRole(project.myRole) ? [project.name] : []}
            project={project.name}
          />
        </div>
      </div>
      <RunsExplorer
        key={JSON.stringify(filter)}
        initial={runs}
        filter={filter}
        projects={[project.name]}
        queryError={queryError}
        fixedProject
        writableProjects={canWriteRole(project.myRole) ? [project.name] : []}
      />
    </>
  );
}
