import { describe, expect, it } from 'vitest';
import {
  EXPLAIN_METHODS,
  explainHref,
  flatHeatmap,
  methodLabel,
  parseExplainParams,
  rankMaps,
  readSampleResult,
  searchVariables,
  spatialLayers,
} from './explain-sample';

const q = (s: string) => new URLSearchParams(s);

describe('parseExplainParams', () => {
  it('reads sample, class, layer and a comma-separated method list', () => {
    expect(
      parseExplainParams(q('sample=12&class=3&layer=conv2&method=gradcam,LAYERCAM,smoothgrad')),
    ).toEqual({
      sample: 12,
      classIndex: 3,
      layer: 'conv2',
      methods: ['gradcam', 'layercam', 'smoothgrad'],
    });
  });

  it('drops what is malformed instead of refusing the page', () => {
    expect(parseExplainParams(q('sample=-1&class=1.5&layer=&method=nope,gradcam,gradcam'))).toEqual(
      { sample: null, classIndex: null, layer: null, methods: ['gradcam'] },
    );
    expect(parseExplainParams(q('sample=abc'))).toMatchObject({ sample: null, methods: [] });
  });

  it('accepts the enum spelling of integrated gradients and keeps at most 4 methods', () => {
    expect(
      parseExplainParams(
        q('method=INTEGRATED_GRADIENTS,gradcam,gradcampp,layercam,eigencam,scorecam'),
      ).methods,
    ).toEqual(['integrated-gradients', 'gradcam', 'gradcampp', 'layercam']);
  });

  it('round-trips through explainHref', () => {
    const href = explainHref('run 1', {
      sample: 40,
      classIndex: 0,
      layer: 'conv1',
      methods: ['gradcam', 'eigencam'],
    });
    expect(href).toBe(
      '/runs/run%201/explain?sample=40&class=0&layer=conv1&method=gradcam%2Ceigencam',
    );
    const parsed = parseExplainParams(new URL(href, 'http://x').searchParams);
    expect(parsed).toEqual({
      sample: 40,
      classIndex: 0,
      layer: 'conv1',
      methods: ['gradcam', 'eigencam'],
    });
    expect(explainHref('r')).toBe('/runs/r/explain');
  });
});

describe('searchVariables', () => {
  it('maps each search to a predictions filter and order', () => {
    expect(searchVariables({ by: 'index', index: 3 })).toBeNull();
    expect(searchVariables({ by: 'label', label: 2 })).toEqual({
      filter: { label: 2 },
      orderBy: 'INDEX',
      backward: false,
    });
    expect(searchVariables({ by: 'predicted', predicted: 5 })?.filter).toEqual({ predicted: 5 });
    expect(searchVariables({ by: 'cell', label: 1, predicted: 7 })?.filter).toEqual({
      label: 1,
      predicted: 7,
    });
  });

  it('orders by confidence, least confident as the descending order read backwards', () => {
    expect(
      searchVariables({
        by: 'confidence',
        min: 0.9,
        max: 0.2,
        order: 'least',
        misclassifiedOnly: true,
      }),
    ).toEqual({
      filter: { minConfidence: 0.2, maxConfidence: 0.9, misclassifiedOnly: true },
      orderBy: 'CONFIDENCE_DESC',
      backward: true,
    });
    expect(
      searchVariables({
        by: 'confidence',
        min: -3,
        max: NaN,
        order: 'most',
        misclassifiedOnly: false,
      }),
    ).toEqual({
      filter: { minConfidence: 0, maxConfidence: 1 },
      orderBy: 'CONFIDENCE_DESC',
      backward: false,
    });
  });
});

describe('spatialLayers', () => {
  it('keeps the layers with [h, w, c] outputs', () => {
    expect(
      spatialLayers([
        { name: 'conv1', shape: [26, 26, 8] },
        { name: 'flatten', shape: [5408] },
        { name: 'pool', shape: [13, 13, 8] },
        { name: 'dense', shape: [10] },
      ]).map((l) => l.name),
    ).toEqual(['conv1', 'pool']);
  });
});

describe('readSampleResult', () => {
  const heat = [
    [0, 0.5],
    [1, 0.25],
  ];

  it('reads predictions, each method map with its faithfulness, and the source', () => {
    const r = readSampleResult({
      predictions: [{ classIndex: 2, className: 'c', probability: 0.7 }],
      cam: { method: 'gradcam', heatmap: heat },
      methods: [
        {
          method: 'GRADCAM',
          classIndex: 1,
          className: 'b',
          layer: 'conv1',
          heatmapShape: [2, 2],
          heatmap: heat,
          faithfulness: { deletionAuc: 0.2, insertionAuc: 0.6 },
        },
        {
          method: 'smoothgrad',
          classIndex: 1,
          className: 'b',
          layer: null,
          heatmap: heat,
          faithfulness: { deletionAuc: 0.1, insertionAuc: 0.7 },
        },
        { method: 'broken', heatmap: [[0], [1, 2]] },
      ],
      source: { split: 'test', index: 40 },
    });
    expect(r.predictions).toEqual([{ classIndex: 2, className: 'c', probability: 0.7 }]);
    expect(r.methods.map((m) => [m.method, m.layer, m.heatmapShape])).toEqual([
      ['gradcam', 'conv1', [2, 2]],
      ['smoothgrad', null, [2, 2]],
    ]);
    expect(r.source).toEqual({ split: 'test', index: 40 });
    expect(r.activations).toBeNull();
    // insertion - deletion: 0.4 and 0.6; SmoothGrad is the most faithful.
    const ranked = rankMaps(r.methods);
    expect(ranked.map((m) => m.best)).toEqual([false, true]);
    expect(ranked[0]?.score).toBeCloseTo(0.4, 12);
    expect(ranked[1]?.score).toBeCloseTo(0.6, 12);
  });

  it('falls back to result.cam when a result has no methods list', () => {
    const r = readSampleResult({
      cam: { method: 'eigencam', classIndex: 0, className: 'a', layer: 'conv1', heatmap: heat },
    });
    expect(r.methods).toHaveLength(1);
    expect(r.methods[0]).toMatchObject({ method: 'eigencam', faithfulness: null });
    expect(rankMaps(r.methods)[0]?.best).toBe(false);
    expect(readSampleResult(null)).toEqual({
      predictions: [],
      methods: [],
      source: null,
      activations: null,
    });
    expect(
      readSampleResult({ activations: { layer: 'conv1', shape: [28, 28, 32], grid: null } })
        .activations,
    ).toEqual({ layer: 'conv1', shape: [28, 28, 32], grid: null });
    expect(readSampleResult({ activations: { layer: 'conv1', shape: ['x'] } }).activations).toBe(
      null,
    );
  });
});

describe('helpers', () => {
  it('flattens a heatmap row by row', () => {
    expect(
      Array.from(
        flatHeatmap([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toEqual([1, 2, 3, 4]);
  });

  it('labels every method, and unknown names as themselves', () => {
    expect(EXPLAIN_METHODS).toHaveLength(8);
    expect(methodLabel('INTEGRATED_GRADIENTS')).toBe('Integrated gradients');
    expect(methodLabel('lime')).toBe('lime');
  });
});
