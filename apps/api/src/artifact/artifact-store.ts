// Content-addressed blob store on local disk: <dir>/<sha256[0..2]>/<sha256>. Blobs are
// written to a temp file (<dir>/tmp/<pid>-<random>) and renamed into place, so a reader never
// sees a partial file and identical uploads share one file. A temp file never outlives its
// upload: removed when the body fails or is refused, and swept at start after a crash.
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

/** A body hashed into a temp file, not yet in the store. */
export interface StagedBlob extends StoredBlob {
  /** Moves the bytes into the store (atomic rename; idempotent). */
  commit(): Promise<void>;
  /** Removes the temp file unless it was committed (idempotent). */
  discard(): Promise<void>;
}

/** Temp files of a live upload older than this are left over from a hung or crashed one. */
export const TEMP_MAX_AGE_MS = 6 * 60 * 60 * 1000;

/** True while process `pid` of this machine runs (EPERM: it runs under another user). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Blobs an upload of this process is about to reference (path -> count), shared by every
 * ArtifactStore instance of the process: garbage collection never removes a pinned blob.
 */
const pinned = new Map<string, number>();

/** Local content-addressed blob store. */
export class ArtifactStore {
  constructor(readonly dir: string) {}

  /** Folder of in-flight uploads (`<pid>-<random>` files). */
  get tmpDir(): string {
    return path.join(this.dir, 'tmp');
  }

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
   * Streams `body` to a temp file while hashing it; aborts with BlobTooLargeError past
   * `maxBytes`. A failed or aborted body (client gone, error mid-stream) removes the temp file.
   */
  async stage(body: Readable, maxBytes: number): Promise<StagedBlob> {
    await fs.promises.mkdir(this.tmpDir, { recursive: true });
    const tmp = path.join(this.tmpDir, `${process.pid}-${randomBytes(8).toString('hex')}`);
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
    } catch (err) {
      await fs.promises.rm(tmp, { force: true });
      throw err;
    }
    const sha256 = hash.digest('hex');
    let settled = false;
    return {
      sha256,
      bytes,
      commit: async () => {
        if (settled) return;
        const final = this.pathOf(sha256);
        try {
          await fs.promises.mkdir(path.dirname(final), { recursive: true });
          // rename is atomic; an existing blob with this hash has the same bytes anyway.
          await fs.promises.rename(tmp, final);
          settled = true;
        } catch (err) {
          await fs.promises.rm(tmp, { force: true });
          settled = true;
          throw err;
        }
      },
      discard: async () => {
        if (settled) return;
        settled = true;
        await fs.promises.rm(tmp, { force: true });
      },
    };
  }

  /** {@link stage} then commit: the blob is in the store when this resolves. */
  async put(body: Readable, maxBytes: number): Promise<StoredBlob> {
    const staged = await this.stage(body, maxBytes);
    await staged.commit();
    return { sha256: staged.sha256, bytes: staged.bytes };
  }

  /**
   * Protects a blob from {@link removeUnreferenced} until the returned function is called: an
   * upload pins its hash from before the blob is committed until its artifact row is written,
   * so a concurrent collection cannot remove bytes a new row is about to reference.
   */
  pin(sha256: string): () => void {
    const key = this.pathOf(sha256);
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

  /**
   * Removes the blob unless it is pinned or `isReferenced` says a row still references it. The
   * blob is first renamed aside (a temp file of this process), then pins and references are
   * checked again: an upload that pinned it meanwhile, or wrote its row, gets it renamed back;
   * one that commits the same hash later writes a fresh file. Safe against uploads of this
   * process; several API processes sharing one folder are not coordinated.
   * @returns whether the blob was removed
   */
  async removeUnreferenced(sha256: string, isReferenced: () => Promise<boolean>): Promise<boolean> {
    const final = this.pathOf(sha256);
    if (pinned.has(final)) return false;
    await fs.promises.mkdir(this.tmpDir, { recursive: true });
    const aside = path.join(this.tmpDir, `${process.pid}-gc-${randomBytes(8).toString('hex')}`);
    try {
      await fs.promises.rename(final, aside);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false; // already gone
      throw err;
    }
    let keep = true;
    try {
      // References first, then pins: a pin taken while the references are read still counts.
      const referenced = await isReferenced();
      keep = referenced || pinned.has(final);
    } finally {
      // Renaming back over a blob committed meanwhile is harmless: same hash, same bytes.
      if (keep) await fs.promises.rename(aside, final);
      else await fs.promises.rm(aside, { force: true });
    }
    return !keep;
  }

  /**
   * Removes temp files that no upload will finish: those of processes of this machine that no
   * longer run (a crash mid-upload), and any older than {@link TEMP_MAX_AGE_MS}. Called at
   * server start.
   * @returns how many were removed
   */
  async sweepTemp(now = Date.now()): Promise<number> {
    let names: string[];
    try {
      names = await fs.promises.readdir(this.tmpDir);
    } catch {
      return 0; // no temp folder yet
    }
    let removed = 0;
    for (const name of names) {
      const file = path.join(this.tmpDir, name);
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
}
