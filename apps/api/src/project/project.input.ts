// Validation of project input shared by createProject and createRun.
import { badInput } from '../common/errors.js';

/** Longest accepted project name. */
export const MAX_PROJECT_NAME = 200;

/** Trims and validates a project name (BAD_USER_INPUT when empty or too long). */
export function validateProjectName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0) throw badInput('Project name must not be empty', { field: 'name' });
  if (trimmed.length > MAX_PROJECT_NAME) {
    throw badInput(`Project name is longer than ${MAX_PROJECT_NAME} characters`, { field: 'name' });
  }
  return trimmed;
}
