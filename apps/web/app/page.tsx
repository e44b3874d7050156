import { EmptyState } from '../components/EmptyState';
import { ProjectList } from '../components/ProjectList';
import { NewRunLink } from '../components/queue/NewRunLink';
import { RunsExplorer } from '../components/RunsExplorer';
import { SignInLink } from '../components/SignInLink';
import { loginLinkError } from '../lib/auth';
import { loadRuns } from '../lib/load-runs';
import {
  DASHBOARD_QUERY,
  PROJECTS_PAGE_SIZE,
  RUNS_PAGE_SIZE,
  type DashboardData,
  type DashboardVariables,
} from '../lib/queries';
import { parseRunFilter, toGraphQLFilter, toGraphQLOrder } from '../lib/run-filters';
import { canWriteRole } from '../lib/run-management';
import { loadViewer } from '../lib/session';

/**
 * `/`: projects with run counts and the runs of all projects, filterable by project and status.
 * Anonymous visitors see public projects only; with none, a sign-in prompt instead of empty lists.
 */
export default async function HomePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const filter = parseRunFilter(params);
  const variables: DashboardVariables = {
    filter: toGraphQLFilter(filter),
    first: RUNS_PAGE_SIZE,
    orderBy: toGraphQLOrder(filter),
    projectsFirst: PROJECTS_PAGE_SIZE,
  };
  const [viewer, { data, queryError }] = await Promise.all([
    loadViewer(),
    loadRuns<DashboardData>(DASHBOARD_QUERY, variables),
  ]);
  if (!viewer && data.projects.nodes.length === 0)
    // A failed login link lands here too (better-auth adds ?error=INVALID_TOKEN).
    return <SignInPrompt linkError={loginLinkError(params.error)} />;
  const writable = data.projects.nodes.filter((p) => canWriteRole(p.myRole)).map((p) => p.name);
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Experiments</h1>
          <p className="page-subtitle">Training runs across all projects.</p>
        </div>
        <NewRunLink writableProjects={writable} project={filter.project} />
      </div>
      <div className="layout-sidebar">
        <ProjectList projects={data.projects.nodes} active={filter.project} />
        <RunsExplorer
          key={JSON.stringify(filter)}
          initial={{ runs: data.runs }}
          filter={filter}
          queryError={queryError}
          projects={data.projects.nodes.map((p) => p.name)}
          writableProjects={writable}
        />
      </div>
    </>
  );
}

/** What anonymous visitors see when no project is public. */
function SignInPrompt({ linkError }: { linkError: string | null }) {
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Experiments</h1>
          <p className="page-subtitle">Training runs across all projects.</p>
        </div>
      </div>
      {linkError ? (
        <p className="alert alert-error" role="alert" data-testid="login-link-error">
          {linkError}
        </p>
      ) : null}
      <section className="card" data-testid="sign-in-prompt">
        <EmptyState title="Sign in to see your experiments">
          <p className="muted">
            Projects are private to their members; none is public on this server. Sign in with your
            e-mail and password, or open the one-time sign-in link that <code>npm start</code>{' '}
            prints in its terminal.
          </p>
          <SignInLink className="btn btn-primary">Sign in</SignInLink>
        </EmptyState>
      </section>
    </>
  );
}
