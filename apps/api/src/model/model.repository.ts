// Prisma access for registered models: the two model columns of Run.
import type { Db } from '../db/prisma';

/** The stored registration of a run (both null: none). */
export interface ModelRow {
  id: string;
  modelFormat: string | null;
  modelArtifact: string | null;
}

const modelSelect = { id: true, modelFormat: true, modelArtifact: true } as const;

/** Reads and writes the model registration of runs. */
export class ModelRepository {
  constructor(private readonly prisma: Db) {}

  /** Registrations of several runs (one query for a DataLoader batch). */
  findByRunIds(runIds: readonly string[]): Promise<ModelRow[]> {
    return this.prisma.run.findMany({ where: { id: { in: [...runIds] } }, select: modelSelect });
  }

  /** Records the model of a run (replacing an earlier registration). */
  async register(runId: string, format: string, artifactName: string): Promise<void> {
    await this.prisma.run.update({
      where: { id: runId },
      data: { modelFormat: format, modelArtifact: artifactName },
      select: { id: true },
    });
  }
}
