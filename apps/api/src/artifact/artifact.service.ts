// Artifact use cases: upload (idempotent on identical bytes), lookup for download, and the
// public model with its absolute URL.
import type { LivePublisher } from '../live/live-publisher';
import type { Readable } from 'node:stream';
import { apiError, badInput, ErrorCode, isUniqueViolation, notFound } from '../common/errors';
import { parseJsonColumn } from '../common/json';
import { limits, LIMITS } from '../common/limits';
import { canonicalMimeType } from '../common/download-headers';
import { isFinished } from '../run/run-status';
import type { RunService } from '../run/run.service';
import {
  BlobTooLargeError,
  readBlob,
  type ArtifactStore,
  type ByteRange,
  type StagedBlob,
} from './artifact-store';
import type { ArtifactPageRequest, ArtifactRepository, ArtifactRow } from './artifact.repository';
import {
  type PageArgs,
  encodeKeyset,
  pageRequest,
  toConnection,
  type ConnectionPage,
  type PageLimits,
  type PageRequest,
} from '../common/keyset';

/** Cursor kind and page sizes of Run.artifacts (ordered by name, then id). */
export const ARTIFACT_PAGES: PageLimits = {
  kind: 'artifact:name',
  defaultSize: 100,
  maxSize: 1000,
};

/** An artifact as exposed by the API (shape of the Artifact GraphQL type). */
export interface ArtifactModel {
  id: string;
  runId: string;
  kind: string;
  name: string;
  sha256: string;
  bytes: number;
  mimeType: string;
  metadata: unknown;
  createdAt: Date;
  url: string;
}

/** An upload request. */
export interface UploadRequest {
  runId: string;
  name: string;
  kind?: string | null;
  mimeType?: string | null;
  /** Raw `metadata` query parameter (JSON object text). */
  metadata?: string | null;
  /** Declared Content-Length, checked before reading the body. */
  contentLength?: number | null;
  /**
   * Raw `attempt` query parameter: a queue worker's job attempt. Unless the run's job is ACTIVE
   * in that attempt when the record is written, 409 LEASE_LOST and nothing is stored.
   */
  attempt?: string | null;
  body: Readable;
}

/** The `metadata` query parameter: JSON object text, stored canonical (null: none). */
function parseMetadata(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw badInput('metadata must be a JSON object (it is not valid JSON)', { field: 'metadata' });
  }
  return limits.json(parsed, 'metadata', LIMITS.artifactMetadata, true);
}

/** The `attempt` query parameter: a positive integer, or absent. */
function parseAttempt(raw: string | null | undefined): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  const n = /^[1-9][0-9]{0,8}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n))
    throw badInput(`attempt must be a positive integer, got "${raw.slice(0, 20)}"`, {
      field: 'attempt',
    });
  return n;
}

/** Artifact business logic. */
export class ArtifactService {
  constructor(
    private readonly artifacts: ArtifactRepository,
    private readonly runs: RunService,
    private readonly store: ArtifactStore,
    private readonly options: {
      publicUrl: () => string;
      maxBytes: number;
      /** Seconds of a presigned download URL; null or 0: downloads stream through the API. */
      presignTtlS?: number | null;
      /** Change notices for the dashboard's live stream (a new snapshot or image shows at once). */
      live?: LivePublisher | null;
    },
  ) {}

  /** Where the blobs live (a folder or `s3://bucket/prefix`), for logs. */
  get storeLocation(): string {
    return this.store.location;
  }

  /** Absolute download URL (relative weight paths of a TF.js model.json resolve next to it). */
  urlOf(runId: string, name: string): string {
    return `${this.options.publicUrl()}/runs/${encodeURIComponent(runId)}/artifacts/${encodeURIComponent(name)}`;
  }

  /** Maps a stored record to the API model. */
  toModel(row: ArtifactRow): ArtifactModel {
    return {
      ...row,
      metadata: parseJsonColumn<unknown>(row.metadata, null),
      url: this.urlOf(row.runId, row.name),
    };
  }

  /**
   * Stores the body and records it as artifact `name` of the run. Re-uploading identical
   * bytes returns the existing record unchanged; different bytes replace it while the run is
   * QUEUED or RUNNING. A finished run only gains new names.
   * @throws BAD_USER_INPUT, NOT_FOUND, ARTIFACT_TOO_LARGE, INVALID_STATE (replacing an artifact
   *   of a COMPLETED or FAILED run)
   */
  async upload(req: UploadRequest): Promise<{ artifact: ArtifactModel; created: boolean }> {
    this.runs.noteAlive(req.runId); // an upload of the run's worker is a heartbeat too
    // Every field is checked before the body is read.
    const name = limits.id(req.name, 'name', LIMITS.artifactName);
    if (name === '.' || name === '..')
      throw badInput(`name may not be "${name}"`, { field: 'name', found: name });
    const kind = limits.name(req.kind ?? 'file', 'kind', LIMITS.artifactKind);
    const jobAttempt = parseAttempt(req.attempt);
    const metadata = parseMetadata(req.metadata);
    // Stored canonical (lower-case, no parameters); malformed types become application/octet-stream.
    const mimeType = canonicalMimeType(req.mimeType);
    if (req.contentLength != null && req.contentLength > this.options.maxBytes)
      throw this.tooLarge();
    const run = await this.runs.get(req.runId);
    // A stale worker's upload is refused before its body is read (and again at the write).
    if (jobAttempt !== undefined && !(await this.artifacts.jobHeld(run.id, jobAttempt)))
      throw this.leaseLost(run.id, jobAttempt);
    const blob = await this.stage(req.body);
    // Pinned until its row is written: a run deletion's garbage collection must not remove it.
    const unpin = this.store.pin(blob.sha256);
    try {
      for (let attempt = 0; ; attempt++) {
        const existing = await this.artifacts.find(run.id, name);
        if (
          existing &&
          existing.sha256 === blob.sha256 &&
          existing.kind === kind &&
          existing.mimeType === mimeType &&
          (metadata === null || metadata === existing.metadata)
        ) {
          return { artifact: this.toModel(existing), created: false };
        }
        // A finished run may gain artifacts (a later evaluation, an explanation pack) but
        // never have one replaced: its training record is immutable.
        if (existing && isFinished(run.status)) throw this.immutable(run.id, run.status, name);
        await blob.commit();
        const data = {
          kind,
          sha256: blob.sha256,
          bytes: blob.bytes,
          mimeType,
          metadata: metadata ?? existing?.metadata ?? null,
        };
        try {
          if (!existing) {
            const row =
              jobAttempt === undefined
                ? await this.artifacts.create(run.id, name, data)
                : await this.artifacts.createWhileHeld(run.id, name, data, jobAttempt);
            if (!row) throw this.leaseLost(run.id, jobAttempt ?? 0);
            const artifact = this.toModel(row);
            this.options.live?.runMetrics(run); // coalesced "this run changed" notice
            return { artifact, created: true };
          }
          // Guarded by the run's status in the same statement (it may have finished since).
          const replaced = await this.artifacts.replaceWhileUnfinished(
            run.id,
            name,
            data,
            jobAttempt,
          );
          if (replaced) {
            this.options.live?.runMetrics(run);
            return { artifact: this.toModel(replaced), created: true };
          }
          const now = await this.runs.get(run.id);
          if (isFinished(now.status)) throw this.immutable(run.id, now.status, name);
          if (jobAttempt !== undefined && !(await this.artifacts.jobHeld(run.id, jobAttempt)))
            throw this.leaseLost(run.id, jobAttempt);
        } catch (err) {
          // A concurrent upload created the record first: decide again against it.
          if (!isUniqueViolation(err) || attempt >= 2) throw err;
        }
        if (attempt >= 2) throw new Error(`artifact ${run.id}/${name} changed concurrently`);
      }
    } finally {
      unpin();
      // Nothing to do once committed; otherwise the temp file goes.
      await blob.discard();
    }
  }

  /**
   * Removes from the store the blobs among `sha256s` that no artifact row and no explanation
   * job references any more (called after a run's rows are deleted). A blob shared with
   * another run stays. Each removal re-checks its references after moving the blob aside (see
   * ArtifactStore.removeUnreferenced), so a concurrent upload of the same bytes keeps its file.
   * @returns how many blobs were removed
   */
  async collectGarbage(sha256s: readonly string[]): Promise<number> {
    const unique = [...new Set(sha256s)];
    const referenced = await this.artifacts.referencedBlobs(unique);
    let removed = 0;
    for (const sha256 of unique) {
      if (referenced.has(sha256)) continue;
      const gone = await this.store.removeUnreferenced(sha256, async () =>
        (await this.artifacts.referencedBlobs([sha256])).has(sha256),
      );
      if (gone) removed += 1;
    }
    return removed;
  }

  /** The blobs a run references and its artifact count (before deleting it). */
  blobsOfRun(runId: string): Promise<{ sha256s: string[]; artifacts: number }> {
    return this.artifacts.blobsOfRun(runId);
  }

  /** The artifact of a run by name; NOT_FOUND naming the run or the artifact otherwise. */
  async locate(runId: string, name: string): Promise<{ artifact: ArtifactModel }> {
    const row = await this.artifacts.find(
      limits.id(runId, 'runId'),
      limits.id(name, 'name', LIMITS.artifactName),
    );
    if (!row) {
      await this.runs.assertExists(runId);
      throw notFound('Artifact', `${runId}/${name}`);
    }
    return { artifact: this.toModel(row) };
  }

  /**
   * The bytes of a stored blob (an artifact's `sha256`, an uploaded image's hash) as a stream, or
   * only `range` of them. Callers check permissions first.
   * @throws BlobNotFoundError when the store lost the blob
   */
  open(sha256: string, range?: ByteRange): Promise<Readable> {
    return this.store.get(sha256, range);
  }

  /**
   * At most `maxBytes` of a blob (or of `range`) in memory: for the small reads that need the
   * whole value (a model.json, a file header, one sample image).
   */
  read(sha256: string, options: { range?: ByteRange; maxBytes: number }): Promise<Buffer> {
    return readBlob(this.store, sha256, options);
  }

  /** Stores bytes the API itself received (an image to explain): content key and size. */
  putBytes(bytes: Uint8Array, maxBytes?: number): Promise<{ sha256: string; bytes: number }> {
    return this.store.put(bytes, maxBytes);
  }

  /** True if the store holds the blob. */
  hasBlob(sha256: string): Promise<boolean> {
    return this.store.exists(sha256);
  }

  /**
   * A short-lived URL serving a blob straight from the store, when presigned downloads are on
   * (ARTIFACTS_PRESIGN=1) and the store can make one; null: stream it through the API.
   */
  async presignedUrl(
    sha256: string,
    headers: { contentType: string; contentDisposition: string | null },
  ): Promise<string | null> {
    const ttlS = this.options.presignTtlS;
    if (!ttlS || !this.store.presign) return null;
    return this.store.presign(sha256, { ttlS, ...headers });
  }

  /**
   * Checks the arguments of Run.artifacts into a repository page request (one row more than
   * the page, to learn whether more exist).
   * @throws BAD_USER_INPUT for bad page arguments or a cursor Run.artifacts did not return
   */
  pageRequest(args: PageArgs & { kind?: string | null }): {
    request: PageRequest;
    page: ArtifactPageRequest;
  } {
    const request = pageRequest(args, ARTIFACT_PAGES);
    const { key } = request;
    if (key !== null && (key.length !== 2 || !key.every((v) => typeof v === 'string')))
      throw badInput('Invalid cursor: not a cursor of Run.artifacts', {
        field: request.direction === 'forward' ? 'after' : 'before',
      });
    const kind =
      args.kind === null || args.kind === undefined
        ? null
        : limits.name(args.kind, 'kind', LIMITS.artifactKind);
    return {
      request,
      page: {
        kind,
        direction: request.direction,
        key: key as [string, string] | null,
        take: request.size + 1,
      },
    };
  }

  /** One page of the artifacts of each run, in walking order (for a DataLoader batch). */
  async pagesOf(runIds: readonly string[], page: ArtifactPageRequest): Promise<ArtifactRow[][]> {
    const pages = await this.artifacts.pages(runIds, page);
    return runIds.map((id) => pages.get(id) ?? []);
  }

  /** The connection answering `request` from the rows its page request read. */
  toPage(rows: readonly ArtifactRow[], request: PageRequest): ConnectionPage<ArtifactModel> {
    return toConnection(
      rows.map((r) => this.toModel(r)),
      request,
      (a) => encodeKeyset(ARTIFACT_PAGES.kind, [a.name, a.id]),
    );
  }

  /**
   * The artifacts named by each (run, name) key, in key order (null where absent), in one query.
   * @throws BAD_USER_INPUT for a name over the artifact-name limit
   */
  async byKeys(
    keys: readonly { runId: string; name: string }[],
  ): Promise<(ArtifactModel | null)[]> {
    for (const { name } of keys) limits.id(name, 'name', LIMITS.artifactName);
    const rows = await this.artifacts.findByKeys(keys);
    const byKey = new Map(rows.map((r) => [`${r.runId}\u0000${r.name}`, r]));
    return keys.map(({ runId, name }) => {
      const row = byKey.get(`${runId}\u0000${name}`);
      return row ? this.toModel(row) : null;
    });
  }

  /** Every artifact of a run, by name (NOT_FOUND for an unknown run). */
  async listOfRun(runId: string): Promise<ArtifactModel[]> {
    await this.runs.assertExists(runId);
    return (await this.artifacts.findByRunIds([runId])).map((row) => this.toModel(row));
  }

  /**
   * Removes temp files that failed or crashed uploads left behind (called at server start, so
   * an unreachable object store stops the start with its location named).
   */
  async sweepTemp(): Promise<number> {
    try {
      return await this.store.sweepTemp();
    } catch (err) {
      throw new Error(`Artifact store ${this.store.location}: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }

  private immutable(runId: string, status: string, name: string) {
    return apiError(
      ErrorCode.INVALID_STATE,
      `Run ${runId} is ${status}: artifact ${name} exists and cannot be replaced (a finished run's training record is immutable; upload under a new name)`,
      { id: runId, status, artifact: name },
    );
  }

  /** Hashes the body into a temp file: whether it may be stored is known once the hash is. */
  private async stage(body: Readable): Promise<StagedBlob> {
    try {
      return await this.store.stage(body, this.options.maxBytes);
    } catch (err) {
      if (err instanceof BlobTooLargeError) throw this.tooLarge();
      // The client went away mid-body: its fault, not ours (the temp file is gone already).
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE')
        throw badInput('The upload ended before its body was complete (the connection closed)', {
          field: 'body',
        });
      throw err;
    }
  }

  private leaseLost(runId: string, attempt: number) {
    return apiError(
      ErrorCode.INVALID_STATE,
      `Run ${runId}: job attempt ${attempt} no longer holds the run (its lease was lost and the job was retried, or it ended): stop uploading`,
      { reason: 'LEASE_LOST', id: runId, attempt },
    );
  }

  private tooLarge() {
    return apiError(
      ErrorCode.ARTIFACT_TOO_LARGE,
      `Artifact is larger than ${this.options.maxBytes} bytes`,
      {
        limit: this.options.maxBytes,
      },
    );
  }
}
