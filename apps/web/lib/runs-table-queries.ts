// GraphQL documents of the runs table beyond its rows: the cheap change check of the live
// refresh, and the saved views of a project.
import { graphql } from './gql';
import type { SavedViewFieldsFragment } from './gql/graphql';

/**
 * What the idle runs table polls: how many runs match and the newest one's id (one indexed page
 * of one id plus a count). A difference means runs were created or removed, and the loaded range
 * is read again.
 */
export const RUNS_SIGNATURE_QUERY = graphql(`
  query RunsSignature($filter: RunFilter) {
    runs(filter: $filter, first: 1, orderBy: { by: { field: CREATED_AT }, direction: DESC }) {
      totalCount
      nodes {
        id
      }
    }
  }
`);

graphql(`
  fragment SavedViewFields on SavedView {
    id
    name
    state
    updatedAt
  }
`);

/** A saved view as the picker lists it (`state` as saved; read it with `parseViewState`). */
export type SavedViewItem = SavedViewFieldsFragment;

/** The saved views of a project, by name. */
export const SAVED_VIEWS_QUERY = graphql(`
  query SavedViews($project: String!) {
    savedViews(project: $project) {
      ...SavedViewFields
    }
  }
`);

/** Saves (upserts by project and name) a view. */
export const SAVE_VIEW_MUTATION = graphql(`
  mutation SaveView($input: SaveViewInput!) {
    saveView(input: $input) {
      ...SavedViewFields
    }
  }
`);

/** Deletes a view. */
export const DELETE_VIEW_MUTATION = graphql(`
  mutation DeleteView($id: ID!) {
    deleteView(id: $id) {
      id
    }
  }
`);
