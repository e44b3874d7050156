// Prisma access for artifacts (the only module touching the Artifact table; it also reads
// ExplanationJob image hashes, because those blobs share the artifact store).
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

/**
 * One page of the artifacts of a run: at most `take` strictly after (forward) or before
 * (backward) the artifact whose key is `key` = [name, id] in the list order (name, then id),
 * in walking order (backward walks the list reversed); null key: from the start or the end.
 */
export interface ArtifactPageRequest {
  kind: string | null;
  direction: 'forward' | 'backward';
  key: [name: string, id: string] | null;
  take: number;
}

/** Hashes per reference query (well under SQLite's and PostgreSQL's bound-parameter limits). */
const REFERENCE_CHUNK = 500;

/** Columns written on upload. */
export type ArtifactData = Pick<ArtifactRow, 'kind' | 'sha256' | 'bytes' | 'mimeType' | 'metadata'>;

/** Reads and writes artifact records. */
export class ArtifactRepository {
  constructor(
    private readonly prisma: Db,
    private readonly dialect: 'sqlite' | 'postgresql',
  ) {}

  /** One artifact by run and name. */
  find(runId: string, name: string): Promise<ArtifactRow | null> {
    return this.prisma.artifact.findUnique({
      where: { runId_name: { runId, name } },
      select: artifactSelect,
    });
  }

  /** Artifacts by (run, name) pairs, in one query (a DataLoader batch); missing pairs are absent. */
  findByKeys(keys: readonly { runId: string; name: string }[]): Promise<ArtifactRow[]> {
    return this.prisma.artifact.findMany({
      where: { OR: keys.map(({ runId, name }) => ({ runId, name })) },
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

  /**
   * One page of the artifacts of each run (reads only the pages). First pages of several runs
   * cost two queries in all (ranked ids, then their rows); a page after a cursor is one query
   * per run (a cursor pages one run's list).
   */
  async pages(
    runIds: readonly string[],
    page: ArtifactPageRequest,
  ): Promise<Map<string, ArtifactRow[]>> {
    const out = new Map<string, ArtifactRow[]>(runIds.map((id) => [id, []]));
    if (runIds.length === 0 || page.take <= 0) return out;
    const forward = page.direction === 'forward';
    const order = forward ? ('asc' as const) : ('desc' as const);
    if (page.key !== null || runIds.length === 1) {
      const [name, id] = page.key ?? ['', ''];
      const past = forward ? { gt: name } : { lt: name };
      const keyset = page.key
        ? { OR: [{ name: past }, { name, id: forward ? { gt: id } : { lt: id } }] }
        : {};
      await Promise.all(
        runIds.map(async (runId) => {
          const rows = await this.prisma.artifact.findMany({
            where: { runId, ...(page.kind === null ? {} : { kind: page.kind }), ...keyset },
            select: artifactSelect,
            orderBy: [{ name: order }, { id: order }],
            take: page.take,
          });
          out.set(runId, rows);
        }),
      );
      return out;
    }
    const ranked = await this.firstIds(runIds, page);
    const rows = await this.prisma.artifact.findMany({
      where: { id: { in: ranked } },
      select: artifactSelect,
    });
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of ranked) {
      const row = byId.get(id);
      if (row) out.get(row.runId)?.push(row);
    }
    return out;
  }

  /** The ids of the first `take` artifacts of each run in walking order (one query). */
  private async firstIds(runIds: readonly string[], page: ArtifactPageRequest): Promise<string[]> {
    const sqlite = this.dialect === 'sqlite';
    const params: unknown[] = [];
    const ph = (value: unknown, cast = '') => {
      params.push(value);
      return sqlite ? '?' : `$${params.length}${cast}`;
    };
    const dir = page.direction === 'forward' ? 'ASC' : 'DESC';
    const list = runIds.map((id) => ph(id)).join(', ');
    const kind = page.kind === null ? '' : ` AND "kind" = ${ph(page.kind)}`;
    const rows = await this.prisma.$queryRawUnsafe<{ id: string }[]>(
      `SELECT "id" FROM (
         SELECT "id", "runId", ROW_NUMBER() OVER (PARTITION BY "runId" ORDER BY "name" ${dir}, "id" ${dir}) AS "rank"
         FROM "Artifact" WHERE "runId" IN (${list})${kind}
       ) ranked
       WHERE "rank" <= ${ph(page.take, '::int')}
       ORDER BY "runId", "rank"`,
      ...params,
    );
    return rows.map((r) => r.id);
  }

  /** Creates the artifact `name` of a run; throws P2002 if it exists. */
  create(runId: string, name: string, data: ArtifactData): Promise<ArtifactRow> {
    return this.prisma.artifact.create({
      data: { runId, name, ...data },
      select: artifactSelect,
    });
  }

  /** Whether job attempt `attempt` holds the run now (its Job ACTIVE in that attempt). */
  async jobHeld(runId: string, attempt: number): Promise<boolean> {
    const job = await this.prisma.job.findFirst({
      where: { runId, status: 'ACTIVE', attempt },
      select: { id: true },
    });
    return job !== null;
  }

  /**
   * Creates the artifact only while job attempt `attempt` holds the run (its Job ACTIVE in that
   * attempt), checked in the creating transaction; on PostgreSQL the Job row is share-locked
   * until commit, so the reaper cannot retry the job in between.
   * @returns the new record, or null when that attempt no longer holds the run
   */
  createWhileHeld(
    runId: string,
    name: string,
    data: ArtifactData,
    attempt: number,
  ): Promise<ArtifactRow | null> {
    const sql =
      this.dialect === 'postgresql'
        ? `SELECT 1 AS held FROM "Job" WHERE "runId" = $1 AND "status" = 'ACTIVE' AND "attempt" = $2 FOR SHARE`
        : `SELECT 1 AS held FROM "Job" WHERE "runId" = ? AND "status" = 'ACTIVE' AND "attempt" = ?`;
    return this.prisma.$transaction(async (tx) => {
      const held = await tx.$queryRawUnsafe<{ held: number }[]>(sql, runId, attempt);
      if (held.length === 0) return null;
      return tx.artifact.create({ data: { runId, name, ...data }, select: artifactSelect });
    });
  }

  /**
   * Replaces the artifact `name` of a run in one statement guarded by the run's status
   * (QUEUED or RUNNING), so an artifact of a run that finished meanwhile is never replaced;
   * with `attempt`, also by that job attempt holding the run.
   * @returns the new record, or null when nothing was replaced
   */
  async replaceWhileUnfinished(
    runId: string,
    name: string,
    data: ArtifactData,
    attempt?: number,
  ): Promise<ArtifactRow | null> {
    const r = await this.prisma.artifact.updateMany({
      where: {
        runId,
        name,
        run: {
          status: { in: ['QUEUED', 'RUNNING'] },
          // A worker's upload: only while its job attempt holds the run (same statement).
          ...(attempt !== undefined ? { jobs: { some: { status: 'ACTIVE', attempt } } } : {}),
        },
      },
      data,
    });
    return r.count === 1 ? this.find(runId, name) : null;
  }

  /**
   * The blobs a run references: its artifacts' hashes and its explanation jobs' image hashes
   * (uploaded images live in the same content-addressed store), and its artifact count.
   */
  async blobsOfRun(runId: string): Promise<{ sha256s: string[]; artifacts: number }> {
    const [artifacts, jobs] = await Promise.all([
      this.prisma.artifact.findMany({ where: { runId }, select: { sha256: true } }),
      this.prisma.explanationJob.findMany({
        where: { runId },
        select: { imageSha256: true },
        distinct: ['imageSha256'],
      }),
    ]);
    const sha256s = new Set([...artifacts.map((a) => a.sha256), ...jobs.map((j) => j.imageSha256)]);
    return { sha256s: [...sha256s], artifacts: artifacts.length };
  }

  /**
   * Which of `sha256s` an artifact row or an explanation job still references (the blob store
   * is shared by both). Asked in chunks of {@link REFERENCE_CHUNK} hashes (bound parameters).
   */
  async referencedBlobs(sha256s: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < sha256s.length; i += REFERENCE_CHUNK) {
      const chunk = [...sha256s.slice(i, i + REFERENCE_CHUNK)];
      const [artifacts, jobs] = await Promise.all([
        this.prisma.artifact.findMany({
          where: { sha256: { in: chunk } },
          select: { sha256: true },
          distinct: ['sha256'],
        }),
        this.prisma.explanationJob.findMany({
          where: { imageSha256: { in: chunk } },
          select: { imageSha256: true },
          distinct: ['imageSha256'],
        }),
      ]);
      for (const a of artifacts) found.add(a.sha256);
      for (const j of jobs) found.add(j.imageSha256);
    }
    return found;
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
