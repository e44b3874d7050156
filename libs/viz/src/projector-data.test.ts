import { describe, expect, it } from 'vitest';
import {
  buildPointIndex,
  classColor,
  confidenceColor,
  hitTest,
  isMisclassified,
  layoutCaption,
  nearestPoints,
  parseProjector,
  pointColors,
  pointOfSample,
  projectorLegend,
  screenPositions,
} from './projector-data';

const b64 = (a: ArrayBufferView) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

// Four samples; PCA lays out all of them on a 2:1 box, t-SNE a subset of two.
function artifact(overrides: Record<string, unknown> = {}) {
  return {
    version: 1,
    count: 4,
    classNames: ['cat', 'dog', 'owl'],
    imageShape: [2, 2, 1],
    featureLayer: 'dense',
    featureDim: 8,
    labels: b64(Uint16Array.from([0, 1, 2, 1])),
    predicted: b64(Uint16Array.from([0, 2, 2, 1])),
    confidence: b64(Uint16Array.from([65535, 32768, 0, 13107])),
    layouts: [
      {
        method: 'pca',
        points: 4,
        coords: b64(Uint16Array.from([0, 0, 65535, 0, 0, 65535, 65535, 65535])),
        bounds: [-2, 2, 0, 2],
        seconds: 0.1,
        params: { components: 2 },
      },
      {
        method: 'tsne',
        points: 2,
        indices: b64(Uint32Array.from([1, 3])),
        coords: b64(Uint16Array.from([0, 0, 65535, 65535])),
        bounds: [0, 1, 0, 1],
        seconds: 1,
        params: { seed: 1 },
      },
    ],
    timings: { total: 1.2 },
    skipped: [{ what: 'umap', reason: 'time budget of 60 s spent' }],
    ...overrides,
  };
}

describe('parseProjector', () => {
  it('decodes labels, predictions, confidences and layouts, keeping the aspect ratio', () => {
    const d = parseProjector(artifact());
    expect(Array.from(d.labels)).toEqual([0, 1, 2, 1]);
    expect(Array.from(d.predicted)).toEqual([0, 2, 2, 1]);
    expect(d.confidence[0]).toBe(1);
    expect(d.confidence[1]).toBeCloseTo(0.5, 4);
    const pca = d.layouts[0]!;
    // x spans 4, y spans 2: x fills [0, 1], y is centred in [0.25, 0.75].
    expect(Array.from(pca.x)).toEqual([0, 1, 0, 1]);
    expect(Array.from(pca.y)).toEqual([0.25, 0.25, 0.75, 0.75]);
    expect(Array.from(pca.samples)).toEqual([0, 1, 2, 3]);
    expect(Array.from(d.layouts[1]!.samples)).toEqual([1, 3]);
    expect(d.skipped[0]!.what).toBe('umap');
  });

  it('refuses malformed artifacts with a message naming the part', () => {
    expect(() => parseProjector({ version: 2 })).toThrow(/version 1/);
    expect(() => parseProjector(artifact({ labels: b64(Uint16Array.from([0])) }))).toThrow(
      /labels: 2 bytes, expected 8/,
    );
    const bad = artifact();
    bad.layouts[1]!.indices = b64(Uint32Array.from([1, 9]));
    expect(() => parseProjector(bad)).toThrow(/tsne: sample index out of range/);
  });
});

describe('colours and legend', () => {
  const d = parseProjector(artifact());
  it('colours by true class, predicted class or confidence', () => {
    const pca = d.layouts[0]!;
    expect(pointColors(d, pca, 'label')).toEqual([0, 1, 2, 1].map((c) => classColor(c, 3)));
    expect(pointColors(d, pca, 'predicted')).toEqual([0, 2, 2, 1].map((c) => classColor(c, 3)));
    expect(pointColors(d, d.layouts[1]!, 'confidence')).toEqual([
      confidenceColor(32768 / 65535),
      confidenceColor(0.2),
    ]);
    expect(classColor(0, 3)).toBe('#4e79a7'); // Tableau 10's first
    expect(classColor(3, 3)).not.toBe(classColor(0, 3));
    expect(classColor(0, 20)).not.toBe(classColor(10, 20)); // no cycling past ten classes
  });

  it('legends name every class, or confidence stops from 0 to 1', () => {
    expect(projectorLegend(d, 'label').map((e) => e.label)).toEqual(['cat', 'dog', 'owl']);
    const conf = projectorLegend(d, 'confidence');
    expect(conf.map((e) => e.label)).toEqual(['0.00', '0.25', '0.50', '0.75', '1.00']);
    expect(conf[0]!.color).toBe(confidenceColor(0));
  });

  it('marks misclassified samples', () => {
    expect([0, 1, 2, 3].map((s) => isMisclassified(d, s))).toEqual([false, true, false, false]);
  });
});

describe('positions and hit testing', () => {
  const d = parseProjector(artifact());
  const pca = d.layouts[0]!;
  const pos = screenPositions(pca, { width: 300, height: 200, padding: 10 });

  it('fits the unit square in the box, centred, y down', () => {
    // size = min(300, 200) - 20 = 180, offset x (300 - 180) / 2 = 60, y 10.
    expect(Array.from(pos.sx)).toEqual([60, 240, 60, 240]);
    expect(Array.from(pos.sy)).toEqual([145, 145, 55, 55]);
  });

  it('finds the point under the pointer within the radius, through a zoom', () => {
    const index = buildPointIndex(pos);
    expect(hitTest(index, { x: 62, y: 143 }, { k: 1, x: 0, y: 0 }, 5)).toBe(0);
    expect(hitTest(index, { x: 100, y: 100 }, { k: 1, x: 0, y: 0 }, 5)).toBeNull();
    // Zoomed 2x and panned by (-50, -20): point 3 (240, 55) is drawn at (430, 90).
    expect(hitTest(index, { x: 431, y: 91 }, { k: 2, x: -50, y: -20 }, 4)).toBe(3);
    // 4 screen px at 2x is 2 base px: a pointer 6 screen px away misses.
    expect(hitTest(index, { x: 436, y: 90 }, { k: 2, x: -50, y: -20 }, 4)).toBeNull();
  });

  it('lists nearest points, and finds a sample in a subset layout', () => {
    const index = buildPointIndex(pos);
    // Point 2 is 90 px above point 0, point 1 180 px to its right.
    expect(nearestPoints(index, 0, 2)).toEqual([2, 1]);
    expect(pointOfSample(d.layouts[1]!, 3)).toBe(1);
    expect(pointOfSample(d.layouts[1]!, 0)).toBeNull();
  });

  it('captions a subset with its size', () => {
    expect(layoutCaption(d.layouts[1]!, 4)).toBe('t-SNE of 2 points');
    expect(layoutCaption(pca, 4)).toBe('PCA');
    expect(layoutCaption({ method: 'tsne', points: 2000 }, 10000)).toBe('t-SNE of 2,000 points');
  });
});
