import * as tf from '@tensorflow/tfjs';
import type { ImageBatch } from '../data/image-source';
import type { DataParallelTrainer } from './data-parallel';
import type { BatchTrainer } from './fit';

/** A {@link BatchTrainer} that also owns worker threads, freed by `dispose`. */
export interface DisposableBatchTrainer extends BatchTrainer {
  /** Number of worker threads (replicas). */
  readonly workers: number;
  dispose(): Promise<void>;
}

function identity(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/**
 * Copies replica 0's weights (trainable and not, `getWeights()` order) into `model`, so that
 * evaluation, checkpoints and every callback read what the replicas trained.
 */
export async function syncFromReplica(
  trainer: DataParallelTrainer,
  model: tf.LayersModel,
): Promise<void> {
  const values = await trainer.getWeights(0);
  const current = model.getWeights(); // the variables' own tensors: not ours to dispose
  if (values.length !== current.length)
    throw new Error(`the replica has ${values.length} weights, the model ${current.length}`);
  const tensors = values.map((v, i) => tf.tensor(v, current[i]!.shape)); // same length, checked
  try {
    model.setWeights(tensors);
  } finally {
    tf.dispose(tensors);
  }
}

/**
 * The training loop's view of a data-parallel trainer: each batch is one lock-step step of the
 * replicas, and the main-thread model is synced from replica 0 when the loop asks (every epoch).
 */
export function dataParallelBatchTrainer(trainer: DataParallelTrainer): DisposableBatchTrainer {
  return {
    workers: trainer.workers,
    trainBatch: (batch: ImageBatch) => trainer.step(batch, identity(batch.count)),
    syncModel: (model) => syncFromReplica(trainer, model),
    dispose: () => trainer.dispose(),
  };
}
