import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import {
  ImageFileError,
  createFolderSource,
  loadImageFolder,
  parseLabelsFile,
  type FolderImageSource,
} from './image-folder';
import { createMemorySource, readAllImages } from './image-source';

let tmp: string;

// Solid colours per class: JPEG keeps them within a few levels, PNG exactly.
const COLOURS: Record<string, [number, number, number] | undefined> = {
  n0: [250, 10, 10],
  n1: [10, 250, 10],
  n2: [10, 10, 250],
};

async function writeImage(
  path: string,
  o: { width: number; height: number; rgb: [number, number, number]; format: 'jpeg' | 'png' },
) {
  await mkdir(dirname(path), { recursive: true });
  const img = sharp({
    create: { width: o.width, height: o.height, channels: 3, background: { r: o.rgb[0], g: o.rgb[1], b: o.rgb[2] } },
  });
  await writeFile(path, await (o.format === 'jpeg' ? img.jpeg({ quality: 95 }) : img.png()).toBuffer());
}

/** `perClass` images per class folder (alternating JPEG/PNG, varied sizes) under `dir`. */
async function writeClasses(dir: string, perClass: number, classes = Object.keys(COLOURS)) {
  for (const cls of classes) {
    for (let i = 0; i < perClass; i++) {
      const format = i % 2 === 0 ? 'jpeg' : 'png';
      await writeImage(join(dir, cls, `img${String(i).padStart(2, '0')}.${format === 'jpeg' ? 'jpg' : 'png'}`), {
        width: 12 + 7 * i,
        height: 20 + 3 * i,
        rgb: COLOURS[cls]!,
        format,
      });
    }
  }
}

/** Mean of each channel of image `k` of a batch. */
function meanColour(images: Uint8Array, k: number, shape: [number, number, number]): number[] {
  const [h, w, c] = shape;
  const sums = new Array(c).fill(0);
  for (let p = 0; p < h * w; p++) for (let ch = 0; ch < c; ch++) sums[ch] += images[(k * h * w + p) * c + ch];
  return sums.map((s) => s / (h * w));
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'convscope-folder-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('loadImageFolder: class folders', () => {
  let dir: string;
  beforeAll(async () => {
    dir = join(tmp, 'flat');
    // Class folders created out of order: the label order must still be sorted names.
    await writeClasses(dir, 4, ['n2', 'n0', 'n1']);
    await mkdir(join(dir, 'n1', 'nested'), { recursive: true });
    await writeImage(join(dir, 'n1', 'nested', 'deep.png'), { width: 5, height: 9, rgb: COLOURS.n1!, format: 'png' });
    await writeFile(join(dir, 'n0', 'notes.txt'), 'not an image, ignored');
    await writeFile(join(dir, 'n2', 'broken.jpg'), Buffer.from('this is not a JPEG file'));
  });

  it('skips a corrupt file, reports its path, and decodes every size to the shape', async () => {
    const shape: [number, number, number] = [8, 6, 3];
    const ds = await loadImageFolder({ dir, shape, onBadFile: 'skip' });
    expect(ds.layout).toBe('class-folders');
    expect(ds.classFolders).toEqual(['n0', 'n1', 'n2']);
    expect(ds.classNames).toEqual(['n0', 'n1', 'n2']);
    expect(ds.badFiles.map((b) => b.path)).toEqual([join(dir, 'n2', 'broken.jpg')]);
    expect(ds.badFiles[0]?.reason).toMatch(/unsupported image format/);
    expect(ds.validation).toBeUndefined();
    const train = ds.train;
    expect(train.count).toBe(4 + 5 + 4);
    expect(Array.from(train.labels)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2]);
    expect(train.files[8]).toBe(join(dir, 'n1', 'nested', 'deep.png'));

    const all = Array.from({ length: train.count }, (_, i) => i);
    const batch = await train.readBatch(all);
    expect(batch.count).toBe(13);
    expect(batch.images.length).toBe(13 * 8 * 6 * 3);
    for (let k = 0; k < 13; k++) {
      const expected = COLOURS[ds.classFolders[batch.labels[k]!]!]!;
      const got = meanColour(batch.images, k, shape);
      // PNG (odd file numbers, and the nested file) decode exactly; JPEG within a few levels.
      got.forEach((v, ch) => expect(Math.abs(v - expected[ch]!)).toBeLessThanOrEqual(4));
    }
    // Order follows the request.
    const two = await train.readBatch([12, 0]);
    expect(Array.from(two.labels)).toEqual([2, 0]);
  });

  it('fails with an error naming the corrupt file by default', async () => {
    const err = await loadImageFolder({ dir, shape: [8, 8, 3] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageFileError);
    expect((err as ImageFileError).path).toBe(join(dir, 'n2', 'broken.jpg'));
    expect((err as Error).message).toContain(join(dir, 'n2', 'broken.jpg'));
  });

  it('decodes grayscale with one channel', async () => {
    const gdir = join(tmp, 'grey');
    await writeImage(join(gdir, 'a', 'x.png'), { width: 7, height: 3, rgb: [128, 128, 128], format: 'png' });
    await writeImage(join(gdir, 'b', 'y.png'), { width: 2, height: 9, rgb: [255, 255, 255], format: 'png' });
    const ds = await loadImageFolder({ dir: gdir, shape: [4, 4, 1] });
    const b = await ds.train.readBatch([0, 1]);
    expect(Array.from(b.images)).toEqual([...new Array(16).fill(128), ...new Array(16).fill(255)]);
  });

  it('splits one folder with a seed: stratified, disjoint, complete and reproducible', async () => {
    const sdir = join(tmp, 'to-split');
    await writeClasses(sdir, 10);
    const load = (seed: number) =>
      loadImageFolder({ dir: sdir, shape: [4, 4, 3], split: { validation: 0.2, test: 0.1, seed }, verify: 'none' });
    const a = await load(7);
    const perClass = (s: FolderImageSource | undefined) => [0, 1, 2].map((c) => s!.labels.filter((l) => l === c).length);
    expect(perClass(a.validation)).toEqual([2, 2, 2]);
    expect(perClass(a.test)).toEqual([1, 1, 1]);
    expect(perClass(a.train)).toEqual([7, 7, 7]);
    const files = [...a.train.files, ...a.validation!.files, ...a.test!.files];
    expect(new Set(files).size).toBe(30);
    // Labels travel with their files.
    for (const s of [a.train, a.validation!, a.test!]) {
      s.files.forEach((f, i) => expect(f).toContain(`/n${s.labels[i]}/`));
    }
    const b = await load(7);
    expect(b.validation!.files).toEqual(a.validation!.files);
    expect(b.test!.files).toEqual(a.test!.files);
    const c = await load(8);
    expect(c.validation!.files).not.toEqual(a.validation!.files);
  });
});

describe('loadImageFolder: split folders and labels files', () => {
  it('reads the monkey-dataset layout with its labels file', async () => {
    const dir = join(tmp, 'monkeys');
    await writeClasses(join(dir, 'training', 'training'), 3);
    await writeClasses(join(dir, 'validation', 'validation'), 2, ['n0', 'n2']);
    await writeFile(
      join(dir, 'monkey_labels.txt'),
      [
        'Label,  Latin Name           , Common Name                   , Train Images , Validation Images',
        'n0   , alouatta_palliata\t, mantled_howler                , 131          , 26',
        'n1   , erythrocebus_patas\t, patas_monkey                  , 139          , 28',
        'n2   , cacajao_calvus\t, bald_uakari                   , 137          , 27',
        '',
      ].join('\n'),
    );
    const ds = await loadImageFolder({ dir, shape: [4, 4, 3] });
    expect(ds.layout).toBe('split-folders');
    expect(ds.labelsFile).toBe(join(dir, 'monkey_labels.txt'));
    expect(ds.classFolders).toEqual(['n0', 'n1', 'n2']);
    expect(ds.classNames).toEqual(['mantled_howler', 'patas_monkey', 'bald_uakari']);
    expect(ds.train.count).toBe(9);
    expect(ds.validation!.count).toBe(4);
    expect(Array.from(ds.validation!.labels)).toEqual([0, 0, 2, 2]);
    expect(ds.train.classNames).toEqual(ds.classNames);

    const latin = await loadImageFolder({ dir, shape: [4, 4, 3], labelsColumn: 'latin name' });
    expect(latin.classNames).toEqual(['alouatta_palliata', 'erythrocebus_patas', 'cacajao_calvus']);
    const plain = await loadImageFolder({ dir, shape: [4, 4, 3], labelsFile: false });
    expect(plain.classNames).toEqual(['n0', 'n1', 'n2']);
  });

  it('accepts a JSON map, and refuses a validation class that training lacks', async () => {
    const dir = join(tmp, 'json');
    await writeClasses(join(dir, 'train'), 1, ['n0', 'n1']);
    await writeClasses(join(dir, 'test'), 1, ['n1']);
    await writeFile(join(dir, 'labels.json'), JSON.stringify({ n1: 'Green', other: 'ignored' }));
    const ds = await loadImageFolder({ dir, shape: [4, 4, 3] });
    expect(ds.classNames).toEqual(['n0', 'Green']); // unmapped folders keep their name
    const named = await loadImageFolder({ dir, shape: [4, 4, 3], labelsFile: 'labels.json' });
    expect(named.labelsFile).toBe(join(dir, 'labels.json')); // relative to dir
    expect(named.classNames).toEqual(['n0', 'Green']);
    expect(ds.test!.count).toBe(1);
    expect(Array.from(ds.test!.labels)).toEqual([1]);

    await writeClasses(join(dir, 'val'), 1, ['n2']);
    await expect(loadImageFolder({ dir, shape: [4, 4, 3] })).rejects.toThrow(/class folder "n2"/);
  });

  it('parses headerless and tab-separated tables', () => {
    expect([...parseLabelsFile('n0,first\nn1, second \n', { format: 'table', folders: ['n0', 'n1'] })]).toEqual([
      ['n0', 'first'],
      ['n1', 'second'],
    ]);
    expect([...parseLabelsFile('folder\tname\ncat\tFelis\n', { format: 'table' })]).toEqual([['cat', 'Felis']]);
    expect(() => parseLabelsFile('[1, 2]', { format: 'json' })).toThrow(/object/);
  });

  it('reads quoted names holding the separator (CSV quoting), with the monkey-style header', () => {
    const text = [
      'Label , Latin Name , Common Name , Train Images',
      'n0 , alouatta_palliata\t, "howler, mantled" , 131',
      'n1,cacajao_calvus,"bald uakari ""red""",110',
      '',
    ].join('\n');
    expect([...parseLabelsFile(text, { format: 'table', folders: ['n0', 'n1'] })]).toEqual([
      ['n0', 'howler, mantled'],
      ['n1', 'bald uakari "red"'],
    ]);
    // Tab-separated files quote the same way.
    expect([...parseLabelsFile('n0\t"a\tb"\n', { format: 'table', folders: ['n0'] })]).toEqual([
      ['n0', 'a\tb'],
    ]);
  });
});

describe('folder source streaming', () => {
  let dir: string;
  let truncated: string;
  beforeAll(async () => {
    dir = join(tmp, 'stream');
    await writeClasses(dir, 3, ['n0', 'n1']);
    // A JPEG cut short in its scan data (noise makes the scan most of the file): its header
    // reads fine, decoding fails.
    const noise = Uint8Array.from({ length: 64 * 64 * 3 }, (_, i) => (i * 7919) % 251);
    const full = await sharp(noise, { raw: { width: 64, height: 64, channels: 3 } })
      .jpeg()
      .toBuffer();
    truncated = join(dir, 'n1', 'img99.jpg');
    await writeFile(truncated, full.subarray(0, Math.floor(full.length / 2)));
  });

  it('skip: a file that fails while training is left out of its batch and reported', async () => {
    const ds = await loadImageFolder({ dir, shape: [4, 4, 3], onBadFile: 'skip' });
    expect(ds.badFiles).toEqual([]); // the header check passes
    const src = ds.train;
    const bad = src.files.indexOf(truncated);
    expect(bad).toBe(6);
    const batch = await src.readBatch([0, bad, 3]);
    expect(batch.count).toBe(2);
    expect(batch.skipped).toEqual([1]);
    expect(Array.from(batch.labels)).toEqual([0, 1]);
    expect(src.badFiles.map((b) => b.path)).toEqual([truncated]);
    // libvips words a truncated JPEG differently from run to run (its error buffer is shared by
    // threads): any of its decode messages will do, the path is what matters.
    expect(src.badFiles[0]?.reason).toMatch(/premature end|truncated|jpeg|treated as error/i);
    // Reported once, and not decoded again.
    await src.readBatch([bad]);
    expect(src.badFiles).toHaveLength(1);
    const all = await readAllImages(src);
    expect(all.count).toBe(6);
  });

  it('fail: reading the truncated file throws an error naming it; verify "decode" finds it at load', async () => {
    const ds = await loadImageFolder({ dir, shape: [4, 4, 3] });
    await expect(ds.train.readBatch([0, ds.train.files.indexOf(truncated)])).rejects.toThrow(truncated);
    await expect(loadImageFolder({ dir, shape: [4, 4, 3], verify: 'decode' })).rejects.toThrow(truncated);
    const skipped = await loadImageFolder({ dir, shape: [4, 4, 3], verify: 'decode', onBadFile: 'skip' });
    expect(skipped.badFiles.map((b) => b.path)).toEqual([truncated]);
    expect(skipped.train.count).toBe(6);
  });

  it('caches decoded images within its byte bound', async () => {
    const files = Array.from({ length: 4 }, (_, i) => join(dir, 'n0', `img0${i % 3}.${i % 3 === 1 ? 'png' : 'jpg'}`));
    const make = (cacheBytes: number) =>
      createFolderSource({ files, labels: new Uint8Array(4), classNames: ["n0"], shape: [4, 4, 3], cacheBytes, concurrency: 1 });
    const two = make(2 * 48); // room for two images
    await two.readBatch([0, 1, 2]);
    await two.readBatch([1, 2, 0]);
    // [0, 1, 2] leaves 1 and 2 cached; then 1 and 2 hit, 0 is decoded again.
    expect(two.stats).toEqual({ decoded: 4, cacheHits: 2 });
    const none = make(0);
    await none.readBatch([0, 0]);
    expect(none.stats).toEqual({ decoded: 2, cacheHits: 0 });
  });
});

describe('memory source', () => {
  it('copies batches in request order and rejects bad indices', async () => {
    const split = { images: Uint8Array.from([1, 2, 3, 4, 5, 6]), labels: Uint8Array.from([0, 2, 1]), count: 3 };
    const src = createMemorySource({ split, shape: [1, 2, 1] });
    expect(src.classNames).toEqual(['0', '1', '2']);
    const b = await src.readBatch([2, 0]);
    expect(Array.from(b.images)).toEqual([5, 6, 1, 2]);
    expect(Array.from(b.labels)).toEqual([1, 0]);
    b.images[0] = 99;
    expect(split.images[4]).toBe(5);
    await expect(src.readBatch([3])).rejects.toThrow(/outside \[0, 3\)/);
    expect(await readAllImages(src, { batchSize: 2 })).toEqual(split);
  });
});
