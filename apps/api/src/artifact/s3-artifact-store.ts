// Content-addressed blob store in S3-compatible object storage (AWS SDK v3): object
// <prefix>/<sha256[0..2]>/<sha256>, the same layout as the local folder. An upload is spooled to
// a local temp file while it is hashed (no whole body in memory), so the store decides on the
// hash before writing anything: identical bytes already stored cost one HEAD and no write, and a
// refused or broken upload never reaches the bucket. The object is then written in one PUT with
// its length and SHA-256 checksum (S3 verifies it).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import {
  asReadable,
  blobSubPath,
  BlobNotFoundError,
  checkKey,
  checkRange,
  isPinned,
  pinBlob,
  spoolBody,
  sweepSpool,
  TEMP_MAX_AGE_MS,
  type ArtifactStore,
  type ByteRange,
  type PresignOptions,
  type StagedBlob,
  type StoredBlob,
} from './artifact-store';

/** Where an S3 store keeps its blobs and spools its uploads. */
export interface S3ArtifactStoreOptions {
  client: S3Client;
  bucket: string;
  /** Key prefix without leading or trailing slashes ('' for the bucket's root). */
  prefix: string;
  /** Local folder of uploads being hashed (`<pid>-<random>` files, swept like the local store's). */
  spoolDir: string;
}

/** True for the SDK's "no such object" answers (HEAD has no body, hence no error code). */
function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
}

/** True when a GET's range starts past the object's end (HTTP 416). */
function isInvalidRange(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'InvalidRange' || e.$metadata?.httpStatusCode === 416;
}

/** Aside objects of a collection: `<prefix>/tmp/gc-<sha256>-<random>`. */
const ASIDE = /\/?tmp\/gc-([0-9a-f]{64})-[0-9a-f]+$/;

/** S3-compatible content-addressed blob store. */
export class S3ArtifactStore implements ArtifactStore {
  readonly location: string;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly spoolDir: string;

  constructor(options: S3ArtifactStoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.prefix = options.prefix.replace(/^\/+|\/+$/g, '');
    this.spoolDir = options.spoolDir;
    this.location = `s3://${this.bucket}${this.prefix ? `/${this.prefix}` : ''}`;
  }

  /** Object key of the blob with this hash. */
  keyOf(sha256: string): string {
    return this.withPrefix(blobSubPath(checkKey(sha256)));
  }

  async exists(sha256: string): Promise<boolean> {
    return this.objectExists(this.keyOf(sha256));
  }

  async stage(body: Readable, maxBytes: number): Promise<StagedBlob> {
    const spooled = await spoolBody(body, this.spoolDir, maxBytes);
    const { sha256, bytes, file } = spooled;
    let settled = false;
    return {
      sha256,
      bytes,
      commit: async () => {
        if (settled) return;
        try {
          const key = this.keyOf(sha256);
          // Content-addressed: an object under this key has these bytes already.
          if (!(await this.objectExists(key))) {
            await this.client.send(
              new PutObjectCommand({
                Bucket: this.bucket,
                Key: key,
                Body: fs.createReadStream(file),
                ContentLength: bytes,
                ContentType: 'application/octet-stream',
                ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
              }),
            );
          }
        } finally {
          settled = true;
          await fs.promises.rm(file, { force: true });
        }
      },
      discard: async () => {
        if (settled) return;
        settled = true;
        await fs.promises.rm(file, { force: true });
      },
    };
  }

  async put(body: Readable | Uint8Array, maxBytes = Number.POSITIVE_INFINITY): Promise<StoredBlob> {
    const staged = await this.stage(asReadable(body), maxBytes);
    await staged.commit();
    return { sha256: staged.sha256, bytes: staged.bytes };
  }

  async get(sha256: string, range?: ByteRange): Promise<Readable> {
    const key = this.keyOf(sha256);
    checkRange(range);
    try {
      const out = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }),
      );
      // In Node the SDK's body is an http.IncomingMessage (a Readable).
      if (!(out.Body instanceof Readable))
        throw new Error(`S3 GetObject of ${key} returned no stream`);
      return out.Body;
    } catch (err) {
      if (isNotFound(err)) throw new BlobNotFoundError(sha256, this.location);
      // The object exists (or S3 would say 404) and the range starts past its end.
      if (range && isInvalidRange(err)) return Readable.from([]);
      throw err;
    }
  }

  async delete(sha256: string): Promise<boolean> {
    const key = this.keyOf(sha256);
    // DELETE answers the same whether or not the object was there: ask first.
    if (!(await this.objectExists(key))) return false;
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    return true;
  }

  pin(sha256: string): () => void {
    return pinBlob(this.location, checkKey(sha256));
  }

  /**
   * S3 has no rename: the object is copied aside (`tmp/gc-<sha256>-<random>`) and deleted, then
   * pins and references are checked again; a blob still wanted is copied back. An upload that
   * commits meanwhile finds the key empty and writes the bytes again. A collection that dies
   * between the delete and the decision leaves the aside copy, which {@link sweepTemp} restores.
   */
  async removeUnreferenced(sha256: string, isReferenced: () => Promise<boolean>): Promise<boolean> {
    const final = this.keyOf(sha256);
    if (isPinned(this.location, sha256)) return false;
    const aside = this.withPrefix(`tmp/gc-${sha256}-${randomBytes(8).toString('hex')}`);
    try {
      await this.copy(final, aside);
    } catch (err) {
      if (isNotFound(err)) return false; // already gone
      throw err;
    }
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: final }));
    let keep = true;
    try {
      // References first, then pins: a pin taken while the references are read still counts.
      const referenced = await isReferenced();
      keep = referenced || isPinned(this.location, sha256);
    } finally {
      // Copying back over a blob committed meanwhile is harmless: same hash, same bytes.
      if (keep) await this.copy(aside, final);
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: aside }));
    }
    return !keep;
  }

  /**
   * Sweeps the local spool (as the local store does) and the bucket's aside objects older than
   * {@link TEMP_MAX_AGE_MS}; an aside copy whose blob is missing is copied back first (keeping
   * bytes a row may still reference beats losing them).
   */
  async sweepTemp(now = Date.now()): Promise<number> {
    let removed = await sweepSpool(this.spoolDir, now);
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.withPrefix('tmp/'),
          ContinuationToken: token,
        }),
      );
      for (const object of page.Contents ?? []) {
        if (!object.Key || !object.LastModified) continue;
        if (now - object.LastModified.getTime() <= TEMP_MAX_AGE_MS) continue;
        const sha256 = ASIDE.exec(object.Key)?.[1];
        if (sha256 && !(await this.exists(sha256))) await this.copy(object.Key, this.keyOf(sha256));
        await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: object.Key }));
        removed += 1;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return removed;
  }

  async presign(sha256: string, options: PresignOptions): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: this.keyOf(sha256),
      ResponseContentType: options.contentType,
      ResponseContentDisposition: options.contentDisposition ?? undefined,
    });
    return getSignedUrl(this.client, command, { expiresIn: options.ttlS });
  }

  private withPrefix(key: string): string {
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  private async objectExists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  private async copy(from: string, to: string): Promise<void> {
    const source = `${this.bucket}/${from.split('/').map(encodeURIComponent).join('/')}`;
    await this.client.send(
      new CopyObjectCommand({ Bucket: this.bucket, Key: to, CopySource: source }),
    );
  }
}
