import { ProjectList } from '../components/ProjectList';
import { RunsExplorer } from '../components/RunsExplorer';
import { loadRuns } from '../lib/loadRuns';
import {
  DASHBOARD_QUERY,
  RUNS_PAGE_SIZE,
  type DashboardData,
  type DashboardVariables,
} from '../lib/queries';
import { parseRunFilter, toGraphQLFilter, toGraphQLOrder } from '../lib/runFilters';

/** `/`: projects with run counts and the runs of all projects, filterable by project and status. */
export default async function HomePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const filter = parseRunFilter(await searchParams);
  const variables: DashboardVariables = {
    filter: toGraphQLFilter(filter),
    first: RUNS_PAGE_SIZE,
    orderBy: toGraphQLOrder(filter),
  };
  const { data, queryError } = await loadRuns<DashboardData>(DASHBOARD_QUERY, variables);
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Experiments</h1>
          <p className="page-subtitle">Training runs across all projects.</p>
        </div>
      </div>
      <div className="layout-sidebar">
        <ProjectList projects={data.projects} active={filter.project} />
        <RunsExplorer
          key={JSON.stringify(filter)}
          initial={{ runs: data.runs }}
          filter={filter}
          queryError={queryError}
          projects={data.projects.map((p) => p.name)}
        />
      </div>
    </>
  );
}
