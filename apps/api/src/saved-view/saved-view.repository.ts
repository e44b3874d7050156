// Prisma access for saved views (the only module touching the SavedView table).
import type { Db } from '../db/prisma';

const viewSelect = {
  id: true,
  projectId: true,
  name: true,
  state: true,
  createdAt: true,
  updatedAt: true,
} as const;

/** A stored view; `state` is the JSON text as saved. */
export interface SavedViewRow {
  id: string;
  projectId: string;
  name: string;
  state: string;
  createdAt: Date;
  updatedAt: Date;
}

/** Reads and writes saved views. */
export class SavedViewRepository {
  constructor(private readonly prisma: Db) {}

  /** The views of a project by name (at most `take`). */
  list(projectId: string, take: number): Promise<SavedViewRow[]> {
    return this.prisma.savedView.findMany({
      where: { projectId },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
      take,
      select: viewSelect,
    });
  }

  /** One view by id, or null. */
  find(id: string): Promise<SavedViewRow | null> {
    return this.prisma.savedView.findUnique({ where: { id }, select: viewSelect });
  }

  /**
   * Replaces the state of the view called `name`, or creates it while the project holds fewer
   * than `max` views; null when it would be one too many. Count and insert share a transaction.
   */
  async upsert(
    view: { projectId: string; name: string; state: string; createdById: string | null },
    max: number,
  ): Promise<SavedViewRow | null> {
    return this.prisma.$transaction(async (tx) => {
      const existing = await tx.savedView.findUnique({
        where: { projectId_name: { projectId: view.projectId, name: view.name } },
        select: { id: true },
      });
      if (existing)
        return tx.savedView.update({
          where: { id: existing.id },
          data: { state: view.state },
          select: viewSelect,
        });
      if ((await tx.savedView.count({ where: { projectId: view.projectId } })) >= max) return null;
      return tx.savedView.create({ data: view, select: viewSelect });
    });
  }

  /** Deletes a view; the row as it was, or null when it was already gone. */
  async delete(id: string): Promise<SavedViewRow | null> {
    const rows = await this.prisma.savedView.findMany({ where: { id }, select: viewSelect });
    await this.prisma.savedView.deleteMany({ where: { id } });
    return rows[0] ?? null;
  }
}
