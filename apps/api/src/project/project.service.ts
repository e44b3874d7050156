// Project use cases. createProject is idempotent on name.
import { isUniqueViolation } from '../common/errors.js';
import { validateProjectName } from './project.input.js';
import type { ProjectRepository, ProjectRow } from './project.repository.js';

/** Project business logic. */
export class ProjectService {
  constructor(private readonly projects: ProjectRepository) {}

  /** All projects. */
  list(): Promise<ProjectRow[]> {
    return this.projects.findAll();
  }

  /** A project by name, or null. */
  findByName(name: string): Promise<ProjectRow | null> {
    return this.projects.findByName(name);
  }

  /**
   * Returns the project called `name`, creating it if missing. A description is stored only
   * if the project has none yet (never overwritten by a retry).
   */
  async ensure(name: string, description?: string | null): Promise<ProjectRow> {
    const clean = validateProjectName(name);
    let project = await this.projects.findByName(clean);
    if (!project) {
      try {
        project = await this.projects.create(clean, description ?? null);
      } catch (err) {
        // A concurrent request created it first: that one is ours too.
        if (!isUniqueViolation(err)) throw err;
        project = await this.projects.findByName(clean);
        if (!project) throw err;
      }
    } else if (description && !project.description) {
      project = await this.projects.setDescription(project.id, description);
    }
    return project;
  }
}
