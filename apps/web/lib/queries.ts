// The dashboard's GraphQL documents. Each `graphql(...)` call is checked against
// apps/api/schema.graphql by `npm run codegen`, which types its result and variables (lib/gql);
// the names below are those generated types under the names the components use.
import { graphql } from './gql';
import { TypedDocumentString } from './gql/graphql';
import type {
  ArtifactFieldsFragment,
  DashboardQuery,
  DashboardQueryVariables,
  EvaluationFieldsFragment,
  MetricPointFieldsFragment,
  MetricSeriesFieldsFragment,
  MetricSummaryFieldsFragment,
  PredictionFieldsFragment,
  ProjectFieldsFragment,
  RocCurveFieldsFragment,
  RunDetailFieldsFragment,
  RunListFieldsFragment,
  RunPredictionsQueryVariables,
  RunQuery,
  RunsQuery,
  RunsQueryVariables,
  RunStatus,
  SampleImagesFieldsFragment,
  UncertaintyFieldsFragment,
  UncertaintySampleFieldsFragment,
} from './gql/graphql';

export type { RunStatus };
/** A project as the dashboard lists it. */
export type Project = ProjectFieldsFragment;
/** One point of a metric curve. */
export type MetricPoint = MetricPointFieldsFragment;
/** A metric curve of the run page. */
export type MetricSeries = MetricSeriesFieldsFragment;
/** Last / min / max of one metric. */
export type MetricSummary = MetricSummaryFieldsFragment;
/** A stored artifact of a run. */
export type Artifact = ArtifactFieldsFragment;
/** A run as listed in the runs table. */
export type RunListItem = RunListFieldsFragment;
/** The latest classification evaluation of a run (without ROC curves, fetched per class). */
export type Evaluation = EvaluationFieldsFragment;
/** The evaluated images stored with a run (served one by one as PNG). */
export type SampleImages = SampleImagesFieldsFragment;
/** One evaluated sample of Run.predictions. */
export type Prediction = PredictionFieldsFragment;
/** One ROC curve. */
export type RocCurve = RocCurveFieldsFragment;
/** The latest uncertainty evaluation of a run (samples are paged separately). */
export type Uncertainty = UncertaintyFieldsFragment;
/** One sample of an uncertainty evaluation. */
export type UncertaintySample = UncertaintySampleFieldsFragment;
/** Everything the run page shows. */
export type RunDetail = RunDetailFieldsFragment;

/** Runs still in flight; their pages poll for updates. */
export function isActive(status: RunStatus): boolean {
  return status === 'QUEUED' || status === 'RUNNING';
}

graphql(`
  fragment MetricPointFields on MetricPoint {
    step
    value
    time
  }
`);

graphql(`
  fragment MetricSummaryFields on MetricSummary {
    name
    last
    lastStep
    min
    max
    count
  }
`);

graphql(`
  fragment ProjectFields on Project {
    id
    name
    description
    createdAt
    runCount
    myRole
  }
`);

graphql(`
  fragment RunListFields on Run {
    id
    name
    status
    cancelRequested
    project {
      name
    }
    hyperparameters
    tags
    createdAt
    startedAt
    endedAt
    durationMs
    summary {
      ...MetricSummaryFields
    }
    trend: metrics(names: ["val_accuracy"], maxPoints: 40) {
      name
      points {
        ...MetricPointFields
      }
    }
  }
`);

/** Projects plus the runs matching a filter, in `orderBy` order. */
export const DASHBOARD_QUERY = graphql(`
  query Dashboard($filter: RunFilter, $first: Int, $orderBy: RunOrder!, $projectsFirst: Int) {
    # Every project for the sidebar and the filter: PROJECTS_PAGE_SIZE, a variable like runs'
    # first (a literal 500 would multiply the document's static cost past the API's limit).
    projects(first: $projectsFirst) {
      nodes {
        ...ProjectFields
      }
    }
    runs(filter: $filter, first: $first, orderBy: $orderBy) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...RunListFields
      }
    }
  }
`);

/** Result of {@link DASHBOARD_QUERY}. */
export type DashboardData = DashboardQuery;
/** Variables of {@link DASHBOARD_QUERY} and {@link RUNS_QUERY}. */
export type DashboardVariables = DashboardQueryVariables;
/** The `RunFilter` input. */
export type RunFilterInput = NonNullable<DashboardVariables['filter']>;
/** The `RunOrder` input. */
export type RunOrderInput = DashboardVariables['orderBy'];

/** Runs only, one page (`after`: the previous page's endCursor) for the live, paged runs table. */
export const RUNS_QUERY = graphql(`
  query Runs($filter: RunFilter, $first: Int, $after: String, $orderBy: RunOrder!) {
    runs(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...RunListFields
      }
    }
  }
`);

/** Result of {@link RUNS_QUERY}. */
export type RunsData = RunsQuery;
/** Variables of {@link RUNS_QUERY}. */
export type RunsVariables = RunsQueryVariables;

/** One project by name. */
export const PROJECT_QUERY = graphql(`
  query Project($name: String!) {
    project(name: $name) {
      ...ProjectFields
    }
  }
`);

graphql(`
  fragment ArtifactFields on Artifact {
    id
    kind
    name
    sha256
    bytes
    mimeType
    createdAt
  }
`);

graphql(`
  fragment MetricSeriesFields on MetricSeries {
    name
    totalPoints
    downsampled
    points {
      ...MetricPointFields
    }
  }
`);

graphql(`
  fragment SampleImagesFields on SampleImages {
    count
    height
    width
    channels
    sha256
  }
`);

graphql(`
  fragment UncertaintyFields on Uncertainty {
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
`);

graphql(`
  fragment EvaluationFields on Evaluation {
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
`);

graphql(`
  fragment RunDetailFields on Run {
    id
    name
    status
    cancelRequested
    sourceRunId
    worker {
      id
      name
    }
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
      ...MetricSeriesFields
    }
    summary {
      ...MetricSummaryFields
    }
    # $artifactsFirst (default 1000, the API's maximum page) is a variable: a literal first would
    # multiply the document's static cost. The table says when a run has more.
    artifacts(first: $artifactsFirst) {
      pageInfo {
        hasNextPage
      }
      nodes {
        ...ArtifactFields
      }
    }
    # The files the page's links depend on, by name: never missing because of a page boundary.
    model {
      format
      artifactName
      artifactUrl
    }
    packIndex: artifact(name: "explain.index.json") {
      name
    }
    weights: artifact(name: "weights.bin") {
      name
    }
    samples {
      ...SampleImagesFields
    }
    uncertainty {
      ...UncertaintyFields
    }
    evaluation {
      ...EvaluationFields
    }
  }
`);

/** Everything the run page shows; re-sent every 2 s while the run is live. */
export const RUN_QUERY = graphql(`
  query Run($id: ID!, $artifactsFirst: Int = 1000) {
    run(id: $id) {
      ...RunDetailFields
    }
  }
`);

/** Result of {@link RUN_QUERY}. */
export type RunData = RunQuery;

/** The shape one ROC curve is fetched in (also spread into the aliased query of `RocCard`). */
export const ROC_CURVE_FIELDS = graphql(`
  fragment RocCurveFields on RocCurve {
    fpr
    tpr
  }
`);

graphql(`
  fragment PredictionFields on Prediction {
    index
    label
    predicted
    confidence
    correct
    probabilities
  }
`);

/**
 * A page of the latest evaluation's predictions: filtered (e.g. one confusion-matrix cell, or
 * the mistakes) and ordered by sample index or by confidence.
 */
export const PREDICTIONS_QUERY = graphql(`
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
          ...PredictionFields
        }
      }
    }
  }
`);

/** Variables of {@link PREDICTIONS_QUERY}. */
export type PredictionsVariables = RunPredictionsQueryVariables;

graphql(`
  fragment UncertaintySampleFields on UncertaintySample {
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
`);

/** A page of an uncertainty evaluation's samples, most uncertain first (by entropy or MI). */
export const UNCERTAINTY_SAMPLES_QUERY = graphql(`
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
            ...UncertaintySampleFields
          }
        }
      }
    }
  }
`);

/** Projects the dashboard lists (the API's page limit of Query.projects): all of them in practice. */
export const PROJECTS_PAGE_SIZE = 500;

/** Runs per page of a runs table ("Load more" fetches the next page). */
export const RUNS_PAGE_SIZE = 200;

/** The API's largest page of Query.runs: a live refresh re-reads the loaded rows in pages this big. */
export const RUNS_MAX_PAGE = 500;

/** Variables of a {@link rocQuery} document. */
export interface RocVariables {
  id: string;
}

/** Answer of a {@link rocQuery} document: curve `c<i>` is class i's (null when undefined). */
export interface RocData {
  run: {
    evaluation: ({ id: string } & Partial<Record<`c${number}`, RocCurve | null>>) | null;
  } | null;
}

/**
 * One-vs-rest ROC curves of every class of the latest evaluation in one request: one aliased
 * `roc(label: "<class index>")` field per class (indexes avoid quoting class names). Built at
 * run time, so codegen cannot see it: its fields are the checked {@link ROC_CURVE_FIELDS}
 * fragment, and queries.test.ts validates the whole document against the schema.
 */
export function rocQuery(numClasses: number): TypedDocumentString<RocData, RocVariables> {
  const fields = Array.from(
    { length: numClasses },
    (_, i) => `c${i}: roc(label: "${i}") { ...RocCurveFields }`,
  ).join('\n        ');
  const query = `
  query RunRoc($id: ID!) {
    run(id: $id) {
      evaluation {
        id
        ${fields}
      }
    }
  }
`;
  return new TypedDocumentString([query, ROC_CURVE_FIELDS.toString()].join('\n'));
}

/** The curves of a {@link rocQuery} answer in class-index order (null: undefined or missing). */
export function rocCurvesOf(data: RocData, numClasses: number): (RocCurve | null)[] {
  const evaluation = data.run?.evaluation ?? null;
  return Array.from({ length: numClasses }, (_, i) => evaluation?.[`c${i}`] ?? null);
}
