// GraphQL documents of the explanations page's on-demand part: the sample search (predictions
// paged either way, for "least confident first"), explainSample and the job it polls.
import { graphql } from './gql';

/**
 * A page of the latest evaluation's predictions, forward (first/after) or backward
 * (last/before): the API orders by confidence descending only, so the least confident samples
 * are that order's last page, read backwards.
 */
export const SAMPLE_SEARCH_QUERY = graphql(`
  query ExplainSampleSearch(
    $id: ID!
    $filter: PredictionFilter
    $orderBy: PredictionOrder
    $first: Int
    $after: String
    $last: Int
    $before: String
  ) {
    run(id: $id) {
      predictions(
        filter: $filter
        orderBy: $orderBy
        first: $first
        after: $after
        last: $last
        before: $before
      ) {
        totalCount
        pageInfo {
          startCursor
          endCursor
          hasNextPage
          hasPreviousPage
        }
        nodes {
          index
          label
          predicted
          confidence
          correct
        }
      }
    }
  }
`);

graphql(`
  fragment SampleJobFields on ExplanationJob {
    id
    status
    error
    result
  }
`);

/** Asks for an explanation of a stored test sample (answers at once: queued, or cached and done). */
export const EXPLAIN_SAMPLE_MUTATION = graphql(`
  mutation ExplainSample($runId: ID!, $input: ExplainSampleInput!) {
    explainSample(runId: $runId, input: $input) {
      cached
      job {
        ...SampleJobFields
      }
    }
  }
`);

/** One explanation job, polled until it is DONE or FAILED. */
export const SAMPLE_JOB_QUERY = graphql(`
  query SampleExplanationJob($id: ID!) {
    explanationJob(id: $id) {
      ...SampleJobFields
    }
  }
`);
