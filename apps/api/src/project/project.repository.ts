// Prisma access for projects (the only module touching the Project table).
import type { Db } from '../db/prisma';

const projectSelect = {
  id: true,
  name: true,
  description: true,
  visibility: true,
  createdAt: true,
} as const;

/** Who may read a project, as stored. */
export type Visibility = 'private' | 'public';

/** A stored project. */
export interface ProjectRow {
  id: string;
  name: string;
  description: string | null;
  visibility: Visibility;
  createdAt: Date;
}

/** One page of Query.projects, as the repository reads it. */
export interface ProjectPageRequest {
  /** Project ids to list from; null = every project. */
  ids: readonly string[] | null;
  /** forward: by name, then id; backward: the reverse. */
  direction: 'forward' | 'backward';
  /** [name, id] of the cursor's project; null = from the start (forward) or end (backward). */
  key: [string, string] | null;
  /** Rows to read (the page size plus one). */
  take: number;
}

type SelectedProject = Omit<ProjectRow, 'visibility'> & { visibility: string };

// Stored values are written only by setVisibility (private or public); anything else reads as
// private, the safer answer.
function toRow(row: SelectedProject): ProjectRow {
  return { ...row, visibility: row.visibility === 'public' ? 'public' : 'private' };
}

/** Reads and writes projects. */
export class ProjectRepository {
  constructor(private readonly prisma: Db) {}

  /**
   * One page of projects in walking order (by name then id forward, the reverse backward):
   * the rows strictly past the cursor's (name, id), `take` at most.
   */
  async page(page: ProjectPageRequest): Promise<ProjectRow[]> {
    if (page.take <= 0) return [];
    const forward = page.direction === 'forward';
    const order = forward ? ('asc' as const) : ('desc' as const);
    const [name, id] = page.key ?? ['', ''];
    const past = forward ? { gt: name } : { lt: name };
    // (name, id) > (cursor name, cursor id), written out for SQLite and PostgreSQL alike.
    const keyset = page.key
      ? { OR: [{ name: past }, { name, id: forward ? { gt: id } : { lt: id } }] }
      : {};
    const rows = await this.prisma.project.findMany({
      where: { ...(page.ids ? { id: { in: [...page.ids] } } : {}), ...keyset },
      select: projectSelect,
      orderBy: [{ name: order }, { id: order }],
      take: page.take,
    });
    return rows.map(toRow);
  }

  /** Number of projects (or of those with the given ids). */
  count(ids: readonly string[] | null): Promise<number> {
    return this.prisma.project.count({ where: ids ? { id: { in: [...ids] } } : {} });
  }

  /** One project by its unique name. */
  async findByName(name: string): Promise<ProjectRow | null> {
    const row = await this.prisma.project.findUnique({ where: { name }, select: projectSelect });
    return row && toRow(row);
  }

  /** Projects by id (one query for a DataLoader batch). */
  async findByIds(ids: readonly string[]): Promise<ProjectRow[]> {
    const rows = await this.prisma.project.findMany({
      where: { id: { in: [...ids] } },
      select: projectSelect,
    });
    return rows.map(toRow);
  }

  /** Creates a project; throws P2002 if the name exists. */
  async create(name: string, description: string | null): Promise<ProjectRow> {
    return toRow(
      await this.prisma.project.create({ data: { name, description }, select: projectSelect }),
    );
  }

  /** Sets a description where none was stored. */
  async setDescription(id: string, description: string): Promise<ProjectRow> {
    return toRow(
      await this.prisma.project.update({
        where: { id },
        data: { description },
        select: projectSelect,
      }),
    );
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
