/** Activation statistics of every layer on a batch, computed on the device (3 numbers per layer). */
import * as tf from '@tensorflow/tfjs';
import { forwardWalk, listLayers } from '../graph';
import type { LayerActivationStats } from './types';

/**
 * Mean, population standard deviation and zero fraction of each layer's output (over every
 * value of the batch) in one eager forward pass (inference mode). Only the statistics are
 * downloaded, so large activations never leave the device. Nested models themselves are left
 * out (their last inner layer is listed).
 */
export function layerActivationStats(
  model: tf.LayersModel,
  images: tf.Tensor4D,
): LayerActivationStats[] {
  const infos = listLayers(model).filter((l) => !l.nested);
  const wanted = new Map(infos.map((l) => [l.path, l.className]));
  const order: string[] = [];
  const stats = tf.tidy(() => {
    const rows: tf.Tensor1D[] = [];
    forwardWalk({
      model,
      input: images,
      after: (path, _layer, outs) => {
        const out = outs[0];
        if (!out || !wanted.has(path) || order.includes(path)) return;
        const x = tf.cast(out, 'float32');
        const { mean, variance } = tf.moments(x);
        const zeros = tf.mean(tf.cast(tf.equal(x, 0), 'float32'));
        rows.push(tf.stack([mean, tf.sqrt(variance), zeros]) as tf.Tensor1D);
        order.push(path);
      },
    });
    return rows.length > 0 ? tf.stack(rows) : tf.zeros([0, 3]);
  });
  const values = stats.dataSync();
  stats.dispose();
  return order.map((layer, i) => ({
    layer,
    className: wanted.get(layer) ?? '',
    mean: round(values[i * 3]!),
    std: round(values[i * 3 + 1]!),
    zeroFraction: round(values[i * 3 + 2]!),
  }));
}

// Six significant digits: plenty for a table and a sparkline, and short JSON.
function round(v: number): number {
  return Number.isFinite(v) ? Number(v.toPrecision(6)) : v;
}
