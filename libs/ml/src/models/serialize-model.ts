import * as tf from '@tensorflow/tfjs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Name of the weights file written beside `model.json`. */
export const WEIGHTS_FILE = 'weights.bin';

/** A model in the TF.js LayersModel format: `model.json` plus one weights file. */
export interface SerializedModel {
  /** Contents of `model.json` (topology + weights manifest naming {@link WEIGHTS_FILE}). */
  modelJson: Uint8Array;
  /** Contents of the weights file. */
  weights: Uint8Array;
}

/**
 * Serialises a model in the LayersModel format without touching the disk, so the same bytes can
 * be written to a folder or uploaded as run artifacts; `tf.loadLayersModel(url of model.json)`
 * then loads it (the manifest names the weights file relative to model.json).
 */
export async function serializeModel(model: tf.LayersModel): Promise<SerializedModel> {
  let captured: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!captured?.weightData || !captured.weightSpecs)
    throw new Error('model.save produced no weights');
  const weightData = captured.weightData;
  const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(weightData));
  const json = {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
    convertedBy: null,
    modelTopology: captured.modelTopology,
    trainingConfig: captured.trainingConfig,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: captured.weightSpecs }],
  };
  return { modelJson: new TextEncoder().encode(JSON.stringify(json)), weights };
}

/** Writes a serialised model to `dir/model.json` and `dir/weights.bin`. */
export async function writeModelDir(dir: string, model: SerializedModel): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, WEIGHTS_FILE), model.weights);
  await writeFile(path.join(dir, 'model.json'), model.modelJson);
}
