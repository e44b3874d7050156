import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlobTooLargeError, TEMP_MAX_AGE_MS } from './artifact-store';
import { LocalArtifactStore } from './local-artifact-store';

describe('LocalArtifactStore temp files', () => {
  let dir: string;
  let store: LocalArtifactStore;
  const temps = () => (fs.existsSync(store.tmpDir) ? fs.readdirSync(store.tmpDir) : []);
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convscope-store-'));
    store = new LocalArtifactStore(dir);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('removes the temp file of a body that fails or is refused, and of a discarded stage', async () => {
    // A client that goes away mid-upload: the body errors after some bytes.
    let sent = 0;
    const dying = new Readable({
      read() {
        sent += 1;
        if (sent < 4) this.push(Buffer.alloc(1024, sent));
        else this.destroy(new Error('aborted'));
      },
    });
    await expect(store.put(dying, 1 << 20)).rejects.toThrow('aborted');
    expect(temps()).toEqual([]);
    await expect(store.put(Readable.from([Buffer.alloc(2048)]), 1024)).rejects.toBeInstanceOf(
      BlobTooLargeError,
    );
    expect(temps()).toEqual([]);
    const staged = await store.stage(Readable.from([Buffer.from('refused')]), 1024);
    expect(temps()).toHaveLength(1);
    await staged.discard();
    expect(temps()).toEqual([]);
    expect(await store.exists(staged.sha256)).toBe(false);
    const kept = await store.stage(Readable.from([Buffer.from('kept')]), 1024);
    await kept.commit();
    await kept.discard(); // no-op once committed
    expect(await store.exists(kept.sha256)).toBe(true);
    expect(temps()).toEqual([]);
  });

  it('sweeps temp files of dead processes and old ones, and keeps live uploads', async () => {
    fs.mkdirSync(store.tmpDir, { recursive: true });
    const file = (name: string, ageMs = 0) => {
      const p = path.join(store.tmpDir, name);
      fs.writeFileSync(p, 'partial');
      const t = new Date(Date.now() - ageMs);
      fs.utimesSync(p, t, t);
    };
    // 2^22 + 1 is above Linux's pid_max default: no such process.
    file(`${2 ** 22 + 1}-deadbeef`);
    file('not-a-pid-file');
    file(`${process.pid}-live`);
    file(`${process.pid}-hung`, TEMP_MAX_AGE_MS + 60_000);
    expect(await store.sweepTemp()).toBe(3);
    expect(temps()).toEqual([`${process.pid}-live`]);
    expect(await new LocalArtifactStore(path.join(dir, 'none')).sweepTemp()).toBe(0);
  });
});

describe('LocalArtifactStore garbage collection', () => {
  let dir: string;
  let store: LocalArtifactStore;
  const body = (text: string) => Readable.from([Buffer.from(text)]);
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convscope-gc-'));
    store = new LocalArtifactStore(dir);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('removes an unreferenced blob and leaves no temp file; a missing blob is no removal', async () => {
    const { sha256 } = await store.put(body('orphan'), 1024);
    expect(await store.removeUnreferenced(sha256, async () => false)).toBe(true);
    expect(await store.exists(sha256)).toBe(false);
    expect(fs.readdirSync(store.tmpDir)).toEqual([]);
    expect(await store.removeUnreferenced(sha256, async () => false)).toBe(false);
  });

  it('keeps a blob referenced when checked again, with its bytes, at its path', async () => {
    const { sha256 } = await store.put(body('still used'), 1024);
    let asked = 0;
    const removed = await store.removeUnreferenced(sha256, async () => {
      asked += 1;
      // Asked while the blob is aside: it is not at its path right now.
      expect(await store.exists(sha256)).toBe(false);
      return true;
    });
    expect({ removed, asked }).toEqual({ removed: false, asked: 1 });
    expect(fs.readFileSync(store.pathOf(sha256), 'utf8')).toBe('still used');
    expect(fs.readdirSync(store.tmpDir)).toEqual([]);
  });

  it('never removes a pinned blob, from this or another instance on the same folder', async () => {
    const { sha256 } = await store.put(body('uploading'), 1024);
    const other = new LocalArtifactStore(dir);
    const unpin = other.pin(sha256);
    expect(await store.removeUnreferenced(sha256, async () => false)).toBe(false);
    expect(await store.exists(sha256)).toBe(true);
    // Pinned while the references are being checked (an upload starting then): kept too.
    unpin();
    let late: (() => void) | null = null;
    const kept = await store.removeUnreferenced(sha256, async () => {
      late = store.pin(sha256);
      return false;
    });
    expect(kept).toBe(false);
    expect(await store.exists(sha256)).toBe(true);
    (late as (() => void) | null)?.();
    // Released twice is released once: the next collection removes it.
    unpin();
    expect(await store.removeUnreferenced(sha256, async () => false)).toBe(true);
  });
});
