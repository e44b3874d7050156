/**
 * Experiment configs: a model and its training as a JSON or YAML file, so a user can define and
 * train a model without writing code (`npm run train -- --config examples/cifar3-cnn.yaml`).
 *
 * A config holds either `preset: NAME` (with optional `model:` fields overriding the preset's) or
 * a full `model:` (inputShape, layers, optimizer, loss), plus `training:`, `data:`, an optional
 * `transfer:` section and run metadata. The sections' shapes and checks are the zod schemas of
 * @convscope/schemas; this module merges the preset, resolves paths and checks what spans
 * sections. Every error names the offending field.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  experimentFileSchema,
  firstIssue,
  type DataConfig,
  type ExperimentFile,
  type ImageFolderDataConfig,
  type ModelSection,
  type TrainingConfig,
  type TransferConfig,
} from '@convscope/schemas';
import { PRESETS, getPreset, type ModelPreset } from './presets';

export type {
  DataConfig,
  HeadConfig,
  ImageFolderDataConfig,
  TrainingConfig,
  TransferConfig,
} from '@convscope/schemas';

/** A validated config, ready to run. */
export interface ExperimentConfig {
  /** File it came from (messages), if any. */
  source?: string;
  /** The model: the preset with overrides, or the full model (named after the file). */
  preset: ModelPreset;
  training: TrainingConfig;
  data: DataConfig;
  transfer?: TransferConfig;
  /** Run metadata. */
  project?: string;
  name?: string;
  tags?: string[];
  notes?: string;
}

/** A config that cannot be used; `field` is the dotted path of the culprit (`model.layers[2].filters`). */
export class ConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
    source?: string,
  ) {
    super(`${source ? `${source}: ` : ''}${field ? `${field}: ` : ''}${message}`);
    this.name = 'ConfigError';
  }
}

/** Fails with a {@link ConfigError} naming `field`. */
function fail(field: string, message: string, source: string | undefined): never {
  throw new ConfigError(field, message, source);
}

/** The fields a model without a preset must give. */
const REQUIRED_MODEL_FIELDS = ['inputShape', 'layers', 'optimizer', 'loss'] as const;

/** The model: the preset (or a blank model) with the config's `model:` fields over it. */
function mergeModel(
  o: ModelSection | undefined,
  base: ModelPreset | undefined,
  fallbackName: string,
  source: string | undefined,
): ModelPreset {
  const m = o ?? {};
  if (!base) {
    for (const k of REQUIRED_MODEL_FIELDS)
      if (m[k] === undefined) fail(`model.${k}`, 'required when no preset is given', source);
  }
  const preset: ModelPreset = base
    ? structuredClone(base)
    : {
        name: fallbackName,
        description: `model defined in a config`,
        inputShape: [1, 1, 1],
        layers: [],
        optimizer: { type: 'adam', learningRate: 1e-3 },
        loss: 'categoricalCrossentropy',
        batchSize: 32,
        epochs: 10,
      };
  const { optimizer, layers, ...plain } = m;
  Object.assign(preset, plain);
  if (optimizer !== undefined)
    preset.optimizer = {
      type: optimizer.type,
      learningRate: optimizer.learningRate ?? preset.optimizer.learningRate,
    };
  if (layers !== undefined) {
    preset.layers = layers;
    const last = layers.at(-1);
    if (last?.type !== 'dense')
      fail(
        `model.layers[${layers.length - 1}]`,
        `the last layer must be dense (one unit per class, or 1 sigmoid unit), got ${last?.type}`,
        source,
      );
  }
  const last = preset.layers.at(-1);
  if (
    preset.loss === 'binaryCrossentropy' &&
    last?.type === 'dense' &&
    (last.units !== 1 || last.activation !== 'sigmoid')
  )
    fail(
      `model.layers[${preset.layers.length - 1}]`,
      'binaryCrossentropy needs a last dense layer of 1 sigmoid unit',
      source,
    );
  return preset;
}

/** The data section with its paths resolved against the config's directory. */
function resolveData(d: ExperimentFile['data'], configDir: string | undefined): DataConfig {
  if (d === undefined) return { source: 'fashion-mnist' };
  if (d.source !== 'image-folder') return d;
  // Paths in a config file mean the same wherever the command is run from.
  const resolve = (p: string) => (configDir ? path.resolve(configDir, p) : p);
  const { path: _renamed, folder, labelsFile, ...rest } = d;
  const out: ImageFolderDataConfig = { ...rest, folder: resolve(folder) };
  if (labelsFile !== undefined) out.labelsFile = labelsFile === false ? false : resolve(labelsFile);
  return out;
}

/**
 * The decoded channels and the model's input must agree: the preset follows `data.color`, but a
 * model.inputShape written in the config wins and a contradiction is an error.
 */
function reconcileChannels(config: ExperimentConfig, file: ExperimentFile): void {
  const { data, preset, source } = config;
  if (data.source !== 'image-folder') return;
  if (data.color) {
    const channels = data.color === 'grayscale' ? 1 : 3;
    if (preset.inputShape[2] !== channels) {
      if (file.model?.inputShape !== undefined)
        fail(
          'data.color',
          `${data.color} images have ${channels} channel(s) but model.inputShape has ${preset.inputShape[2]}`,
          source,
        );
      preset.inputShape = [preset.inputShape[0], preset.inputShape[1], channels];
    }
  }
  if (preset.inputShape[2] !== 1 && preset.inputShape[2] !== 3)
    fail(
      'model.inputShape',
      `image folders decode to 1 (grayscale) or 3 (RGB) channels, the model takes ${preset.inputShape[2]}`,
      source,
    );
}

/** Pretraining a base needs fashion-mnist data, and classes the target does not use. */
function checkPretrain(config: ExperimentConfig): void {
  const { data, transfer, source } = config;
  if (!transfer || typeof transfer.base === 'string') return;
  if (data.source === 'image-folder')
    fail(
      'transfer.base.pretrain',
      'pretraining a base on other classes needs fashion-mnist data; give an image folder a base model path',
      source,
    );
  const overlap = transfer.base.pretrain.classes.filter((k) => data.classes?.includes(k));
  if (overlap.length > 0)
    fail(
      'transfer.base.pretrain.classes',
      `shares classes ${overlap.join(', ')} with data.classes; the base must not see the target classes`,
      source,
    );
}

/**
 * Validates a parsed config object (from JSON or YAML).
 * @param raw the parsed document
 * @param source file name used in error messages and as the default model name
 * @throws ConfigError naming the field
 */
export function validateExperimentConfig(raw: unknown, source?: string): ExperimentConfig {
  const parsed = experimentFileSchema.safeParse(raw);
  if (!parsed.success) {
    const problem = firstIssue(parsed.error.issues);
    fail(problem.path, problem.message, source);
  }
  const file = parsed.data;
  let base: ModelPreset | undefined;
  if (file.preset !== undefined) {
    const name = file.preset;
    if (!PRESETS[name])
      fail(
        'preset',
        `unknown preset "${name}"; available: ${Object.keys(PRESETS).join(', ')}`,
        source,
      );
    base = getPreset(name);
  } else if (file.model === undefined) {
    fail('', 'a config needs `preset: NAME` or a full `model:`', source);
  }
  const fallbackName = source
    ? path.basename(source).replace(/\.(ya?ml|json)$/i, '')
    : 'custom-model';
  const training: TrainingConfig = file.training ?? {};
  const config: ExperimentConfig = {
    source,
    preset: mergeModel(file.model, base, fallbackName, source),
    training,
    data: resolveData(file.data, source && path.dirname(path.resolve(source))),
    transfer: file.transfer,
  };
  reconcileChannels(config, file);
  checkPretrain(config);
  if (file.project !== undefined) config.project = file.project;
  if (file.name !== undefined) config.name = file.name;
  if (file.notes !== undefined) config.notes = file.notes;
  if (file.tags !== undefined) config.tags = file.tags;
  return config;
}
/** Parses JSON or YAML text (YAML is a superset of JSON) and validates it. */
export function parseExperimentConfig(text: string, source?: string): ExperimentConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new ConfigError('', `not valid YAML/JSON: ${(err as Error).message}`, source);
  }
  return validateExperimentConfig(raw, source);
}

/** Reads and validates a config file (`.yaml`, `.yml` or `.json`). */
export async function loadExperimentConfig(file: string): Promise<ExperimentConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(
      '',
      `cannot read the config file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      file,
    );
  }
  return parseExperimentConfig(text, file);
}
