import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';
import type { LayerStatsEpoch } from '../../explain/layer-stats/types';
import type { MetricPointInput } from '../../tracking/run-tracker';
import type { ExperimentData } from '../experiment-data';
import type { EpochEndContext } from '../training-callback';
import { encodeBounded, layerStatsCallback } from './layer-stats';

function fakeTracker() {
  const points: MetricPointInput[] = [];
  const files = new Map<string, { body: LayerStatsEpoch; bytes: number; kind: string }>();
  let flushes = 0;
  return {
    points,
    files,
    get flushes() {
      return flushes;
    },
    log: (p: MetricPointInput | MetricPointInput[]) => {
      points.push(...(Array.isArray(p) ? p : [p]));
      return Promise.resolve();
    },
    flush: () => {
      flushes++;
      return Promise.resolve();
    },
    uploadArtifact: (name: string, bytes: Uint8Array, o: { kind: string }) => {
      const body = JSON.parse(new TextDecoder().decode(bytes)) as LayerStatsEpoch;
      files.set(name, { body, bytes: bytes.length, kind: o.kind });
      return Promise.resolve({} as never);
    },
  };
}

/** 20 images 4x4x1 in two classes; class 1 bright. */
function data(): ExperimentData {
  const images = new Uint8Array(20 * 16);
  const labels = new Uint8Array(20);
  for (let i = 0; i < 20; i++) {
    labels[i] = i % 2;
    images.fill(i % 2 ? 200 : 30, i * 16, (i + 1) * 16);
  }
  const split = { images, labels, count: 20 };
  return { full: {} as never, streamed: false, train: split, test: split, shape: [4, 4, 1] };
}

function model(): tf.LayersModel {
  const m = tf.sequential({
    layers: [
      tf.layers.conv2d({
        name: 'c1',
        inputShape: [4, 4, 1],
        filters: 2,
        kernelSize: 3,
        activation: 'relu',
      }),
      tf.layers.flatten(),
      tf.layers.dense({ name: 'predictions', units: 2, activation: 'softmax' }),
    ],
  });
  m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  return m;
}

const end = (m: tf.LayersModel, epoch: number): EpochEndContext => ({
  model: m,
  epoch,
  phase: 'head',
  logs: { loss: 1 } as EpochEndContext['logs'],
  improved: false,
});

describe('layerStatsCallback', () => {
  it('records every N epochs and the last: metrics at the epoch step, one bounded artifact each, no leak', async () => {
    const tracker = fakeTracker();
    const m = model();
    const cb = layerStatsCallback(tracker, {
      data: data(),
      seed: 3,
      options: { everyEpochs: 2, probeSize: 8 },
    })!;
    await cb.onTrainBegin!({ model: m, epochs: 5, batchesPerEpoch: 1, trainCount: 20 });
    const before = tf.memory().numTensors;
    for (let e = 0; e < 5; e++) await cb.onEpochEnd!(end(m, e));
    expect(tf.memory().numTensors).toBe(before);
    expect([...tracker.files.keys()]).toEqual([
      'histograms.e0002.json',
      'histograms.e0004.json',
      'histograms.e0005.json',
    ]);
    const f = tracker.files.get('histograms.e0004.json')!;
    expect(f.kind).toBe('layer-stats');
    expect(f.body.step).toBe(4);
    expect(f.body.probe).toEqual({ size: 8, seed: 3 });
    expect(f.body.layers.map((l) => l.name)).toEqual(['c1', 'predictions']);
    expect(f.body.layers[0]!.tensors.map((t) => `${t.weight}:${t.role}`)).toEqual([
      'kernel:value',
      'kernel:gradient',
      'bias:value',
      'bias:gradient',
    ]);
    expect(f.body.layers[0]!.tensors[0]!.counts).toHaveLength(30);
    expect(f.bytes).toBeLessThan(16_000);
    const names = [...new Set(tracker.points.map((p) => p.name))].sort();
    expect(names).toEqual([
      'dead_relu/c1',
      'grad_norm/c1',
      'grad_norm/predictions',
      'weight_norm/c1',
      'weight_norm/predictions',
    ]);
    expect(tracker.points.filter((p) => p.name === 'grad_norm/c1').map((p) => p.step)).toEqual([
      2, 4, 5,
    ]);
    const gradNorm = tracker.points.find(
      (p) => p.name === 'grad_norm/predictions' && p.step === 4,
    )!;
    expect(gradNorm.value).toBeCloseTo(f.body.layers[1]!.gradNorm!, 12);
    expect(tracker.flushes).toBe(3);
    m.dispose();
  });

  it('stores nothing, without failing the run, for a loss it cannot differentiate', async () => {
    const tracker = fakeTracker();
    const m = model();
    m.compile({ optimizer: 'sgd', loss: 'meanAbsoluteError' });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const cb = layerStatsCallback(tracker, { data: data(), seed: 3, options: {} })!;
    await cb.onTrainBegin!({ model: m, epochs: 1, batchesPerEpoch: 1, trainCount: 20 });
    await cb.onEpochEnd!(end(m, 0));
    expect(tracker.files.size).toBe(0);
    expect(tracker.points).toEqual([]);
    expect(warn).toHaveBeenCalledWith(
      '[layer-stats] none for this run: layer statistics: unsupported loss meanAbsoluteError (compile the model first)',
    );
    warn.mockRestore();
    m.dispose();
  });

  it('refuses bad options naming them', () => {
    const t = fakeTracker();
    expect(() => layerStatsCallback(t, { data: data(), seed: 1, options: { bins: 0 } })).toThrow(
      /layerStats.bins must be a positive integer, got 0/,
    );
    expect(() =>
      layerStatsCallback(t, { data: data(), seed: 1, options: { maxBytes: -1 } }),
    ).toThrow(/layerStats.maxBytes must be positive/);
  });

  it('drops layers from the end until the artifact fits its byte budget, listing them', () => {
    const layer = (name: string) => ({ name, className: 'Dense', weightNorm: 1, tensors: [] });
    const file: LayerStatsEpoch = {
      format: 'convscope.layer-stats/1',
      step: 1,
      bins: 30,
      percentiles: [],
      probe: { size: 1, seed: 1 },
      loss: 1,
      seconds: 0,
      layers: [layer('a'.repeat(200)), layer('b'.repeat(200))],
      dead: [],
      skipped: [],
    };
    const full = encodeBounded(file, 1e6).length;
    const body = encodeBounded(file, full - 1);
    expect(body.length).toBeLessThan(full);
    const parsed = JSON.parse(new TextDecoder().decode(body)) as LayerStatsEpoch;
    expect(parsed.layers.map((l) => l.name)).toEqual(['a'.repeat(200)]);
    expect(parsed.skipped).toEqual([
      { what: 'b'.repeat(200), reason: `byte budget of ${full - 1} reached` },
    ]);
  });
});
