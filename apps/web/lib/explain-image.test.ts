import { DEFAULT_HEATMAP_COLORMAP, blendHeatmap } from '@convscope/viz';
import { describe, expect, it } from 'vitest';
import {
  camLayers,
  errorMessage,
  explainUrl,
  heatmapRgba,
  runClassNames,
  summaryLayers,
} from './explain-image';
import type { Json } from './json';

describe('explain-image helpers', () => {
  const summary: Json = {
    layers: [
      { name: 'conv1', outputShape: [26, 26, 32] },
      { name: 'pool1', outputShape: [13, 13, 32] },
      { name: 'flatten', outputShape: [5408] },
      { name: 'predictions', outputShape: [10] },
      { name: 7, outputShape: [1] },
    ],
  };

  it('offers the spatial layers for the CAM and every layer for activations', () => {
    const layers = summaryLayers(summary);
    expect(layers.map((l) => l.name)).toEqual(['conv1', 'pool1', 'flatten', 'predictions']);
    expect(camLayers(layers).map((l) => l.name)).toEqual(['conv1', 'pool1']);
    expect(summaryLayers(null)).toEqual([]);
  });

  it('takes class names from the evaluation, else the dataset info', () => {
    expect(runClassNames(['a', 'b'], { classNames: ['x'] })).toEqual(['a', 'b']);
    expect(runClassNames(undefined, { classNames: ['x', 2] })).toEqual(['x', '2']);
    expect(runClassNames([], null)).toEqual([]);
  });

  it('builds the same-origin request URL with only the parameters set', () => {
    expect(
      explainUrl('r 1', {
        method: 'scorecam',
        classIndex: 0,
        layer: 'conv2',
        activationsLayer: null,
        topK: 3,
        wait: 20,
      }),
    ).toBe('/explain-api/runs/r%201?method=scorecam&topK=3&wait=20&classIndex=0&layer=conv2');
  });

  it('words API errors by status and keeps the API message', () => {
    expect(errorMessage(413, { code: 'IMAGE_TOO_LARGE', message: 'over 16 MiB' })).toBe(
      'Image too large: over 16 MiB',
    );
    expect(errorMessage(400, { message: 'The PNG image is corrupt: x' })).toBe(
      'Rejected: The PNG image is corrupt: x',
    );
    expect(errorMessage(502, 'html')).toBe('Server error (HTTP 502)');
  });

  it("colours a map with matplotlib's jet, as the explanations page does", () => {
    const rows = [
      [0, 1, 0.5],
      [0.25, -3, Number.NaN],
    ];
    const rgba = heatmapRgba(rows);
    // jet from the shared tables: dark blue (0, 0, 127) at 0, dark red (127, 0, 0) at 1, out of
    // range and NaN clamped to the first entry (the hand-made jet drew 128s here).
    expect(Array.from(rgba.subarray(0, 8))).toEqual([0, 0, 127, 255, 127, 0, 0, 255]);
    expect(Array.from(rgba.subarray(16, 24))).toEqual([0, 0, 127, 255, 0, 0, 127, 255]);
    // What GradCamView draws at full alpha in its first colormap, pixel for pixel.
    const explanationsPage = blendHeatmap({
      image: new Uint8ClampedArray(6 * 4),
      heatmap: rows.flat(),
      alpha: 1,
      colormap: DEFAULT_HEATMAP_COLORMAP,
    });
    expect(Array.from(rgba)).toEqual(Array.from(explanationsPage));
    expect(() => heatmapRgba([[0, 1], [0]])).toThrow(/rows differ/);
    expect(heatmapRgba([])).toHaveLength(0);
  });
});
