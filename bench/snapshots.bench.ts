/**
 * The cost of training snapshots on a real fmnist-cnn run: the preset trains a few epochs on the
 * committed Fashion-MNIST subset (or the system's full set) and, after each epoch, the snapshot
 * callback's work (Grad-CAM of the probes, filters, activation statistics, JSON) runs into an
 * in-memory store; reported per epoch in seconds and bytes, beside the epoch's training time.
 * Used by `npm run bench` (key "snapshots"); standalone:
 *   npx tsx bench/snapshots.bench.ts [epochs]
 * prints one JSON object. Not a test: nothing here asserts timings.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildModel,
  fitModel,
  getPreset,
  loadFashionMnist,
  resolveSnapshotOptions,
  selectBackend,
  SnapshotRecorder,
} from '@convscope/ml';

/** What {@link benchSnapshots} reports. */
export interface SnapshotFigures {
  backend: string;
  epochs: number;
  probes: number;
  /** Median seconds of one epoch's snapshot (computing and encoding). */
  secondsPerEpoch: number;
  /** Median bytes of one epoch's snapshot file. */
  bytesPerEpoch: number;
  /** Bytes of the probe images, stored once. */
  probeBytes: number;
  /** Median seconds of one training epoch (for scale). */
  trainSecondsPerEpoch: number;
  /** secondsPerEpoch / trainSecondsPerEpoch. */
  overhead: number;
  trainImages: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const round = (x: number, d = 3) => Number(x.toFixed(d));

/** Trains fmnist-cnn for `epochs` epochs with a snapshot after each. */
export async function benchSnapshots(epochs = 3): Promise<SnapshotFigures> {
  const { backend } = await selectBackend();
  const dir = existsSync('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz')
    ? '/usr/share/datasets/fashion-mnist'
    : undefined;
  const ds = await loadFashionMnist({ dir });
  // The committed subset's size (as `npm start`'s demo trains) also on the full set.
  const train = { ...ds.train, count: Math.min(ds.train.count, 6000) };
  const preset = getPreset('fmnist-cnn');
  const model = buildModel(preset, { seed: 1, numClasses: 10 });
  const sizes = new Map<string, number>();
  const recorder = new SnapshotRecorder(
    {
      uploadArtifact: (name, bytes) => {
        sizes.set(name, bytes.length);
        return Promise.resolve({ id: name, name, kind: 'snapshot', bytes: bytes.length } as never);
      },
    },
    { test: ds.test, shape: [28, 28, 1], classNames: ds.classNames, seed: 1 },
    resolveSnapshotOptions({}),
  );
  const snapshotSeconds: number[] = [];
  const trainSeconds: number[] = [];
  let epochStart = 0;
  await fitModel(model, {
    train,
    shape: [28, 28, 1],
    numClasses: 10,
    epochs,
    batchSize: preset.batchSize,
    seed: 1,
    callbacks: {
      onTrainBegin: () => recorder.begin(model),
      onEpochBegin: () => void (epochStart = performance.now()),
      onEpochEnd: async (epoch) => {
        trainSeconds.push((performance.now() - epochStart) / 1000);
        const t0 = performance.now();
        await recorder.capture(model, { epoch: epoch + 1, phase: 'train', final: false });
        snapshotSeconds.push((performance.now() - t0) / 1000);
      },
    },
  });
  model.dispose();
  const bytes = recorder.entries.map((e) => e.bytes);
  const s = median(snapshotSeconds);
  const t = median(trainSeconds);
  return {
    backend,
    epochs,
    probes: recorder.probes.length,
    secondsPerEpoch: round(s),
    bytesPerEpoch: Math.round(median(bytes)),
    probeBytes: sizes.get('snapshot.probes.json') ?? 0,
    trainSecondsPerEpoch: round(t, 2),
    overhead: round(s / t, 4),
    trainImages: train.count,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  console.log(JSON.stringify(await benchSnapshots(Number(process.argv[2] ?? 3))));
