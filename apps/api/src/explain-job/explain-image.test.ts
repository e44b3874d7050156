import { describe, expect, it } from 'vitest';
import {
  canonicalParams,
  explainCacheKey,
  hasLayer,
  parseExplainParams,
  readModelInfo,
} from './explain-image';

describe('explain request checks', () => {
  it('parses parameters from strings with defaults, refusing bad values by name', () => {
    expect(parseExplainParams({})).toEqual({
      method: 'gradcam',
      methods: ['gradcam'],
      classIndex: null,
      layer: null,
      topK: 5,
      activationsLayer: null,
    });
    expect(
      parseExplainParams({ method: 'eigencam', classIndex: '3', topK: '2', layer: 'a/b' }),
    ).toMatchObject({ method: 'eigencam', classIndex: 3, topK: 2, layer: 'a/b' });
    expect(() => parseExplainParams({ method: 'lime' })).toThrow(/method must be one of/);
    expect(() => parseExplainParams({ classIndex: '-1' })).toThrow(/classIndex/);
    expect(() => parseExplainParams({ topK: '1.5' })).toThrow(/topK/);
    expect(() => parseExplainParams({ topK: '101' })).toThrow(/topK/);
  });

  it('parses methods from a list or a comma-separated string; the CAM method follows the first CAM listed', () => {
    expect(parseExplainParams({ methods: 'saliency, layercam,saliency' })).toMatchObject({
      method: 'layercam',
      methods: ['saliency', 'layercam'],
    });
    expect(parseExplainParams({ methods: ['integrated-gradients'] })).toMatchObject({
      method: 'gradcam',
      methods: ['integrated-gradients'],
    });
    expect(() => parseExplainParams({ methods: ['lime'] })).toThrow(
      /methods must list methods out of gradcam/,
    );
    expect(() => parseExplainParams({ methods: [] })).toThrow(/1 to 4 methods, got 0/);
    expect(() =>
      parseExplainParams({
        methods: ['gradcam', 'saliency', 'smoothgrad', 'eigencam', 'layercam'],
      }),
    ).toThrow(/1 to 4 methods, got 5/);
  });

  it('keeps the cache key of a single-method job as it was before methods existed', () => {
    const p = parseExplainParams({ method: 'eigencam' });
    // The canonical text of a job stored before `methods` (no methods key).
    expect(canonicalParams(p)).toBe(
      '{"method":"eigencam","classIndex":null,"layer":null,"topK":5,"activationsLayer":null}',
    );
    const both = parseExplainParams({ methods: 'eigencam,saliency' });
    expect(explainCacheKey('x', both)).not.toBe(explainCacheKey('x', p));
    // A stored sample is its own job even when its pixels equal an upload's.
    expect(explainCacheKey('x', p, { split: 'test', index: 3 })).not.toBe(explainCacheKey('x', p));
    expect(explainCacheKey('x', p, { split: 'test', index: 3 })).not.toBe(
      explainCacheKey('x', p, { split: 'test', index: 4 }),
    );
  });

  it('keys the cache on the image hash and the canonical parameters, whatever their order', () => {
    const a = parseExplainParams({ topK: '3', method: 'gradcam' });
    const b = parseExplainParams({ method: 'gradcam', topK: 3 });
    expect(canonicalParams(a)).toBe(canonicalParams(b));
    expect(explainCacheKey('x', a)).toBe(explainCacheKey('x', b));
    expect(explainCacheKey('y', a)).not.toBe(explainCacheKey('x', a));
    expect(explainCacheKey('x', { ...a, topK: 4 })).not.toBe(explainCacheKey('x', a));
  });

  it('reads the input shape, layer names and weight files of Sequential and functional model.json', () => {
    const sequential = readModelInfo(
      JSON.stringify({
        modelTopology: {
          class_name: 'Sequential',
          config: {
            layers: [
              {
                class_name: 'Conv2D',
                config: { name: 'c1', batch_input_shape: [null, 28, 28, 1] },
              },
              {
                class_name: 'Sequential',
                config: { name: 'base', layers: [{ class_name: 'Dense', config: { name: 'd' } }] },
              },
            ],
          },
        },
        weightsManifest: [{ paths: ['weights.bin'], weights: [] }],
      }),
    );
    expect(sequential.inputShape).toEqual([28, 28, 1]);
    expect([...sequential.layerNames].sort()).toEqual(['base', 'c1', 'd']);
    expect(sequential.weightFiles).toEqual(['weights.bin']);
    expect(hasLayer(sequential, 'base/d')).toBe(true);
    expect(hasLayer(sequential, 'base/x')).toBe(false);

    const functional = readModelInfo(
      JSON.stringify({
        modelTopology: {
          model_config: {
            class_name: 'Model',
            config: {
              input_layers: [['in', 0, 0]],
              layers: [
                { name: 'conv', class_name: 'Conv2D', config: { name: 'conv' } },
                {
                  name: 'in',
                  class_name: 'InputLayer',
                  config: { name: 'in', batch_input_shape: [null, 32, 32, 3] },
                },
              ],
            },
          },
        },
        weightsManifest: [{ paths: ['a.bin', 'b.bin'], weights: [] }],
      }),
    );
    expect(functional.inputShape).toEqual([32, 32, 3]);
    expect(functional.weightFiles).toEqual(['a.bin', 'b.bin']);
    expect(() => readModelInfo('{')).toThrow(/not JSON/);
    expect(() => readModelInfo('{"weightsManifest": []}')).toThrow(/no modelTopology/);
  });
});
