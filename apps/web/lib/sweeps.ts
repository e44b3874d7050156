// Sweeps in the dashboard: the GraphQL documents of the sweeps list, the sweep page and its
// actions, and the pure helpers their components share.
import { parseSweepConfig, formatSweepConfigProblem } from '@convscope/sweep';
import { graphql } from './gql';
import type { ProjectSweepsQuery, SweepPageQuery } from './gql/graphql';

/** Sweeps per page of a project's sweeps list. */
export const SWEEPS_PAGE_SIZE = 20;

/** A project's sweeps, newest first, with their progress. */
export const SWEEPS_QUERY = graphql(`
  query ProjectSweeps($projectId: ID!, $first: Int!, $after: String) {
    sweeps(projectId: $projectId, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        status
        method
        createdAt
        metric {
          name
          goal
        }
        progress {
          completed
          running
          queued
          failed
          cancelled
          planned
        }
        bestRun {
          runId
          value
        }
      }
    }
  }
`);

/** The project a sweeps page belongs to (its id for `sweeps`). */
export const SWEEP_PROJECT_QUERY = graphql(`
  query SweepProject($name: String!) {
    project(name: $name) {
      id
      name
      myRole
    }
  }
`);

/** Everything the sweep page shows. */
export const SWEEP_QUERY = graphql(`
  query SweepPage($id: ID!) {
    sweep(id: $id) {
      id
      projectId
      project {
        name
        myRole
      }
      name
      status
      method
      configText
      lastError
      createdAt
      endedAt
      metric {
        name
        goal
      }
      parameterNames
      progress {
        queued
        running
        completed
        failed
        cancelled
        launched
        planned
        parallel
        launchErrors
      }
      bestRun {
        runId
        runName
        value
        parameters
      }
      points {
        runId
        runName
        status
        parameters
        value
      }
      importance {
        name
        correlation
        importance
      }
    }
  }
`);

/** One sweep of the sweeps list. */
export type SweepListItem = ProjectSweepsQuery['sweeps']['nodes'][number];
/** The sweep page's sweep. */
export type SweepDetail = NonNullable<SweepPageQuery['sweep']>;

/** New sweep. */
export const CREATE_SWEEP = graphql(`
  mutation CreateSweep($projectId: ID!, $name: String!, $config: String!) {
    createSweep(projectId: $projectId, name: $name, config: $config) {
      id
    }
  }
`);

/** Pause, resume and stop. */
export const PAUSE_SWEEP = graphql(`
  mutation PauseSweep($id: ID!) {
    pauseSweep(id: $id) {
      id
      status
    }
  }
`);
/** See {@link PAUSE_SWEEP}. */
export const RESUME_SWEEP = graphql(`
  mutation ResumeSweep($id: ID!) {
    resumeSweep(id: $id) {
      id
      status
    }
  }
`);
/** See {@link PAUSE_SWEEP}. */
export const STOP_SWEEP = graphql(`
  mutation StopSweep($id: ID!) {
    stopSweep(id: $id) {
      id
      status
    }
  }
`);

/** The example a new sweep's config box starts with. */
export const SWEEP_CONFIG_EXAMPLE = `method: random
metric: { name: val_accuracy, goal: maximize }
parameters:
  learningRate: { min: 0.0001, max: 0.01, distribution: log_uniform }
  batchSize: { values: [32, 64, 128] }
budget: { maxRuns: 8, parallel: 2 }
base:
  preset: fmnist-cnn
  training: { epochs: 3 }
`;

/**
 * The config box's own check before anything is sent (the API checks again, with the presets
 * and training overrides): null when it parses, else `path: message`.
 */
export function sweepConfigError(text: string): string | null {
  const parsed = parseSweepConfig(text);
  return parsed.ok ? null : formatSweepConfigProblem(parsed.problem);
}

/** A sweep's parameter values as numbers for parallel coordinates: text values by their rank. */
export function numericParameters(
  points: readonly { parameters: unknown }[],
  names: readonly string[],
): { values: Record<string, number | null>[]; labels: Map<string, string[]> } {
  const labels = new Map<string, string[]>();
  for (const name of names) {
    const texts = new Set<string>();
    for (const p of points) {
      const v = record(p.parameters)[name];
      if (typeof v === 'string' || typeof v === 'boolean') texts.add(String(v));
    }
    if (texts.size > 0) labels.set(name, [...texts].sort());
  }
  const values = points.map((p) => {
    const params = record(p.parameters);
    const out: Record<string, number | null> = {};
    for (const name of names) {
      const v = params[name];
      const cats = labels.get(name);
      if (typeof v === 'number' && Number.isFinite(v) && !cats) out[name] = v;
      else if (cats && v !== null && v !== undefined) out[name] = cats.indexOf(String(v));
      else out[name] = null;
    }
    return out;
  });
  return { values, labels };
}

function record(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : {};
}
