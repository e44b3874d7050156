// Artifact use cases: upload (idempotent on identical bytes), lookup for download, and the
// public model with its absolute URL.
import type { Readable } from 'node:stream';
import { apiError, badInput, ErrorCode, isUniqueViolation, notFound } from '../common/errors.js';
import { isJsonObject, parseJsonColumn } from '../common/json.js';
import { canonicalMimeType } from '../common/download-headers.js';
import type { RunService } from '../run/run.service.js';
import { BlobTooLargeError, type ArtifactStore } from './artifact-store.js';
import type { ArtifactRepository, ArtifactRow } from './artifact.repository.js';

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
  body: Readable;
}

/** Artifact business logic. */
export class ArtifactService {
  constructor(
    private readonly artifacts: ArtifactRepository,
    private readonly runs: RunService,
    private readonly store: ArtifactStore,
    private readonly options: { publicUrl: () => string; maxBytes: number },
  ) {}

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
   * bytes returns the existing record unchanged; different bytes replace it.
   */
  async upload(req: UploadRequest): Promise<{ artifact: ArtifactModel; created: boolean }> {
    const name = req.name;
    if (
      !name ||
      name.length > 255 ||
      name === '.' ||
      name === '..' ||
      /[\u0000-\u001f]/.test(name)
    ) {
      throw badInput('Artifact name must be 1-255 printable characters', { field: 'name' });
    }
    const kind = (req.kind ?? 'file').trim();
    if (!kind || kind.length > 100)
      throw badInput('kind must be 1-100 characters', { field: 'kind' });
    let metadata: string | null = null;
    if (req.metadata) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(req.metadata);
      } catch {
        throw badInput('metadata must be a JSON object', { field: 'metadata' });
      }
      if (!isJsonObject(parsed))
        throw badInput('metadata must be a JSON object', { field: 'metadata' });
      metadata = JSON.stringify(parsed);
    }
    // Stored canonical (lower-case, no parameters); malformed types become application/octet-stream.
    const mimeType = canonicalMimeType(req.mimeType);
    if (req.contentLength != null && req.contentLength > this.options.maxBytes)
      throw this.tooLarge();
    await this.runs.assertExists(req.runId);
    let blob;
    try {
      blob = await this.store.put(req.body, this.options.maxBytes);
    } catch (err) {
      if (err instanceof BlobTooLargeError) throw this.tooLarge();
      throw err;
    }
    const existing = await this.artifacts.find(req.runId, name);
    if (
      existing &&
      existing.sha256 === blob.sha256 &&
      existing.kind === kind &&
      existing.mimeType === mimeType &&
      (metadata === null || metadata === existing.metadata)
    ) {
      return { artifact: this.toModel(existing), created: false };
    }
    const data = {
      kind,
      sha256: blob.sha256,
      bytes: blob.bytes,
      mimeType,
      metadata: metadata ?? existing?.metadata ?? null,
    };
    try {
      return {
        artifact: this.toModel(await this.artifacts.upsert(req.runId, name, data)),
        created: true,
      };
    } catch (err) {
      // Two identical uploads raced on the insert: the record exists now, retry as an update.
      if (!isUniqueViolation(err)) throw err;
      return {
        artifact: this.toModel(await this.artifacts.upsert(req.runId, name, data)),
        created: true,
      };
    }
  }

  /** The artifact and its blob path; NOT_FOUND naming the run or the artifact otherwise. */
  async locate(
    runId: string,
    name: string,
  ): Promise<{ artifact: ArtifactModel; filePath: string }> {
    const row = await this.artifacts.find(runId, name);
    if (!row) {
      await this.runs.assertExists(runId);
      throw notFound('Artifact', `${runId}/${name}`);
    }
    return { artifact: this.toModel(row), filePath: this.store.pathOf(row.sha256) };
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
