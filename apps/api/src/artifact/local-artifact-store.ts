// Content-addressed blob store on local disk: <dir>/<sha256[0..2]>/<sha256>. Blobs are
// written to a temp file (<dir>/tmp/<pid>-<random>) and renamed into place, so a reader never
// sees a partial file and identical uploads share one file. A temp file never outlives its
// upload: removed when the body fails or is refused, and swept at start after a crash.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
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
  type ArtifactStore,
  type ByteRange,
  type StagedBlob,
  type StoredBlob,
} from './artifact-store';

/** Local content-addressed blob store (the default). */
export class LocalArtifactStore implements ArtifactStore {
  /** The folder, resolved (also the store's location). */
  readonly dir: string;

  constructor(dir: string) {
    this.dir = path.resolve(dir);
  }

  get location(): string {
    return this.dir;
  }

  /** Folder of in-flight uploads (`<pid>-<random>` files). */
  get tmpDir(): string {
    return path.join(this.dir, 'tmp');
  }

  /** Path of the blob with this hash. */
  pathOf(sha256: string): string {
    return path.join(this.dir, ...blobSubPath(checkKey(sha256)).split('/'));
  }

  async exists(sha256: string): Promise<boolean> {
    return fs.promises
      .access(this.pathOf(sha256))
      .then(() => true)
      .catch(() => false);
  }

  async stage(body: Readable, maxBytes: number): Promise<StagedBlob> {
    const { file: tmp, sha256, bytes } = await spoolBody(body, this.tmpDir, maxBytes);
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

  async put(body: Readable | Uint8Array, maxBytes = Number.POSITIVE_INFINITY): Promise<StoredBlob> {
    const staged = await this.stage(asReadable(body), maxBytes);
    await staged.commit();
    return { sha256: staged.sha256, bytes: staged.bytes };
  }

  async get(sha256: string, range?: ByteRange): Promise<Readable> {
    const file = this.pathOf(sha256);
    checkRange(range);
    // Opened first so a missing blob is an error of this call, not of the stream later.
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(file, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        throw new BlobNotFoundError(sha256, this.location);
      throw err;
    }
    return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async delete(sha256: string): Promise<boolean> {
    try {
      await fs.promises.unlink(this.pathOf(sha256));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  pin(sha256: string): () => void {
    return pinBlob(this.location, checkKey(sha256));
  }

  /**
   * The blob is first renamed aside (a temp file of this process), then pins and references are
   * checked again: an upload that pinned it meanwhile, or wrote its row, gets it renamed back;
   * one that commits the same hash later writes a fresh file. Several API processes sharing one
   * folder are not coordinated.
   */
  async removeUnreferenced(sha256: string, isReferenced: () => Promise<boolean>): Promise<boolean> {
    const final = this.pathOf(sha256);
    if (isPinned(this.location, sha256)) return false;
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
      keep = referenced || isPinned(this.location, sha256);
    } finally {
      // Renaming back over a blob committed meanwhile is harmless: same hash, same bytes.
      if (keep) await fs.promises.rename(aside, final);
      else await fs.promises.rm(aside, { force: true });
    }
    return !keep;
  }

  sweepTemp(now = Date.now()): Promise<number> {
    return sweepSpool(this.tmpDir, now);
  }
}
