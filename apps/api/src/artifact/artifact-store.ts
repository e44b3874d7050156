// Content-addressed blob store on local disk: <dir>/<sha256[0..2]>/<sha256>. Blobs are
// written to a temp file and renamed into place, so a reader never sees a partial file and
// identical uploads share one file.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Thrown when a blob exceeds the size limit. */
export class BlobTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Artifact is larger than ${limit} bytes`);
  }
}

/** A stored blob. */
export interface StoredBlob {
  sha256: string;
  bytes: number;
}

/** Local content-addressed blob store. */
export class ArtifactStore {
  constructor(readonly dir: string) {}

  /** Path of the blob with this hash. */
  pathOf(sha256: string): string {
    return path.join(this.dir, sha256.slice(0, 2), sha256);
  }

  /** True if the blob is on disk. */
  async has(sha256: string): Promise<boolean> {
    return fs.promises
      .access(this.pathOf(sha256))
      .then(() => true)
      .catch(() => false);
  }

  /**
   * Streams `body` to disk while hashing it; aborts with BlobTooLargeError past `maxBytes`
   * (the partial temp file is removed).
   */
  async put(body: Readable, maxBytes: number): Promise<StoredBlob> {
    const tmpDir = path.join(this.dir, 'tmp');
    await fs.promises.mkdir(tmpDir, { recursive: true });
    const tmp = path.join(tmpDir, `${process.pid}-${randomBytes(8).toString('hex')}`);
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
      await pipeline(body, meter, fs.createWriteStream(tmp));
      const sha256 = hash.digest('hex');
      const final = this.pathOf(sha256);
      await fs.promises.mkdir(path.dirname(final), { recursive: true });
      // rename is atomic; an existing blob with this hash has the same bytes anyway.
      await fs.promises.rename(tmp, final);
      return { sha256, bytes };
    } catch (err) {
      await fs.promises.rm(tmp, { force: true });
      throw err;
    }
  }
}
