import { describe, expect, it } from 'vitest';
import { isSnapshotFile, parseProbes } from './snapshots';

describe('snapshot files', () => {
  it('decodes the probes file and refuses what is not one', () => {
    const probes = parseProbes({
      version: 1,
      classNames: ['a', 'b'],
      imageShape: [2, 2, 1],
      storedShape: [2, 2, 1],
      probes: [
        { index: 4, label: 0 },
        { index: 9, label: 1 },
      ],
      images: Buffer.from([0, 1, 2, 3, 250, 251, 252, 253]).toString('base64'),
    });
    expect(probes?.storedShape).toEqual([2, 2, 1]);
    expect(Array.from(probes!.pixels)).toEqual([0, 1, 2, 3, 250, 251, 252, 253]);
    expect(
      parseProbes({ version: 1, classNames: [], storedShape: [2, 2], probes: [], images: '' }),
    ).toBeNull();
    expect(parseProbes(null)).toBeNull();
  });
  it('recognises a snapshot file by its version, epoch, phase and predictions', () => {
    expect(isSnapshotFile({ version: 1, epoch: 3, phase: 'head', predictions: [] })).toBe(true);
    expect(isSnapshotFile({ version: 2, epoch: 3, phase: 'head', predictions: [] })).toBe(false);
    expect(isSnapshotFile({ version: 1, phase: 'head', predictions: [] })).toBe(false);
    expect(isSnapshotFile('snapshot')).toBe(false);
  });
});
