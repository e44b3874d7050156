// Queued work in the dashboard: the GraphQL documents of "New run", "Run again with changes",
// cancel and the workers page, and the pure helpers their components share.
import { parse as parseYaml, stringify as stringifyYaml, YAMLParseError } from 'yaml';
import { graphql } from './gql';

/** Most projects offered in the New run form's project select (the API's largest page). */
export const NEW_RUN_PROJECTS_FIRST = 500;
/** Workers per page of the workers page. */
export const WORKERS_PAGE_SIZE = 50;

/** What the New run page needs: the presets and the projects the caller may queue into. */
export const NEW_RUN_QUERY = graphql(`
  query NewRun($projectsFirst: Int!) {
    presets {
      name
      description
      inputShape
      classes
      epochs
      batchSize
    }
    projects(first: $projectsFirst) {
      nodes {
        id
        name
        myRole
      }
    }
  }
`);

/** The run "Run again with changes" copies: what pre-fills the form. */
export const RUN_TO_COPY_QUERY = graphql(`
  query RunToCopy($id: ID!) {
    run(id: $id) {
      id
      name
      tags
      notes
      priority
      queuedConfig
      hyperparameters
      project {
        id
        name
      }
    }
  }
`);

/** Queues a run; answers it QUEUED. */
export const QUEUE_RUN = graphql(`
  mutation QueueRun($input: QueueRunInput!) {
    queueRun(input: $input) {
      id
      name
      status
    }
  }
`);

/** Cancels a run: QUEUED ends CANCELLED at once, RUNNING is asked to stop (cancelRequested). */
export const CANCEL_RUN = graphql(`
  mutation CancelRun($id: ID!) {
    cancelRun(id: $id) {
      id
      status
      cancelRequested
    }
  }
`);

/** A page of workers, newest contact first. */
export const WORKERS_QUERY = graphql(`
  query Workers($first: Int!, $after: String) {
    workers(first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        host
        backend
        gpu
        memoryMb
        concurrency
        status
        lastSeenAt
        startedAt
        currentRuns {
          id
          name
          project {
            name
          }
        }
      }
    }
  }
`);

/**
 * The "Advanced" config box parsed: YAML (JSON is YAML too), undefined when empty. Throws an Error
 * naming the line and column of a syntax error.
 */
export function parseConfigText(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return parseYaml(text) as unknown;
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const pos = err.linePos?.[0];
      const where = pos ? ` (line ${pos.line}, column ${pos.col})` : '';
      throw new Error(`Config: not valid YAML or JSON${where}: ${err.message.split('\n')[0]}`);
    }
    throw err;
  }
}

/** The rest of a copied run's config as YAML for the config box; '' when nothing is left. */
export function formatConfigText(rest: Record<string, unknown>): string {
  return Object.keys(rest).length === 0 ? '' : stringifyYaml(rest);
}

/** "12 s ago", "5 min ago", "3 h ago", "2 d ago" from an ISO time and now (ms). */
export function formatAgo(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (!Number.isFinite(s)) return '—';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

/** A worker's memory for people: "16 GB" from MB (binary units, one decimal under 10). */
export function formatMemoryMb(mb: number): string {
  if (mb < 1024) return `${mb} MB`;
  const gb = mb / 1024;
  return `${gb < 10 ? gb.toFixed(1).replace(/\.0$/, '') : Math.round(gb)} GB`;
}
