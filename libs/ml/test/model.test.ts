import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import {
  buildModel,
  getPreset,
  serializeModel,
  summarizeModel,
  selectBackend,
  BackendUnavailableError,
} from '../src/index';
import { first } from '../src/util/checked';

beforeAll(async () => {
  await selectBackend({ requested: 'wasm' });
});

describe('fmnist-cnn preset', () => {
  it('has the specified architecture and parameter counts (computed by hand)', () => {
    const model = buildModel(getPreset('fmnist-cnn'));
    const s = summarizeModel(model);
    expect(s.layers.map((l) => [l.className, l.outputShape, l.params])).toEqual([
      ['Conv2D', [28, 28, 32], 3 * 3 * 1 * 32 + 32],
      ['MaxPooling2D', [14, 14, 32], 0],
      ['Conv2D', [14, 14, 64], 3 * 3 * 32 * 64 + 64],
      ['MaxPooling2D', [7, 7, 64], 0],
      ['Flatten', [3136], 0],
      ['Dense', [128], 7 * 7 * 64 * 128 + 128],
      ['Dropout', [128], 0],
      ['Dense', [10], 128 * 10 + 10],
    ]);
    expect(s.totalParams).toBe(320 + 18496 + 401536 + 1290);
    expect(s.trainableParams).toBe(s.totalParams);
    model.dispose();
  });

  it('gives identical initial weights for the same seed and different ones otherwise', () => {
    const a = buildModel(getPreset('fmnist-cnn'), { seed: 1 });
    const b = buildModel(getPreset('fmnist-cnn'), { seed: 1 });
    const c = buildModel(getPreset('fmnist-cnn'), { seed: 2 });
    const w = (m: tf.LayersModel) => Array.from(first(m.getWeights(), 'a weight').dataSync());
    expect(w(a)).toEqual(w(b));
    expect(w(a)).not.toEqual(w(c));
    [a, b, c].forEach((m) => m.dispose());
  });

  it('rejects unknown presets with the list of known ones', () => {
    expect(() => getPreset('nope')).toThrow(/unknown preset "nope"; available: fmnist-cnn/);
  });

  it('serialises to model.json + weights.bin that load back to the same predictions', async () => {
    const model = buildModel(getPreset('fmnist-cnn'), { seed: 3 });
    const { modelJson, weights } = await serializeModel(model);
    const json = JSON.parse(new TextDecoder().decode(modelJson));
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(weights.byteLength).toBe(421642 * 4);
    const loaded = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest[0].weights,
        weightData: weights.slice().buffer,
      }),
    );
    const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 9);
    const p1 = model.predict(x) as tf.Tensor;
    const p2 = loaded.predict(x) as tf.Tensor;
    expect(Array.from(p2.dataSync())).toEqual(Array.from(p1.dataSync()));
    tf.dispose([x, p1, p2]);
    model.dispose();
    loaded.dispose();
  });
});

describe('selectBackend', () => {
  it('explains an unknown or unavailable backend', async () => {
    await expect(selectBackend({ requested: 'quantum' })).rejects.toThrow(
      /backend "quantum" is not available: unknown backend; choose one of/,
    );
    await expect(selectBackend({ requested: 'tensorflow' })).rejects.toThrow(
      BackendUnavailableError,
    );
    await selectBackend({ requested: 'wasm' });
    expect(tf.getBackend()).toBe('wasm');
  });
});
