// Prisma access for projects (the only module touching the Project table).
import type { Db } from '../db/prisma';

const projectSelect = {
  id: true,
  name: true,
  description: true,
  visibility: true,
  createdAt: true,
} as const;

/** A stored project. */
export interface ProjectRow {
  id: string;
  name: string;
  description: string | null;
  visibility: string;
  createdAt: Date;
}

/** Reads and writes projects. */
export class ProjectRepository {
  constructor(private readonly prisma: Db) {}

  /** All projects (or those with the given ids), by name. */
  findAll(ids: readonly string[] | null = null): Promise<ProjectRow[]> {
    return this.prisma.project.findMany({
      where: ids ? { id: { in: [...ids] } } : {},
      select: projectSelect,
      orderBy: { name: 'asc' },
    });
  }

  /** One project by its unique name. */
  findByName(name: string): Promise<ProjectRow | null> {
    return this.prisma.project.findUnique({ where: { name }, select: projectSelect });
  }

  /** Projects by id (one query for a DataLoader batch). */
  findByIds(ids: readonly string[]): Promise<ProjectRow[]> {
    return this.prisma.project.findMany({ where: { id: { in: [...ids] } }, select: projectSelect });
  }

  /** Creates a project; throws P2002 if the name exists. */
  create(name: string, description: string | null): Promise<ProjectRow> {
    return this.prisma.project.create({ data: { name, description }, select: projectSelect });
  }

  /** Sets a description where none was stored. */
  setDescription(id: string, description: string): Promise<ProjectRow> {
    return this.prisma.project.update({
      where: { id },
      data: { description },
      select: projectSelect,
    });
  }

  /** Run counts per project id (one grouped query for a DataLoader batch). */
  async countRuns(projectIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.prisma.run.groupBy({
      by: ['projectId'],
      where: { projectId: { in: [...projectIds] } },
      _count: { _all: true },
    });
    return new Map(rows.map((r) => [r.projectId, r._count._all]));
  }
}
