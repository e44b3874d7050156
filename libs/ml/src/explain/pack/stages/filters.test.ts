import { describe, expect, it } from 'vitest';
import type { LayerInfo } from '../../graph';
import { downscale, filterPriority, storedSize } from './filters';

const layer = (path: string, className: string): LayerInfo => ({
  path,
  className,
  outputShape: [null, 8, 8, 4],
  nested: false,
});

describe('filters stage helpers', () => {
  it('computes the first conv layer, then the CAM layer’s conv, then the rest in order', () => {
    const layers = ['conv1', 'pool1', 'conv2', 'conv3', 'pool3', 'conv4'].map((p) =>
      layer(p, p.startsWith('conv') ? 'Conv2D' : 'MaxPooling2D'),
    );
    const convs = layers.filter((l) => l.className === 'Conv2D');
    const paths = (cam: string | null) =>
      filterPriority(convs, { layers, cam: { layer: cam, methods: [] } }).map((l) => l.path);
    expect(paths('pool3')).toEqual(['conv1', 'conv3', 'conv2', 'conv4']);
    expect(paths('conv4')).toEqual(['conv1', 'conv4', 'conv2', 'conv3']);
    expect(paths('conv1')).toEqual(['conv1', 'conv2', 'conv3', 'conv4']);
    expect(paths(null)).toEqual(['conv1', 'conv2', 'conv3', 'conv4']);
  });

  it('stores patterns with their longest side at most filterCanvas, area-averaged', () => {
    expect(storedSize([56, 56], 64)).toEqual([56, 56]);
    expect(storedSize([150, 100], 64)).toEqual([64, 43]);
    // 4 x 4 two-channel image to 2 x 2: each output is the mean of a 2 x 2 block.
    const img = Uint8Array.from({ length: 32 }, (_, i) => i);
    const out = downscale(img, [4, 4, 2], [2, 2]);
    // Block (0, 0), channel 0: pixels (0,0) (0,1) (1,0) (1,1) = values 0, 2, 8, 10.
    expect(Array.from(out)).toEqual([5, 6, 9, 10, 21, 22, 25, 26]);
    expect(downscale(img, [4, 4, 2], [4, 4])).toBe(img);
  });
});
