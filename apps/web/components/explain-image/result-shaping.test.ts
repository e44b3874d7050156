import { describe, expect, it } from 'vitest';
import type { ExplainResult } from '../../lib/explain-image';
import {
  MAX_METHODS,
  channelSummary,
  conversionNote,
  explainMethodsUrl,
  formatValue,
  gridTiles,
  methodLabel,
  rankedMethodResults,
  toggleMethod,
  type MethodResult,
  type UploadResult,
} from './result-shaping';

describe('method picker', () => {
  it('keeps the picker order, at least one and at most MAX_METHODS methods', () => {
    expect(toggleMethod(['gradcam'], 'saliency', true)).toEqual(['gradcam', 'saliency']);
    // Order of the picker, not of the clicks.
    expect(toggleMethod(['saliency'], 'gradcam', true)).toEqual(['gradcam', 'saliency']);
    expect(toggleMethod(['gradcam'], 'gradcam', false)).toEqual(['gradcam']);
    const four = ['gradcam', 'gradcampp', 'layercam', 'saliency'];
    expect(four).toHaveLength(MAX_METHODS);
    expect(toggleMethod(four, 'smoothgrad', true)).toEqual(four);
    expect(toggleMethod(four, 'layercam', false)).toEqual(['gradcam', 'gradcampp', 'saliency']);
    expect(methodLabel('integrated-gradients')).toBe('Integrated gradients');
    expect(methodLabel('mystery')).toBe('mystery');
  });

  it('sends the methods comma-separated, with the optional fields only when set', () => {
    const url = explainMethodsUrl('run 1', {
      methods: ['gradcam', 'saliency'],
      classIndex: 3,
      layer: null,
      activationsLayer: 'conv1',
      topK: 5,
      wait: 20,
    });
    const [path, query] = url.split('?');
    expect(path).toBe('/explain-api/runs/run%201');
    expect(Object.fromEntries(new URLSearchParams(query))).toEqual({
      methods: 'gradcam,saliency',
      topK: '5',
      wait: '20',
      classIndex: '3',
      activationsLayer: 'conv1',
    });
  });
});

describe('conversion note', () => {
  it('names both sizes and channel counts when the image was converted', () => {
    expect(
      conversionNote({
        from: { width: 20, height: 10, channels: 3 },
        to: { width: 28, height: 28, channels: 1 },
        steps: ['RGB to grayscale', 'resized 20 × 10 to 28 × 28'],
      }),
    ).toEqual({
      changed: true,
      summary: "Converted from 20 × 10 RGB to 28 × 28 grayscale, the model's input.",
    });
    expect(
      conversionNote({
        from: { width: 28, height: 28, channels: 1 },
        to: { width: 28, height: 28, channels: 1 },
        steps: [],
      }),
    ).toEqual({
      changed: false,
      summary: "Used as uploaded: 28 × 28 grayscale, the model's input.",
    });
  });
});

const heat = [
  [0, 1],
  [1, 0],
];
function methodResult(method: string, insertionAuc: number, deletionAuc: number): MethodResult {
  return {
    method,
    classIndex: 0,
    className: 'T-shirt/top',
    layer: method === 'saliency' ? null : 'conv1',
    heatmapShape: [2, 2],
    heatmap: heat,
    faithfulness: { insertionAuc, deletionAuc },
  };
}
const base: ExplainResult = {
  predictions: [],
  cam: {
    method: 'gradcam',
    layer: 'conv1',
    classIndex: 0,
    className: 'T-shirt/top',
    score: 1,
    heatmapShape: [2, 2],
    heatmap: heat,
  },
  activations: {
    layer: 'conv1',
    shape: [2, 2, 1],
    statistics: { mean: [0], max: [0], zeroFraction: [0] },
    grid: null,
  },
};

describe('rankedMethodResults', () => {
  it('scores insertion − deletion and flags the most faithful, in the computed order', () => {
    const r: UploadResult = {
      ...base,
      methods: [methodResult('gradcam', 0.6, 0.3), methodResult('saliency', 0.7, 0.2)],
    };
    const ranked = rankedMethodResults(r);
    expect(ranked.map((m) => [m.method, m.best])).toEqual([
      ['gradcam', false],
      ['saliency', true],
    ]);
    expect(ranked[0]!.score).toBeCloseTo(0.3, 12);
    expect(ranked[1]!.score).toBeCloseTo(0.5, 12);
    expect(ranked[1]!.result.layer).toBeNull();
  });

  it("falls back to the result's one CAM, never flagged, without methods", () => {
    const ranked = rankedMethodResults(base);
    expect(ranked).toHaveLength(1);
    expect(ranked[0]!.method).toBe('gradcam');
    expect(ranked[0]!.best).toBe(false);
    expect(ranked[0]!.result.faithfulness).toBeNull();
  });
});

describe('gridTiles', () => {
  it("places channel k as libs/ml's channelGrid does (1 px padding, upscaled)", () => {
    // 5 channels of 2 x 3 (h x w) in 3 columns x 2 rows, scale 4: (3 * 4 + 1) * 4 = 52 wide.
    const tiles = gridTiles({ width: 52, height: 28, columns: 3, rows: 2, scale: 4 }, [2, 3, 5]);
    expect(tiles).toHaveLength(5);
    expect(tiles[0]).toEqual({ channel: 0, x: 4, y: 4, width: 12, height: 8 });
    // Channel 4: column 1, row 1 -> x = (1 + 1 * 4) * 4, y = (1 + 1 * 3) * 4.
    expect(tiles[4]).toEqual({ channel: 4, x: 20, y: 16, width: 12, height: 8 });
  });

  it('gives no tiles when the size does not match the layout or fields are missing', () => {
    expect(gridTiles({ width: 50, height: 28, columns: 3, rows: 2, scale: 4 }, [2, 3, 5])).toEqual(
      [],
    );
    expect(gridTiles({ width: 52, height: 28 }, [2, 3, 5])).toEqual([]);
  });
});

describe('channelSummary', () => {
  it('reads channel k, with 0 as the minimum of a channel that has zeros', () => {
    const stats = { max: [1, 2.5], mean: [0.5, 1], zeroFraction: [0, 0.25] };
    expect(channelSummary(stats, 1)).toEqual({ min: 0, max: 2.5, mean: 1, zeroFraction: 0.25 });
    expect(channelSummary(stats, 0).min).toBeNull();
    expect(channelSummary({ ...stats, min: [-1, -2] }, 1).min).toBe(-2);
    expect(channelSummary(stats, 9)).toEqual({
      min: null,
      max: null,
      mean: null,
      zeroFraction: null,
    });
  });

  it('formats values in 3 significant digits', () => {
    expect([0, 12.345, 0.012345, 123456, 0.0001234, null].map(formatValue)).toEqual([
      '0',
      '12.3',
      '0.0123',
      '1.23e+5',
      '1.23e-4',
      '—',
    ]);
  });
});
