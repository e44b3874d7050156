import { describe, expect, it } from 'vitest';
import { checkResultSize, jobParams } from './image';

describe('IMAGE handler checks', () => {
  it('reads stored params, with or without methods, and refuses unknown ones saying why', () => {
    const stored = {
      method: 'gradcam',
      classIndex: null,
      layer: null,
      topK: 5,
      activationsLayer: null,
    };
    expect(jobParams({ id: 'j', params: stored })).toEqual(stored);
    expect(
      jobParams({ id: 'j', params: { ...stored, methods: ['saliency', 'integrated-gradients'] } })
        .methods,
    ).toEqual(['saliency', 'integrated-gradients']);
    expect(() => jobParams({ id: 'j', params: { ...stored, methods: ['lime'] } })).toThrow(
      /job j has parameters this worker does not understand/,
    );
  });

  it('fails a result over the stored size with the sizes and what to do', () => {
    const result = { heatmap: 'x'.repeat(3 * 1024 * 1024) };
    expect(() => checkResultSize(result, 4 * 1024 * 1024)).not.toThrow();
    expect(() => checkResultSize(result, 2 * 1024 * 1024)).toThrow(
      /^the explanation is 3\.0 MiB of JSON, over the 2 MiB the API stores: ask for fewer methods$/,
    );
  });
});
