import type * as tf from '@tensorflow/tfjs';
import { serializeModel, type SerializedModel } from '../models/serialize-model';
import {
  fitPhases,
  type FitPhasesOptions,
  type PhasedFitResult,
  type PhaseName,
} from '../transfer/phases';
import type { TestEvaluation } from './test-evaluation';
import { CallbackList, type TrainingCallback } from './training-callback';

/** Options of {@link runTrainingLoop}: fitPhases' options, with callbacks in place of its hooks. */
export interface TrainingLoopOptions extends Omit<
  FitPhasesOptions,
  'callbacks' | 'onBestCheckpoint' | 'onPhaseStart'
> {
  /** Called in list order at every hook; `undefined`/`false` entries are skipped. */
  callbacks: readonly (TrainingCallback | undefined | false)[];
  /** Evaluates the trained model before `onTrainEnd`, which sees the result as `test`. */
  evaluate?(model: tf.LayersModel): TestEvaluation;
}

/** What {@link runTrainingLoop} returns. */
export interface TrainingLoopResult {
  fit: PhasedFitResult;
  test?: TestEvaluation;
}

/**
 * Trains `model` through its phases (fitPhases: seeded batches, early stopping, best weights)
 * and drives the callbacks: onTrainBegin, then per epoch onEpochBegin, onBatchEnd per batch and
 * onEpochEnd, then, once the model is evaluated, onTrainEnd. A callback's error ends the run
 * and is rethrown.
 */
export async function runTrainingLoop(
  model: tf.LayersModel,
  options: TrainingLoopOptions,
): Promise<TrainingLoopResult> {
  const { callbacks, evaluate, ...fitOptions } = options;
  const list = new CallbackList(callbacks);
  let phase: PhaseName = options.phases[0]?.name ?? 'train';
  // fitModel calls onBestCheckpoint just before onEpochEnd of an epoch that improved val_loss.
  let improvedEpoch = -1;
  const fit = await fitPhases(model, {
    ...fitOptions,
    onPhaseStart: (marker) => {
      phase = marker.phase;
    },
    onBestCheckpoint: (epoch) => {
      improvedEpoch = epoch;
    },
    callbacks: {
      onTrainBegin: (info) => list.trainBegin({ model, ...info }),
      onEpochBegin: (epoch) => list.epochBegin({ model, epoch, phase }),
      onBatchEnd: (info) => list.batchEnd({ model, ...info }),
      onEpochEnd: (epoch, logs) =>
        list.epochEnd({ model, epoch, phase, logs, improved: improvedEpoch === epoch }),
    },
  });
  const test = evaluate?.(model);
  await list.trainEnd({ model, fit, test, serialized: once(() => serializeModel(model)) });
  return { fit, test };
}

/** `fn`'s promise, made on the first call and shared by every later one. */
function once(fn: () => Promise<SerializedModel>): () => Promise<SerializedModel> {
  let result: Promise<SerializedModel> | undefined;
  return () => (result ??= fn());
}
