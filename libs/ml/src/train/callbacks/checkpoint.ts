import * as tf from '@tensorflow/tfjs';
import { serializeModel, WEIGHTS_FILE, type SerializedModel } from '../../models/serialize-model';
import type { RunTracker } from '../../tracking/run-tracker';
import type { TrainingCallback } from '../training-callback';

/**
 * Stores the model with the run: the best checkpoint whenever val_loss improves (so a worker
 * that dies later still leaves its best model behind), and the final model at the end (the
 * best epoch's weights, restored by the training loop).
 */
export function checkpointCallback(tracker: RunTracker): TrainingCallback {
  return {
    name: 'checkpoint',
    onEpochEnd: async ({ improved, epoch, model }) => {
      if (improved)
        await uploadModel(tracker, await serializeModel(model), { checkpointEpoch: epoch + 1 });
    },
    onTrainEnd: async ({ fit, serialized }) => {
      await uploadModel(tracker, await serialized(), { bestEpoch: fit.bestEpoch + 1, final: true });
    },
  };
}

/** Stores a model with the run as `weights.bin` then `model.json` (the manifest must never name a missing file). */
export async function uploadModel(
  tracker: RunTracker,
  model: SerializedModel,
  info: Record<string, unknown>,
): Promise<void> {
  const metadata = { format: 'tfjs-layers-model', tfjs: tf.version.tfjs, ...info };
  await tracker.uploadArtifact(WEIGHTS_FILE, model.weights, {
    kind: 'model',
    mimeType: 'application/octet-stream',
    metadata,
  });
  await tracker.uploadArtifact('model.json', model.modelJson, {
    kind: 'model',
    mimeType: 'application/json',
    metadata,
  });
}
