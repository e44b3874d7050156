// Project use cases. createProject is idempotent on name.
import { isUniqueViolation } from '../common/errors';
import { validateProjectDescription, validateProjectName } from './project.input';
import type { ProjectRepository, ProjectRow } from './project.repository';

/** Project business logic. */
export class ProjectService {
  constructor(private readonly projects: ProjectRepository) {}

  /** All projects, or those with the given ids (null = all). */
  list(ids: readonly string[] | null = null): Promise<ProjectRow[]> {
    return this.projects.findAll(ids);
  }

  /** A project by name, or null. */
  findByName(name: string): Promise<ProjectRow | null> {
    return this.projects.findByName(validateProjectName(name));
  }

  /**
   * Returns the project called `name`, creating it if missing. A description is stored only
   * if the project has none yet (never overwritten by a retry).
   */
  async ensure(name: string, description?: string | null): Promise<ProjectRow> {
    return (await this.ensureCreated(name, description)).project;
  }

  /** Like {@link ensure}, and says whether this call created the project (it won any race). */
  async ensureCreated(
    name: string,
    description?: string | null,
  ): Promise<{ project: ProjectRow; created: boolean }> {
    const clean = validateProjectName(name);
    description = validateProjectDescription(description);
    let project = await this.projects.findByName(clean);
    let created = false;
    if (!project) {
      try {
        project = await this.projects.create(clean, description ?? null);
        created = true;
      } catch (err) {
        // A concurrent request created it first.
        if (!isUniqueViolation(err)) throw err;
        project = await this.projects.findByName(clean);
        if (!project) throw err;
      }
    } else if (description && !project.description) {
      project = await this.projects.setDescription(project.id, description);
    }
    return { project, created };
  }
}
