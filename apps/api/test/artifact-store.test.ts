// One suite, two stores: the local folder and S3-compatible object storage (s3rver on a random
// port). Every ArtifactStore promise is checked on both: put/get/range, dedupe by content,
// delete, a missing key's error, a large streamed object, concurrent puts of the same bytes,
// refused bodies, garbage collection; then what only S3 does (aside objects, presigned URLs).
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  BlobNotFoundError,
  BlobTooLargeError,
  readBlob,
  TEMP_MAX_AGE_MS,
  type ArtifactStore,
} from '../src/artifact/artifact-store';
import { createArtifactStore, parseArtifactsUrl } from '../src/artifact/create-artifact-store';
import { LocalArtifactStore } from '../src/artifact/local-artifact-store';
import { S3ArtifactStore } from '../src/artifact/s3-artifact-store';
import { startTestS3, type TestS3 } from './s3-server';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Reads a whole stream. */
async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Files below `dir`, relative, sorted (missing folder: none). */
function filesBelow(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .sort();
}

/** A store under test, with what the suite needs to look behind it. */
interface Fixture {
  store: ArtifactStore;
  /** Content keys of the blobs the store holds (its storage, not its API). */
  blobs(): Promise<string[]>;
  /** Temp files and temp objects left behind. */
  temps(): Promise<string[]>;
  dispose(): Promise<void>;
}

let s3: TestS3;
beforeAll(async () => {
  s3 = await startTestS3();
});
afterAll(() => s3?.stop());

const kinds: { label: string; make: () => Promise<Fixture> }[] = [
  {
    label: 'local folder',
    async make() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convscope-store-'));
      const store = new LocalArtifactStore(dir);
      return {
        store,
        blobs: async () =>
          filesBelow(dir)
            .filter((f) => !f.startsWith('tmp'))
            .map((f) => path.basename(f)),
        temps: async () => filesBelow(store.tmpDir),
        dispose: async () => fs.rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    label: 'S3 (s3rver)',
    async make() {
      const spool = fs.mkdtempSync(path.join(os.tmpdir(), 'convscope-spool-'));
      const prefix = `suite/${randomBytes(4).toString('hex')}`;
      const store = new S3ArtifactStore({
        client: s3.client,
        bucket: s3.bucket,
        prefix,
        spoolDir: spool,
      });
      const keys = async () => {
        const out = await s3.client.send(
          new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `${prefix}/` }),
        );
        return (out.Contents ?? []).map((o) => o.Key ?? '').map((k) => k.slice(prefix.length + 1));
      };
      return {
        store,
        blobs: async () =>
          (await keys()).filter((k) => !k.startsWith('tmp/')).map((k) => path.basename(k)),
        temps: async () => [
          ...filesBelow(spool),
          ...(await keys()).filter((k) => k.startsWith('tmp/')),
        ],
        dispose: async () => fs.rmSync(spool, { recursive: true, force: true }),
      };
    },
  },
];

describe.each(kinds)('artifact store: $label', ({ make }) => {
  let f: Fixture;
  beforeEach(async () => {
    f = await make();
  });
  afterEach(() => f.dispose());

  it('stores bytes under their SHA-256 and reads them back whole and by range', async () => {
    const bytes = randomBytes(10_000);
    const put = await f.store.put(bytes);
    expect(put).toEqual({ sha256: sha(bytes), bytes: 10_000 });
    expect(await f.store.exists(put.sha256)).toBe(true);
    expect((await collect(await f.store.get(put.sha256))).equals(bytes)).toBe(true);
    const part = await collect(await f.store.get(put.sha256, { start: 1000, end: 1999 }));
    expect(part.equals(bytes.subarray(1000, 2000))).toBe(true);
    // A range past the end gives what exists; one starting past the end gives nothing.
    const tail = await collect(await f.store.get(put.sha256, { start: 9990, end: 20_000 }));
    expect(tail.equals(bytes.subarray(9990))).toBe(true);
    expect(
      (await collect(await f.store.get(put.sha256, { start: 10_000, end: 10_010 }))).length,
    ).toBe(0);
    await expect(f.store.get(put.sha256, { start: 5, end: 4 })).rejects.toThrow(
      /Invalid byte range/,
    );
    expect(await f.blobs()).toEqual([put.sha256]);
    expect(await f.temps()).toEqual([]);
  });

  it('keeps one blob for identical bytes, from streams and from buffers', async () => {
    const bytes = Buffer.from('the same weights, uploaded twice');
    const a = await f.store.put(Readable.from([bytes.subarray(0, 5), bytes.subarray(5)]));
    const b = await f.store.put(bytes);
    const c = await f.store.put(Buffer.from('other bytes'));
    expect(b).toEqual(a);
    expect(c.sha256).not.toBe(a.sha256);
    expect((await f.blobs()).sort()).toEqual([a.sha256, c.sha256].sort());
  });

  it('deletes a blob; a missing or malformed key is a clear error', async () => {
    const { sha256 } = await f.store.put(Buffer.from('short-lived'));
    expect(await f.store.delete(sha256)).toBe(true);
    expect(await f.store.exists(sha256)).toBe(false);
    expect(await f.store.delete(sha256)).toBe(false);
    const missing = f.store.get(sha256);
    await expect(missing).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(f.store.get(sha256)).rejects.toThrow(
      `Blob ${sha256} is not in the artifact store ${f.store.location}`,
    );
    await expect(f.store.get('../../etc/passwd')).rejects.toThrow(/Not an artifact content key/);
    await expect(f.store.exists('ABC')).rejects.toThrow(/Not an artifact content key/);
    expect(await f.blobs()).toEqual([]);
  });

  it('streams a large object in and out without holding it whole', async () => {
    const chunk = 256 * 1024;
    const count = 96; // 24 MiB
    const hash = createHash('sha256');
    // Each chunk made on demand: the body never exists in memory as a whole.
    const body = Readable.from(
      (function* () {
        for (let i = 0; i < count; i++) {
          const c = Buffer.alloc(chunk, i % 251);
          c.writeUInt32LE(i, 0);
          hash.update(c);
          yield c;
        }
      })(),
    );
    const put = await f.store.put(body, count * chunk);
    expect(put).toEqual({ sha256: hash.digest('hex'), bytes: count * chunk });
    const back = createHash('sha256');
    let read = 0;
    for await (const part of (await f.store.get(put.sha256)) as AsyncIterable<Buffer>) {
      back.update(part);
      read += part.length;
    }
    expect({ read, sha256: back.digest('hex') }).toEqual({
      read: count * chunk,
      sha256: put.sha256,
    });
    // A ranged read in the middle of the object.
    const at = 50 * chunk;
    const mid = await readBlob(f.store, put.sha256, {
      range: { start: at, end: at + 7 },
      maxBytes: 8,
    });
    expect(mid.readUInt32LE(0)).toBe(50);
    expect(mid[4]).toBe(50 % 251);
    await expect(readBlob(f.store, put.sha256, { maxBytes: 1024 })).rejects.toBeInstanceOf(
      BlobTooLargeError,
    );
  });

  it('takes concurrent puts of the same bytes as one blob, none of them failing', async () => {
    const bytes = randomBytes(300_000);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        // Different chunkings of the same content.
        f.store.put(
          Readable.from([bytes.subarray(0, 1000 * (i + 1)), bytes.subarray(1000 * (i + 1))]),
        ),
      ),
    );
    expect(new Set(results.map((r) => r.sha256))).toEqual(new Set([sha(bytes)]));
    expect(await f.blobs()).toEqual([sha(bytes)]);
    expect((await collect(await f.store.get(sha(bytes)))).equals(bytes)).toBe(true);
    expect(await f.temps()).toEqual([]);
  });

  it('refuses a body over the limit or broken mid-way, storing nothing', async () => {
    await expect(f.store.put(randomBytes(2048), 1024)).rejects.toBeInstanceOf(BlobTooLargeError);
    let sent = 0;
    const dying = new Readable({
      read() {
        sent += 1;
        if (sent < 4) this.push(Buffer.alloc(1024, sent));
        else this.destroy(new Error('client went away'));
      },
    });
    await expect(f.store.put(dying, 1 << 20)).rejects.toThrow('client went away');
    const staged = await f.store.stage(Readable.from([Buffer.from('not wanted')]), 1024);
    await staged.discard();
    expect(await f.store.exists(staged.sha256)).toBe(false);
    expect(await f.blobs()).toEqual([]);
    expect(await f.temps()).toEqual([]);
  });

  it('collects an unreferenced blob and keeps referenced and pinned ones', async () => {
    const kept = await f.store.put(Buffer.from('referenced'));
    const pinned = await f.store.put(Buffer.from('pinned'));
    const orphan = await f.store.put(Buffer.from('orphan'));
    let asked = 0;
    expect(
      await f.store.removeUnreferenced(kept.sha256, async () => {
        asked += 1;
        // While the references are checked the blob is not at its key.
        expect(await f.store.exists(kept.sha256)).toBe(false);
        return true;
      }),
    ).toBe(false);
    expect(asked).toBe(1);
    const unpin = f.store.pin(pinned.sha256);
    expect(await f.store.removeUnreferenced(pinned.sha256, async () => false)).toBe(false);
    // Pinned while the references are read (an upload starting then): kept too.
    unpin();
    let late: (() => void) | undefined;
    expect(
      await f.store.removeUnreferenced(pinned.sha256, async () => {
        late = f.store.pin(pinned.sha256);
        return false;
      }),
    ).toBe(false);
    late?.();
    expect(await f.store.removeUnreferenced(orphan.sha256, async () => false)).toBe(true);
    expect(await f.store.removeUnreferenced(orphan.sha256, async () => false)).toBe(false);
    expect((await f.blobs()).sort()).toEqual([kept.sha256, pinned.sha256].sort());
    expect((await collect(await f.store.get(kept.sha256))).toString()).toBe('referenced');
    expect(await f.temps()).toEqual([]);
  });
});

describe('S3 artifact store specifics', () => {
  it('restores a blob from the aside copy an interrupted collection left, then removes the copy', async () => {
    const prefix = `sweep/${randomBytes(4).toString('hex')}`;
    const spool = fs.mkdtempSync(path.join(os.tmpdir(), 'convscope-spool-'));
    try {
      const store = new S3ArtifactStore({
        client: s3.client,
        bucket: s3.bucket,
        prefix,
        spoolDir: spool,
      });
      const bytes = Buffer.from('bytes a dead collection moved aside');
      const key = sha(bytes);
      // What removeUnreferenced leaves when it dies between its delete and its decision.
      await s3.client.send(
        new PutObjectCommand({
          Bucket: s3.bucket,
          Key: `${prefix}/tmp/gc-${key}-0badc0de`,
          Body: bytes,
        }),
      );
      // A spooled upload of a process that no longer runs (2^22 + 1 is above pid_max).
      fs.writeFileSync(path.join(spool, `${2 ** 22 + 1}-deadbeef`), 'partial');
      expect(await store.exists(key)).toBe(false);
      // Young aside objects may belong to a collection in progress: kept.
      expect(await store.sweepTemp()).toBe(1);
      expect(await store.exists(key)).toBe(false);
      expect(await store.sweepTemp(Date.now() + TEMP_MAX_AGE_MS + 60_000)).toBe(1);
      expect((await collect(await store.get(key))).equals(bytes)).toBe(true);
      const left = await s3.client.send(
        new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `${prefix}/tmp/` }),
      );
      expect(left.Contents ?? []).toEqual([]);
      expect(fs.readdirSync(spool)).toEqual([]);
    } finally {
      fs.rmSync(spool, { recursive: true, force: true });
    }
  });

  it('presigns a short-lived URL that serves the bytes with the given headers', async () => {
    const spool = fs.mkdtempSync(path.join(os.tmpdir(), 'convscope-spool-'));
    try {
      const store = createArtifactStore({
        url: `s3://${s3.bucket}/presign`,
        dir: spool,
        client: s3.client,
      });
      expect(store.location).toBe(`s3://${s3.bucket}/presign`);
      const bytes = randomBytes(5000);
      const { sha256 } = await store.put(bytes);
      const url = await store.presign!(sha256, {
        ttlS: 60,
        contentType: 'application/octet-stream',
        contentDisposition: 'attachment; filename="weights.bin"',
      });
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toBe('attachment; filename="weights.bin"');
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
      // Signed (SigV4) for 60 s. s3rver checks the expiry but not SigV4 signatures, so a
      // tampered URL cannot be tested here.
      const query = new URL(url).searchParams;
      expect(query.get('X-Amz-Expires')).toBe('60');
      expect(query.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
      // The local folder makes no URLs: its downloads stream through the API.
      const local: ArtifactStore = new LocalArtifactStore(spool);
      expect(local.presign).toBeUndefined();
    } finally {
      fs.rmSync(spool, { recursive: true, force: true });
    }
  });

  it('parses ARTIFACTS_URL and names what is wrong with a bad one', () => {
    expect(parseArtifactsUrl('s3://lab-artifacts/convscope/prod/', '/x')).toEqual({
      kind: 's3',
      bucket: 'lab-artifacts',
      prefix: 'convscope/prod',
    });
    expect(parseArtifactsUrl('s3://lab-artifacts', '/x')).toEqual({
      kind: 's3',
      bucket: 'lab-artifacts',
      prefix: '',
    });
    expect(parseArtifactsUrl('', 'data/artifacts')).toEqual({
      kind: 'local',
      dir: path.resolve('data/artifacts'),
    });
    expect(parseArtifactsUrl('file:///srv/artifacts', '/x')).toEqual({
      kind: 'local',
      dir: '/srv/artifacts',
    });
    expect(() => parseArtifactsUrl('http://minio:9000/bucket', '/x')).toThrow(
      /ARTIFACTS_URL must be s3:\/\/bucket\/prefix/,
    );
    expect(() => parseArtifactsUrl('s3://Bad_Bucket/x', '/x')).toThrow(
      /invalid bucket "Bad_Bucket"/,
    );
  });
});
