import type {
  PredictionPage,
  Project,
  RocCurve,
  RunDetail,
  RunListItem,
  RunStatus,
  UncertaintySample,
} from './types';

const RUN_LIST_FIELDS = /* GraphQL */ `
  id
  name
  status
  project { name }
  hyperparameters
  createdAt
  startedAt
  endedAt
  durationMs
  summary { name last lastStep min max count }
  trend: metrics(names: ["val_accuracy"], maxPoints: 40) { name points { step value } }
`;

/** Projects plus the runs matching a filter (newest first). */
export const DASHBOARD_QUERY = /* GraphQL */ `
  query Dashboard($filter: RunFilter, $first: Int, $orderBy: RunOrder = { field: CREATED_AT, direction: DESC }) {
    projects { id name description createdAt runCount }
    runs(filter: $filter, first: $first, orderBy: $orderBy) {
      totalCount
      nodes { ${RUN_LIST_FIELDS} }
    }
  }
`;

export interface DashboardData {
  projects: Project[];
  runs: { totalCount: number; nodes: RunListItem[] };
}

export interface RunFilterInput {
  projects?: string[];
  statuses?: RunStatus[];
  /** Query language, e.g. `hp.lr < 0.01 and best.val_accuracy >= 0.9`. */
  query?: string;
  ids?: string[];
}

export interface RunOrderInput {
  key?: string;
  field?: 'CREATED_AT' | 'NAME' | 'STATUS';
  direction: 'ASC' | 'DESC';
}

export interface DashboardVariables {
  filter?: RunFilterInput;
  first?: number;
  orderBy?: RunOrderInput;
}

/** Runs only (used by the live-refreshing runs table). */
export const RUNS_QUERY = /* GraphQL */ `
  query Runs($filter: RunFilter, $first: Int, $orderBy: RunOrder = { field: CREATED_AT, direction: DESC }) {
    runs(filter: $filter, first: $first, orderBy: $orderBy) {
      totalCount
      nodes { ${RUN_LIST_FIELDS} }
    }
  }
`;

export type RunsData = Pick<DashboardData, 'runs'>;

/** One project by name. */
export const PROJECT_QUERY = /* GraphQL */ `
  query Project($name: String!) {
    project(name: $name) {
      id
      name
      description
      createdAt
      runCount
    }
  }
`;

export interface ProjectData {
  project: Project | null;
}

/** Everything the run page shows; re-sent every 2 s while the run is live. */
export const RUN_QUERY = /* GraphQL */ `
  query Run($id: ID!) {
    run(id: $id) {
      id
      name
      status
      project {
        name
      }
      hyperparameters
      tags
      notes
      modelSummary
      datasetInfo
      backend
      backendReason
      error
      createdAt
      startedAt
      endedAt
      heartbeatAt
      durationMs
      metrics(maxPoints: 1000) {
        name
        totalPoints
        downsampled
        points {
          step
          value
        }
      }
      summary {
        name
        last
        lastStep
        min
        max
        count
      }
      artifacts {
        id
        kind
        name
        sha256
        bytes
        mimeType
        createdAt
      }
      samples {
        count
        height
        width
        channels
        sha256
      }
      uncertainty {
        id
        split
        method
        passes
        numSamples
        numClasses
        classNames
        accuracy
        auc
        meanEntropy
        meanMutualInformation
      }
      evaluation {
        id
        split
        numSamples
        numClasses
        classNames
        accuracy
        logLoss
        ece
        topK {
          k
          accuracy
        }
        perClass {
          label
          precision
          recall
          f1
          sensitivity
          specificity
          support
          auc
        }
        confusionMatrix
        macro {
          precision
          recall
          f1
        }
        weighted {
          precision
          recall
          f1
        }
        calibration {
          binLower
          binUpper
          confidence
          accuracy
          count
        }
      }
    }
  }
`;

/**
 * One-vs-rest ROC curves of every class of the latest evaluation in one request: one aliased
 * `roc(label: "<class index>")` field per class (indexes avoid quoting class names).
 */
export function rocQuery(numClasses: number): string {
  const fields = Array.from(
    { length: numClasses },
    (_, i) => `c${i}: roc(label: "${i}") { fpr tpr }`,
  ).join('\n        ');
  return /* GraphQL */ `
  query RunRoc($id: ID!) {
    run(id: $id) {
      evaluation {
        id
        ${fields}
      }
    }
  }
`;
}

export interface RocData {
  run: { evaluation: Record<string, RocCurve | null | string> | null } | null;
}

/** The curves of a {@link rocQuery} answer in class-index order (null: undefined or missing). */
export function rocCurvesOf(data: RocData, numClasses: number): (RocCurve | null)[] {
  const evaluation = data.run?.evaluation ?? null;
  return Array.from({ length: numClasses }, (_, i) => {
    const curve = evaluation?.[`c${i}`];
    return curve &&
      typeof curve === 'object' &&
      Array.isArray(curve.fpr) &&
      Array.isArray(curve.tpr)
      ? curve
      : null;
  });
}

/**
 * A page of the latest evaluation's predictions: filtered (e.g. one confusion-matrix cell, or
 * the mistakes) and ordered by sample index or by confidence.
 */
export const PREDICTIONS_QUERY = /* GraphQL */ `
  query RunPredictions(
    $id: ID!
    $filter: PredictionFilter
    $first: Int
    $after: String
    $orderBy: PredictionOrder
    $evaluationId: ID
  ) {
    run(id: $id) {
      predictions(
        filter: $filter
        first: $first
        after: $after
        orderBy: $orderBy
        evaluationId: $evaluationId
      ) {
        totalCount
        pageInfo {
          endCursor
          hasNextPage
        }
        nodes {
          index
          label
          predicted
          confidence
          correct
          probabilities
        }
      }
    }
  }
`;

/** Variables of {@link PREDICTIONS_QUERY}. */
export interface PredictionsVariables {
  id: string;
  filter?: { label?: number; predicted?: number; misclassifiedOnly?: boolean };
  first?: number;
  after?: string | null;
  orderBy?: 'INDEX' | 'CONFIDENCE_DESC';
  evaluationId?: string;
}

export interface PredictionsData {
  run: { predictions: PredictionPage } | null;
}

/** A page of an uncertainty evaluation's samples, most uncertain first (by entropy or MI). */
export const UNCERTAINTY_SAMPLES_QUERY = /* GraphQL */ `
  query RunUncertaintySamples(
    $id: ID!
    $uncertaintyId: ID
    $first: Int
    $after: String
    $orderBy: UncertaintySampleOrder
  ) {
    run(id: $id) {
      uncertainty(id: $uncertaintyId) {
        id
        samples(first: $first, after: $after, orderBy: $orderBy) {
          totalCount
          pageInfo {
            endCursor
            hasNextPage
          }
          nodes {
            index
            label
            predicted
            correct
            confidence
            meanProbabilities
            entropy
            mutualInformation
            boxplots {
              class
              className
              min
              q1
              median
              q3
              max
            }
          }
        }
      }
    }
  }
`;

/** Variables of {@link UNCERTAINTY_SAMPLES_QUERY}. */
export interface UncertaintySamplesVariables {
  id: string;
  uncertaintyId?: string;
  first?: number;
  after?: string | null;
  orderBy?: 'INDEX' | 'ENTROPY_DESC' | 'MI_DESC';
}

export interface UncertaintySamplesData {
  run: {
    uncertainty: {
      id: string;
      samples: {
        totalCount: number;
        pageInfo: { endCursor: string | null; hasNextPage: boolean };
        nodes: UncertaintySample[];
      };
    } | null;
  } | null;
}

export interface RunData {
  run: RunDetail | null;
}

/** Maximum number of runs one table shows. */
export const RUNS_PAGE_SIZE = 200;
