import * as tf from '@tensorflow/tfjs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// Registers the custom layers, so bases that use them load.
import '../models/custom-layers';

/** The manifest part of a TF.js `model.json`. */
interface ModelJson {
  modelTopology?: unknown;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  trainingConfig?: tf.io.TrainingConfig;
  userDefinedMetadata?: tf.io.ModelArtifacts['userDefinedMetadata'];
  weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

/** Raised when a model cannot be loaded; the message names the path or URL. */
export class ModelLoadError extends Error {
  constructor(
    readonly source: string,
    why: string,
  ) {
    super(`cannot load model from "${source}": ${why}`);
    this.name = 'ModelLoadError';
  }
}

/**
 * A TF.js IOHandler reading a LayersModel from the local file system: `model.json` and the weight
 * files its manifest names, relative to its directory (what `tensorflowjs_converter` and
 * {@link writeModelDir} write). TF.js in Node without tfjs-node has no `file://` handler.
 * @param modelJsonPath path of model.json
 * @param source what the user gave (named in errors), default `modelJsonPath`
 */
export function fileSystemLoadHandler(
  modelJsonPath: string,
  source = modelJsonPath,
): tf.io.IOHandler {
  return {
    load: async (): Promise<tf.io.ModelArtifacts> => {
      let json: ModelJson;
      try {
        json = JSON.parse(await readFile(modelJsonPath, 'utf8')) as ModelJson;
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        throw new ModelLoadError(
          source,
          e.code === 'ENOENT'
            ? `${modelJsonPath} does not exist`
            : `${modelJsonPath} is not readable JSON (${e.message})`,
        );
      }
      if (!json.modelTopology)
        throw new ModelLoadError(
          source,
          `${modelJsonPath} has no modelTopology (not a LayersModel)`,
        );
      const dir = path.dirname(modelJsonPath);
      const weightSpecs: tf.io.WeightsManifestEntry[] = [];
      const buffers: Buffer[] = [];
      for (const group of json.weightsManifest ?? []) {
        for (const p of group.paths) {
          const file = path.join(dir, p);
          try {
            buffers.push(await readFile(file));
          } catch (err) {
            throw new ModelLoadError(
              source,
              `weight file ${file} named by the manifest cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
            );
          }
        }
        weightSpecs.push(...group.weights);
      }
      const all = Buffer.concat(buffers);
      return {
        modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'],
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy ?? undefined,
        trainingConfig: json.trainingConfig,
        userDefinedMetadata: json.userDefinedMetadata,
        weightSpecs,
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
      };
    },
  };
}

/**
 * Loads a TF.js LayersModel (for example a Keras model converted with `tensorflowjs_converter`)
 * from a directory holding `model.json`, a path to a `.json` file, a `file://` URL, or an
 * `http(s)://` URL of model.json (weights fetched relative to it).
 * @throws ModelLoadError naming the source when it is missing or not a LayersModel
 */
export async function loadModelFrom(source: string): Promise<tf.LayersModel> {
  if (/^https?:\/\//i.test(source)) {
    try {
      return await tf.loadLayersModel(source);
    } catch (err) {
      throw new ModelLoadError(source, (err as Error).message);
    }
  }
  const local = source.startsWith('file://') ? fileURLToPath(source) : source;
  let info;
  try {
    info = await stat(local);
  } catch {
    throw new ModelLoadError(source, 'no such file or directory');
  }
  const jsonPath = info.isDirectory() ? path.join(local, 'model.json') : local;
  if (info.isDirectory()) {
    try {
      await stat(jsonPath);
    } catch {
      throw new ModelLoadError(source, 'the directory has no model.json');
    }
  }
  try {
    return await tf.loadLayersModel(fileSystemLoadHandler(jsonPath, source));
  } catch (err) {
    if (err instanceof ModelLoadError) throw err;
    throw new ModelLoadError(source, (err as Error).message);
  }
}
