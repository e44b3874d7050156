// The one interface every service reads and writes artifact bytes through. Blobs are
// content-addressed: the key is the SHA-256 of the bytes, so identical uploads share one blob.
// Two implementations: a local folder (the default, local-artifact-store.ts) and S3-compatible
// object storage (s3-artifact-store.ts); create-artifact-store.ts picks one from ARTIFACTS_URL.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Thrown when a blob exceeds the size limit. */
export class BlobTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Artifact is larger than ${limit} bytes`);
  }
}

/** Thrown when a read names a blob the store does not hold. */
export class BlobNotFoundError extends Error {
  constructor(
    readonly sha256: string,
    readonly location: string,
  ) {
    super(`Blob ${sha256} is not in the artifact store ${location}`);
  }
}

/** A stored blob: its content key and size. */
export interface StoredBlob {
  sha256: string;
  bytes: number;
}

/** A body hashed into a temp file, not yet in the store. */
export interface StagedBlob extends StoredBlob {
  /** Moves the bytes into the store (idempotent; a blob already there is kept as is). */
  commit(): Promise<void>;
  /** Removes the temp file unless it was committed (idempotent). */
  discard(): Promise<void>;
}

/** Bytes `start` to `end` of a blob, both inclusive (as in an HTTP Range header). */
export interface ByteRange {
  start: number;
  end: number;
}

/** How a presigned download presents the bytes (the headers the API would send itself). */
export interface PresignOptions {
  /** Seconds the URL stays valid. */
  ttlS: number;
  contentType: string;
  /** A Content-Disposition value (null: none). */
  contentDisposition: string | null;
}

/**
 * A content-addressed blob store. Keys are lower-case hex SHA-256 digests of the bytes; any
 * other key is refused with an Error before the store is touched.
 */
export interface ArtifactStore {
  /** Where the blobs live, for logs and errors (a folder or `s3://bucket/prefix`). */
  readonly location: string;
  /**
   * Streams `body` to a temp file while hashing it; aborts with BlobTooLargeError past
   * `maxBytes`. A failed or aborted body (client gone, error mid-stream) leaves nothing behind.
   * Whether to keep the blob is decided once the hash is known (commit or discard).
   */
  stage(body: Readable, maxBytes: number): Promise<StagedBlob>;
  /** {@link stage} then commit: the blob is in the store when this resolves. */
  put(body: Readable | Uint8Array, maxBytes?: number): Promise<StoredBlob>;
  /**
   * The bytes of a blob as a stream, or only `range` of them (a range past the end yields the
   * bytes that exist, possibly none).
   * @throws BlobNotFoundError when the store does not hold the blob
   */
  get(sha256: string, range?: ByteRange): Promise<Readable>;
  /** True if the store holds the blob. */
  exists(sha256: string): Promise<boolean>;
  /** Removes the blob at once, referenced or not; false when it was not there. */
  delete(sha256: string): Promise<boolean>;
  /**
   * Protects a blob from {@link removeUnreferenced} until the returned function is called: an
   * upload pins its hash from before the blob is committed until its artifact row is written,
   * so a concurrent collection cannot remove bytes a new row is about to reference.
   */
  pin(sha256: string): () => void;
  /**
   * Removes the blob unless it is pinned or `isReferenced` says a row still references it,
   * checking pins and references again after the blob has left its key (so an upload that
   * pinned it or wrote its row meanwhile keeps it). Safe against uploads of this process.
   * @returns whether the blob was removed
   */
  removeUnreferenced(sha256: string, isReferenced: () => Promise<boolean>): Promise<boolean>;
  /**
   * Removes temp files no upload will finish (crashed processes, hung uploads) and restores
   * what an interrupted collection left aside. Called at server start.
   * @returns how many temp files or objects were removed
   */
  sweepTemp(now?: number): Promise<number>;
  /**
   * A short-lived URL that serves the blob without the API (absent: the store cannot make one,
   * downloads stream through the API).
   */
  presign?(sha256: string, options: PresignOptions): Promise<string>;
}

/** Temp files of a live upload older than this are left over from a hung or crashed one. */
export const TEMP_MAX_AGE_MS = 6 * 60 * 60 * 1000;

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Checks a content key (it becomes a file name or object key: nothing else may pass). */
export function checkKey(sha256: string): string {
  if (!SHA256_HEX.test(sha256))
    throw new Error(
      `Not an artifact content key: ${JSON.stringify(sha256.slice(0, 80))} (64 lower-case hex digits)`,
    );
  return sha256;
}

/** Checks a byte range (whole non-negative numbers, start <= end). */
export function checkRange(range: ByteRange | undefined): ByteRange | undefined {
  if (
    range &&
    !(
      Number.isSafeInteger(range.start) &&
      Number.isSafeInteger(range.end) &&
      range.start >= 0 &&
      range.end >= range.start
    )
  )
    throw new Error(`Invalid byte range ${range.start}-${range.end}`);
  return range;
}

/** Relative location of a blob: `<sha256[0..2]>/<sha256>` (a file path or an object key). */
export function blobSubPath(sha256: string): string {
  return `${sha256.slice(0, 2)}/${sha256}`;
}

/** A body as a stream (bytes become a one-chunk stream). */
export function asReadable(body: Readable | Uint8Array): Readable {
  return body instanceof Uint8Array ? Readable.from([Buffer.from(body)]) : body;
}

/**
 * Reads at most `maxBytes` of a blob (or of `range`) into memory, for the small reads that
 * need the whole value (a model.json, one sample image, a file header).
 * @throws BlobNotFoundError; BlobTooLargeError past `maxBytes`
 */
export async function readBlob(
  store: ArtifactStore,
  sha256: string,
  options: { range?: ByteRange; maxBytes: number },
): Promise<Buffer> {
  const stream = await store.get(sha256, options.range);
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > options.maxBytes) throw new BlobTooLargeError(options.maxBytes);
      chunks.push(chunk);
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks, total);
}

/** True while process `pid` of this machine runs (EPERM: it runs under another user). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A body spooled to a temp file, with its hash and size. */
export interface SpooledBody extends StoredBlob {
  /** The temp file (`<tmpDir>/<pid>-<random>`). */
  file: string;
}

/**
 * Streams `body` into a fresh temp file of `tmpDir` while hashing it (never more than a chunk in
 * memory); aborts with BlobTooLargeError past `maxBytes`. On any failure the temp file is gone.
 */
export async function spoolBody(
  body: Readable,
  tmpDir: string,
  maxBytes: number,
): Promise<SpooledBody> {
  await fs.promises.mkdir(tmpDir, { recursive: true });
  const file = path.join(tmpDir, `${process.pid}-${randomBytes(8).toString('hex')}`);
  const hash = createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      if (bytes > maxBytes) return cb(new BlobTooLargeError(maxBytes));
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  try {
    await pipeline(body, meter, fs.createWriteStream(file));
  } catch (err) {
    await fs.promises.rm(file, { force: true });
    throw err;
  }
  return { file, sha256: hash.digest('hex'), bytes };
}

/**
 * Removes the temp files of `tmpDir` that no upload will finish: those of processes of this
 * machine that no longer run (a crash mid-upload), and any older than {@link TEMP_MAX_AGE_MS}.
 * @returns how many were removed
 */
export async function sweepSpool(tmpDir: string, now = Date.now()): Promise<number> {
  let names: string[];
  try {
    names = await fs.promises.readdir(tmpDir);
  } catch {
    return 0; // no temp folder yet
  }
  let removed = 0;
  for (const name of names) {
    const file = path.join(tmpDir, name);
    const pid = Number(/^(\d+)-/.exec(name)?.[1] ?? NaN);
    let stale = !(pid > 0) || (pid !== process.pid && !processAlive(pid));
    if (!stale) {
      const stat = await fs.promises.stat(file).catch(() => null);
      stale = stat !== null && now - stat.mtimeMs > TEMP_MAX_AGE_MS;
    }
    if (stale) {
      await fs.promises.rm(file, { force: true, recursive: true });
      removed += 1;
    }
  }
  return removed;
}

/**
 * Blobs an upload of this process is about to reference (`<location>\0<sha256>` -> count),
 * shared by every store instance of the process: garbage collection never removes a pinned blob.
 */
const pinned = new Map<string, number>();

/** Pins `sha256` of the store at `location` (see ArtifactStore.pin). */
export function pinBlob(location: string, sha256: string): () => void {
  const key = `${location}\u0000${sha256}`;
  pinned.set(key, (pinned.get(key) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (pinned.get(key) ?? 1) - 1;
    if (left > 0) pinned.set(key, left);
    else pinned.delete(key);
  };
}

/** True while an upload of this process pins `sha256` of the store at `location`. */
export function isPinned(location: string, sha256: string): boolean {
  return pinned.has(`${location}\u0000${sha256}`);
}
