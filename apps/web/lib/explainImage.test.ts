import { describe, expect, it } from 'vitest';
import {
  camLayers,
  errorMessage,
  explainUrl,
  heatmapRgba,
  jet,
  runClassNames,
  summaryLayers,
} from './explainImage';
import type { Json } from './types';

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

  it('colours 0 blue, 0.5 green-ish and 1 red, clamping the rest', () => {
    expect(jet(0)).toEqual([0, 0, 128]);
    expect(jet(1)).toEqual([128, 0, 0]);
    expect(jet(0.5)).toEqual([128, 255, 128]);
    expect(jet(-3)).toEqual(jet(0));
    expect(jet(Number.NaN)).toEqual(jet(0));
    const rgba = heatmapRgba([
      [0, 1],
      [1, 0],
    ]);
    expect(Array.from(rgba.subarray(0, 8))).toEqual([0, 0, 128, 255, 128, 0, 0, 255]);
  });
});
