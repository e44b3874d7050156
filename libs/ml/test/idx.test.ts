import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  encodeIdx,
  parseIdx,
  readIdxFile,
  IdxFormatError,
  loadFashionMnist,
  FASHION_MNIST_FILES,
} from '../src/index';

/** Builds an IDX byte buffer by hand (header written byte by byte, independent of encodeIdx). */
function idxBytes(shape: number[], data: number[]): Buffer {
  const header = [0, 0, 0x08, shape.length];
  for (const d of shape) header.push((d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255);
  return Buffer.from([...header, ...data]);
}

describe('parseIdx', () => {
  it('decodes a plain unsigned-byte array', () => {
    const a = parseIdx(idxBytes([2, 3], [1, 2, 3, 4, 5, 6]), 'x.idx');
    expect(a.shape).toEqual([2, 3]);
    expect([...a.data]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('decodes gzip-compressed input', () => {
    const a = parseIdx(gzipSync(idxBytes([3], [7, 8, 9])), 'x.gz');
    expect(a.shape).toEqual([3]);
    expect([...a.data]).toEqual([7, 8, 9]);
  });

  it('round-trips through encodeIdx', () => {
    const data = new Uint8Array([0, 255, 128, 1]);
    const back = parseIdx(encodeIdx({ shape: [1, 2, 2], data }), 'r.gz');
    expect(back.shape).toEqual([1, 2, 2]);
    expect([...back.data]).toEqual([0, 255, 128, 1]);
  });

  it('names the file and the problem for truncated data', () => {
    expect(() => parseIdx(idxBytes([2, 3], [1, 2, 3]), 'train-images.gz')).toThrow(
      /train-images\.gz: truncated data: header declares shape \[2, 3\] = 6 bytes but only 3 follow/,
    );
  });

  it('rejects a bad magic number, a truncated header, a wrong type and corrupt gzip', () => {
    expect(() => parseIdx(Buffer.from([1, 0, 8, 1, 0, 0, 0, 0]), 'a')).toThrow(
      /a: bad magic number/,
    );
    expect(() => parseIdx(Buffer.from([0, 0, 8, 3, 0, 0]), 'b')).toThrow(/b: truncated header/);
    expect(() => parseIdx(Buffer.from([0, 0, 0x0d, 1, 0, 0, 0, 0]), 'c')).toThrow(
      /c: unsupported element type 0xd/,
    );
    expect(() => parseIdx(Buffer.from([0x1f, 0x8b, 1, 2, 3]), 'd.gz')).toThrow(
      /d\.gz: corrupt gzip data/,
    );
    expect(() => parseIdx(idxBytes([1], [1, 2]), 'e')).toThrow(/e: 1 unexpected trailing bytes/);
  });

  it('raises IdxFormatError naming a missing file', async () => {
    await expect(readIdxFile('/nonexistent/labels.gz')).rejects.toThrow(IdxFormatError);
    await expect(readIdxFile('/nonexistent/labels.gz')).rejects.toThrow(
      /\/nonexistent\/labels\.gz: file not found/,
    );
  });
});

describe('loadFashionMnist', () => {
  it('loads the committed subset: 6000 train / 1000 test, balanced, 28x28', async () => {
    const ds = await loadFashionMnist();
    expect(ds.train.count).toBe(6000);
    expect(ds.test.count).toBe(1000);
    expect(ds.train.images.length).toBe(6000 * 784);
    expect(ds.classNames[9]).toBe('Ankle boot');
    const counts = new Array(10).fill(0);
    for (const l of ds.train.labels) counts[l]++;
    expect(counts).toEqual(new Array(10).fill(600));
  });

  it('reports a label file that does not match its images', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fmnist-'));
    const img = encodeIdx({ shape: [2, 28, 28], data: new Uint8Array(2 * 784) });
    await writeFile(path.join(dir, FASHION_MNIST_FILES.trainImages), img);
    await writeFile(path.join(dir, FASHION_MNIST_FILES.testImages), img);
    await writeFile(
      path.join(dir, FASHION_MNIST_FILES.trainLabels),
      encodeIdx({ shape: [3], data: new Uint8Array(3) }),
    );
    await writeFile(
      path.join(dir, FASHION_MNIST_FILES.testLabels),
      encodeIdx({ shape: [2], data: new Uint8Array([0, 1]) }),
    );
    await expect(loadFashionMnist({ dir })).rejects.toThrow(
      /train-labels-idx1-ubyte\.gz: 3 labels for 2 images/,
    );
  });
});
