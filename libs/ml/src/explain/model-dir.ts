/**
 * Inputs of the `explain` CLI: a model folder as written by `writeModelDir` (model.json +
 * weights.bin) and an image file decoded to the model's input.
 */
import * as tf from '@tensorflow/tfjs';
import { first } from '../util/checked';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeImageFile } from '../data/image-folder';

/**
 * Loads a LayersModel from a folder holding `model.json` and the weight files its manifest
 * names (TF.js's pure-JS build has no file:// loader in Node).
 * @throws naming the missing folder or file, or the malformed model.json
 */
export async function loadModelDir(dir: string): Promise<tf.LayersModel> {
  if (!existsSync(dir)) throw new Error(`model folder ${dir} does not exist`);
  const jsonPath = path.join(dir, 'model.json');
  if (!existsSync(jsonPath)) throw new Error(`no model.json in ${dir}`);
  let json: {
    modelTopology?: object;
    weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  try {
    json = JSON.parse(await readFile(jsonPath, 'utf8'));
  } catch (err) {
    throw new Error(`${jsonPath} is not valid JSON: ${(err as Error).message}`);
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest))
    throw new Error(`${jsonPath} has no modelTopology or weightsManifest (not a LayersModel)`);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) {
      const file = path.join(dir, p);
      if (!existsSync(file)) throw new Error(`weights file ${file} named by model.json is missing`);
      buffers.push(new Uint8Array(await readFile(file)));
    }
  }
  const total = buffers.reduce((n, b) => n + b.byteLength, 0);
  const weightData = new Uint8Array(total);
  let off = 0;
  for (const b of buffers) {
    weightData.set(b, off);
    off += b.byteLength;
  }
  try {
    return await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: specs,
        weightData: weightData.buffer,
      }),
    );
  } catch (err) {
    throw new Error(`cannot load the model in ${dir}: ${(err as Error).message}`);
  }
}

/**
 * Decodes an image file (any format sharp reads) to the model's input: resized to `[H, W]`,
 * converted to grayscale or RGB to match its channels, scaled by `scale` (default 1/255).
 * @returns `[1, H, W, C]`; the caller owns it
 * @throws for a missing or undecodable file, or a model whose input is not 1 or 3 channels
 */
export async function loadImageForModel(
  model: tf.LayersModel,
  file: string,
  scale = 1 / 255,
): Promise<tf.Tensor4D> {
  const shape = first(model.inputs, 'a model input').shape;
  if (shape.length !== 4)
    throw new Error(`the model input [${shape.join(', ')}] is not an image batch [batch, h, w, c]`);
  const [, h, w, c] = shape;
  if (h == null || w == null || c == null)
    throw new Error('the model input has no fixed size to resize the image to');
  if (c !== 1 && c !== 3)
    throw new Error(
      `the model input has ${c} channels; only grayscale (1) or RGB (3) images can be fed to it`,
    );
  if (!existsSync(file)) throw new Error(`image ${file} does not exist`);
  let bytes: Uint8Array;
  try {
    bytes = await decodeImageFile(file, { shape: [h, w, c] });
  } catch (err) {
    throw new Error(`cannot decode image ${file}: ${(err as Error).message}`);
  }
  return tf.tidy(() => tf.mul<tf.Tensor4D>(tf.tensor4d(bytes, [1, h, w, c], 'float32'), scale));
}
