// Project use cases. createProject is idempotent on name.
import { badInput, isUniqueViolation } from '../common/errors';
import {
  encodeKeyset,
  pageRequest,
  toConnection,
  type ConnectionPage,
  type PageArgs,
  type PageLimits,
} from '../common/keyset';
import { validateProjectDescription, validateProjectName } from './project.input';
import type { ProjectRepository, ProjectRow } from './project.repository';

/** Page sizes and cursor kind of Query.projects. */
export const PROJECT_PAGES: PageLimits = { kind: 'project:name', defaultSize: 100, maxSize: 500 };

/** Project business logic. */
export class ProjectService {
  constructor(private readonly projects: ProjectRepository) {}

  /**
   * One page of the projects with the given ids (null = all), by name then id, with the
   * number of them all.
   * @throws BAD_USER_INPUT for bad page arguments or a cursor Query.projects did not return
   */
  async page(
    ids: readonly string[] | null,
    args: PageArgs,
  ): Promise<ConnectionPage<ProjectRow> & { totalCount: number }> {
    const request = pageRequest(args, PROJECT_PAGES);
    const { key } = request;
    if (key !== null && (key.length !== 2 || !key.every((v) => typeof v === 'string')))
      throw badInput('Invalid cursor: not a cursor of Query.projects', {
        field: request.direction === 'forward' ? 'after' : 'before',
      });
    const [rows, totalCount] = await Promise.all([
      this.projects.page({
        ids,
        direction: request.direction,
        key: key as [string, string] | null,
        take: request.size + 1,
      }),
      this.projects.count(ids),
    ]);
    const page = toConnection(rows, request, (p) =>
      encodeKeyset(PROJECT_PAGES.kind, [p.name, p.id]),
    );
    return { ...page, totalCount };
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
