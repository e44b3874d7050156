// Validation of project input shared by createProject and createRun (see common/limits.ts).
import { limits, LIMITS } from '../common/limits';

/** Longest accepted project name. */
export const MAX_PROJECT_NAME = LIMITS.projectName;

/**
 * Trims and validates a project name: BAD_USER_INPUT when empty, too long, or holding control,
 * bidirectional-control or invisible characters (names are shown in lists and file names).
 */
export function validateProjectName(name: string): string {
  return limits.name(name, 'name', MAX_PROJECT_NAME);
}

/** Validates a project description (free text, at most 64 KiB, no NUL); null stays null. */
export function validateProjectDescription(description: string | null | undefined): string | null {
  return limits.text(description, 'description', LIMITS.descriptionBytes);
}
