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

  it('scales the extent as large as fits, the same on both axes, centred, y down', () => {
    // Extent x 0..1, y 0.25..0.75 (2:1); box 300 x 200 less 10 each side: 280 / 1 vs 180 / 0.5,
    // scale 280; x from 10 to 290, y spans 140 centred: 30 to 170.
    expect(Array.from(pos.sx)).toEqual([10, 290, 10, 290]);
    expect(Array.from(pos.sy)).toEqual([170, 170, 30, 30]);
    // A degenerate layout (one point) sits in the middle.
    const one = screenPositions(
      { x: Float32Array.of(0.3), y: Float32Array.of(0.6), points: 1 },
      { width: 100, height: 50, padding: 5 },
    );
    expect([one.sx[0], one.sy[0]]).toEqual([50, 25]);
  });

  it('finds the point under the pointer within the radius, through a zoom', () => {
    const index = buildPointIndex(pos);
    expect(hitTest(index, { x: 12, y: 168 }, { k: 1, x: 0, y: 0 }, 5)).toBe(0);
    expect(hitTest(index, { x: 100, y: 100 }, { k: 1, x: 0, y: 0 }, 5)).toBeNull();
    // Zoomed 2x and panned by (-50, -20): point 3 (290, 30) is drawn at (530, 40).
    expect(hitTest(index, { x: 531, y: 41 }, { k: 2, x: -50, y: -20 }, 4)).toBe(3);
    // 4 screen px at 2x is 2 base px: a pointer 6 screen px away misses.
    expect(hitTest(index, { x: 536, y: 40 }, { k: 2, x: -50, y: -20 }, 4)).toBeNull();
  });

  it('lists nearest points, and finds a sample in a subset layout', () => {
    const index = buildPointIndex(pos);
    // Point 2 is 140 px above point 0, point 1 280 px to its right.
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
