// Prisma access for artifacts (the only module touching the Artifact table).
import type { Db } from '../db/prisma';

const artifactSelect = {
  id: true,
  runId: true,
  kind: true,
  name: true,
  sha256: true,
  bytes: true,
  mimeType: true,
  metadata: true,
  createdAt: true,
} as const;

/** A stored artifact record (metadata still JSON text). */
export interface ArtifactRow {
  id: string;
  runId: string;
  kind: string;
  name: string;
  sha256: string;
  bytes: number;
  mimeType: string;
  metadata: string | null;
  createdAt: Date;
}

/** Columns written on upload. */
export type ArtifactData = Pick<ArtifactRow, 'kind' | 'sha256' | 'bytes' | 'mimeType' | 'metadata'>;

/** Reads and writes artifact records. */
export class ArtifactRepository {
  constructor(private readonly prisma: Db) {}

  /** One artifact by run and name. */
  find(runId: string, name: string): Promise<ArtifactRow | null> {
    return this.prisma.artifact.findUnique({
      where: { runId_name: { runId, name } },
      select: artifactSelect,
    });
  }

  /** Artifacts of several runs (one query for a DataLoader batch), by name. */
  findByRunIds(runIds: readonly string[]): Promise<ArtifactRow[]> {
    return this.prisma.artifact.findMany({
      where: { runId: { in: [...runIds] } },
      select: artifactSelect,
      orderBy: [{ runId: 'asc' }, { name: 'asc' }],
    });
  }

  /** Creates the artifact `name` of a run; throws P2002 if it exists. */
  create(runId: string, name: string, data: ArtifactData): Promise<ArtifactRow> {
    return this.prisma.artifact.create({
      data: { runId, name, ...data },
      select: artifactSelect,
    });
  }

  /**
   * Replaces the artifact `name` of a run in one statement guarded by the run's status
   * (QUEUED or RUNNING), so an artifact of a run that finished meanwhile is never replaced.
   * @returns the new record, or null when nothing was replaced
   */
  async replaceWhileUnfinished(
    runId: string,
    name: string,
    data: ArtifactData,
  ): Promise<ArtifactRow | null> {
    const r = await this.prisma.artifact.updateMany({
      where: { runId, name, run: { status: { in: ['QUEUED', 'RUNNING'] } } },
      data,
    });
    return r.count === 1 ? this.find(runId, name) : null;
  }

  /** Creates or replaces the artifact `name` of a run. */
  upsert(runId: string, name: string, data: ArtifactData): Promise<ArtifactRow> {
    return this.prisma.artifact.upsert({
      where: { runId_name: { runId, name } },
      create: { runId, name, ...data },
      update: data,
      select: artifactSelect,
    });
  }
}
