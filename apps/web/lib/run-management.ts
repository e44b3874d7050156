// GraphQL documents of run management on the run page (rename, tags, notes, archive, move,
// delete) and the pure helpers its components share.
import { graphql } from './gql';
import type { ProjectRole } from './gql/graphql';

/** Limits of updateRun's input (the API's RUN_EDIT_LIMITS; the API refuses anything beyond). */
export const RUN_EDIT_LIMITS = { name: 200, tags: 50, tag: 64, notesChars: 10_000 } as const;

/** Most projects offered as move targets (the API pages projects; 500 is its largest page). */
export const MOVE_TARGETS_FIRST = 500;

/** The run's archive state, the caller's role in its project and the projects it may write. */
export const RUN_MANAGEMENT_QUERY = graphql(`
  query RunManagement($id: ID!, $projectsFirst: Int!) {
    run(id: $id) {
      id
      archived
      archivedAt
      project {
        name
        myRole
      }
    }
    projects(first: $projectsFirst) {
      nodes {
        name
        myRole
      }
    }
  }
`);

/** Edits name, tags and/or notes (an omitted field is left unchanged). */
export const UPDATE_RUN = graphql(`
  mutation UpdateRunFields($id: ID!, $input: UpdateRunInput!) {
    updateRun(id: $id, input: $input) {
      id
      name
      tags
      notes
    }
  }
`);

export const ARCHIVE_RUN = graphql(`
  mutation ArchiveRun($id: ID!) {
    archiveRun(id: $id) {
      id
      archived
      archivedAt
    }
  }
`);

export const UNARCHIVE_RUN = graphql(`
  mutation UnarchiveRun($id: ID!) {
    unarchiveRun(id: $id) {
      id
      archived
      archivedAt
    }
  }
`);

export const DELETE_RUN = graphql(`
  mutation DeleteRun($id: ID!) {
    deleteRun(id: $id) {
      id
      projectName
    }
  }
`);

export const MOVE_RUN = graphql(`
  mutation MoveRun($id: ID!, $project: String!) {
    moveRun(id: $id, project: $project) {
      id
      project {
        name
      }
    }
  }
`);

/** True for a role that may change runs (editor or owner). */
export function canWriteRole(role: ProjectRole | null | undefined): boolean {
  return role === 'EDITOR' || role === 'OWNER';
}

/**
 * The tags after adding `text` (trimmed): null when it adds nothing (empty or already there),
 * else the new list. Throws an Error worded for the user when a limit would be broken.
 */
export function addTag(tags: readonly string[], text: string): string[] | null {
  const tag = text.trim();
  if (!tag || tags.includes(tag)) return null;
  if (tag.length > RUN_EDIT_LIMITS.tag)
    throw new Error(
      `A tag has at most ${RUN_EDIT_LIMITS.tag} characters (this one has ${tag.length}).`,
    );
  if (tags.length >= RUN_EDIT_LIMITS.tags)
    throw new Error(`A run has at most ${RUN_EDIT_LIMITS.tags} tags.`);
  return [...tags, tag];
}

/** Project names the run may move to: writable by the caller, not its own, sorted. */
export function moveTargets(
  projects: readonly { name: string; myRole?: ProjectRole | null }[],
  current: string,
): string[] {
  return projects
    .filter((p) => p.name !== current && canWriteRole(p.myRole))
    .map((p) => p.name)
    .sort((a, b) => a.localeCompare(b));
}
