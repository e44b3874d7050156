// libs/viz cannot import libs/ml, so it carries its own copy of the colormap tables: they must
// stay byte-identical to the ones the server-side renderer uses.
import { describe, expect, it } from 'vitest';
import { colormapTable } from '../../libs/ml/src/explain/colormap';
import { colormapLut } from '../../libs/viz/src/colormap';

describe('colormap tables', () => {
  it.each(['viridis', 'magma', 'jet', 'rdbu_r'] as const)(
    '%s is the same in libs/viz and libs/ml',
    (name) => {
      expect(colormapLut(name)).toHaveLength(768);
      expect(Array.from(colormapLut(name))).toEqual(Array.from(colormapTable(name)));
    },
  );
});
