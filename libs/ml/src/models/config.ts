/**
 * Experiment configs: a model and its training as a JSON or YAML file, so a user can define and
 * train a model without writing code (`npm run train -- --config examples/cifar3-cnn.yaml`).
 *
 * A config holds either `preset: NAME` (with optional `model:` fields overriding the preset's) or
 * a full `model:` (inputShape, layers, optimizer, loss), plus `training:`, `data:`, an optional
 * `transfer:` section and run metadata. Every error names the offending field.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { AugmentationConfig, FillMode } from '../data/augment';
import type { BadFilePolicy, ResizeFit } from '../data/image-folder';
import {
  ACTIVATIONS,
  LAYER_TYPES,
  PRESETS,
  getPreset,
  type LayerSpec,
  type ModelPreset,
  type OptimizerSpec,
} from './presets';

/** Training options of a config; each overrides the preset's default. */
export interface TrainingConfig {
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** Seed of weights, splits, shuffles (default 42). */
  seed?: number;
  /** Repeat the run once per seed (transfer comparison: reports the mean). Overrides `seed`. */
  seeds?: number[];
  /** Early-stopping patience on val_loss (default 3). */
  patience?: number;
  /** Fraction of the training images held out for validation (default 0.1; 0 for none). */
  validationSplit?: number;
  /** Use only the first N training images. */
  trainLimit?: number;
  /** Use only the first N test images. */
  testLimit?: number;
  /**
   * Stochastic passes of the uncertainty evaluation stored with a tracked run whose model is
   * random at prediction (MC dropout, variational latent); default 100, 0 for none.
   */
  uncertaintyPasses?: number;
  /**
   * Random augmentation of the training batches (Keras `ImageDataGenerator` semantics, see
   * data/augment.ts); a tracked run also stores `augmentation-grid.png`.
   */
  augmentation?: AugmentationConfig;
}

/**
 * Images read from a folder of class sub-folders (data/image-folder.ts), decoded and resized to
 * the model's `inputShape` while training, so a set larger than memory trains.
 */
export interface ImageFolderDataConfig {
  source: 'image-folder';
  /**
   * Root folder: `train/` (or `training/`) with one sub-folder per class, optional `validation/`
   * and `test/` beside it; or the class sub-folders directly. A relative path is resolved against
   * the directory of the config file (the working directory when the config has no file).
   */
  folder: string;
  /**
   * File mapping class folders to display names (CSV/TSV with a header such as the monkey
   * dataset's `monkey_labels.txt`, `folder,name` rows, or JSON); relative to the config file's
   * directory. Default: a `labels.*` / `*_labels.*` file in `folder`; `false` disables the lookup.
   */
  labelsFile?: string | false;
  /**
   * Fractions of each class taken from the training images for the splits the folder has no
   * sub-folder for. `validation` defaults to `training.validationSplit` (0.1), `test` to 0 (a
   * folder without `test/` then needs it), `seed` to `training.seed` (42): one split for every
   * seed of `training.seeds`.
   */
  split?: { validation?: number; test?: number; seed?: number };
  /** An unreadable image file: `skip` it (listed with the run as `badFiles`) or `fail` (default). */
  onBadFile?: BadFilePolicy;
  /**
   * Decode to RGB (3 channels) or grayscale (1). Default: the model's input channels; when set,
   * the preset's input channels follow it.
   */
  color?: 'rgb' | 'grayscale';
  /** How an image is fitted into the input size: `fill` (stretch, default), `cover` (crop) or `contain` (pad). */
  fit?: ResizeFit;
}

/** Where the images come from. */
export type DataConfig =
  | {
      source: 'fashion-mnist';
      /** Directory with the four IDX files (default: the committed subset). */
      dir?: string;
      /** Keep only these labels, renumbered 0..k-1 in this order (e.g. `[5, 6, 7, 8, 9]`). */
      classes?: number[];
      /** Keep at most this many training images per class (seeded choice). */
      trainPerClass?: number;
    }
  | ImageFolderDataConfig;

/** The classification head put on a transferred base. */
export interface HeadConfig {
  /** How the base's `[batch, h, w, c]` output becomes a vector (default `avg`: global average pooling). */
  pooling?: 'avg' | 'max' | 'flatten';
  /** Hidden dense layers (relu) between pooling and the output, units each (default none). */
  hidden?: number[];
  /** Dropout rate before the output layer (default 0.5; 0 for none). */
  dropout?: number;
}

/** Transfer learning: a base model, a new head, then fine-tuning. */
export interface TransferConfig {
  /**
   * The base: a Keras-converted TF.js LayersModel given as a directory with model.json, a path to
   * model.json, a `file://` URL or an `http(s)://` URL; or `{ pretrain: ... }` to train the base
   * here first on other classes of the same data source (the model of this config is its architecture).
   */
  base: string | { pretrain: { classes: number[]; epochs?: number } };
  /** Layer of the base to cut at (default: the last 4-D output before flatten/pooling). */
  cutLayer?: string;
  head?: HeadConfig;
  /** Epochs training the head on the frozen base. */
  headEpochs: number;
  /** Epochs fine-tuning after unfreezing (0 skips the phase). */
  fineTuneEpochs: number;
  /** Learning rate of the fine-tuning phase (default 1e-4). */
  fineTuneLearningRate?: number;
  /** Unfreeze every base layer (`all`, default) or only the top N. */
  unfreeze?: 'all' | number;
  /** Also train the same architecture from scratch on the same data, for comparison. */
  compareWithScratch?: boolean;
}

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

type Obj = Record<string, unknown>;

const TOP_KEYS = [
  'preset',
  'model',
  'training',
  'data',
  'transfer',
  'project',
  'name',
  'tags',
  'notes',
];
const MODEL_KEYS = [
  'name',
  'description',
  'inputShape',
  'layers',
  'optimizer',
  'loss',
  'batchSize',
  'epochs',
  'weightDecay',
];
const TRAINING_KEYS = [
  'epochs',
  'batchSize',
  'learningRate',
  'seed',
  'seeds',
  'patience',
  'validationSplit',
  'trainLimit',
  'testLimit',
  'uncertaintyPasses',
  'augmentation',
];
const AUGMENTATION_KEYS = [
  'horizontalFlip',
  'verticalFlip',
  'rotationRange',
  'widthShiftRange',
  'heightShiftRange',
  'zoomRange',
  'shearRange',
  'fillMode',
  'cval',
  'interpolation',
  'rescale',
  'seed',
];
const FILL_MODES: readonly FillMode[] = ['nearest', 'constant', 'reflect', 'wrap'];
const FOLDER_KEYS = ['source', 'folder', 'labelsFile', 'split', 'onBadFile', 'color', 'fit'];
const PADDING = ['same', 'valid'];

/** Fields each layer type accepts: `true` required, `false` optional. */
const LAYER_FIELDS: Record<LayerSpec['type'], Record<string, boolean>> = {
  conv2d: {
    filters: true,
    kernelSize: true,
    strides: false,
    padding: false,
    activation: false,
    kernelL2: false,
  },
  separableConv2d: {
    filters: true,
    kernelSize: true,
    strides: false,
    padding: false,
    activation: false,
  },
  maxPooling2d: { poolSize: true, strides: false, padding: false },
  averagePooling2d: { poolSize: true, strides: false, padding: false },
  globalAveragePooling2d: {},
  globalMaxPooling2d: {},
  batchNormalization: {},
  flatten: {},
  dense: { units: true, activation: false, kernelL2: false },
  dropout: { rate: true },
  mcDropout: { rate: true },
  gaussianSampling: { klWeight: false, sampleAtInference: false },
  activation: { activation: true },
};

class Checker {
  constructor(readonly source?: string) {}

  fail(field: string, message: string): never {
    throw new ConfigError(field, message, this.source);
  }

  object(v: unknown, field: string): Obj {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      this.fail(field, `expected a mapping, got ${describe(v)}`);
    return v as Obj;
  }

  keys(o: Obj, allowed: readonly string[], field: string): void {
    for (const k of Object.keys(o))
      if (!allowed.includes(k))
        this.fail(join(field, k), `unknown field; allowed: ${allowed.join(', ')}`);
  }

  int(v: unknown, field: string, min = 1): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
      this.fail(field, `expected an integer >= ${min}, got ${describe(v)}`);
    return v;
  }

  num(v: unknown, field: string, min: number, max = Infinity, maxExclusive = false): number {
    if (
      typeof v !== 'number' ||
      !Number.isFinite(v) ||
      v < min ||
      v > max ||
      (maxExclusive && v === max)
    )
      this.fail(
        field,
        `expected a number in [${min}, ${max === Infinity ? '∞' : max}${maxExclusive ? ')' : ']'}, got ${describe(v)}`,
      );
    return v;
  }

  bool(v: unknown, field: string): boolean {
    if (typeof v !== 'boolean') this.fail(field, `expected true or false, got ${describe(v)}`);
    return v;
  }

  str(v: unknown, field: string): string {
    if (typeof v !== 'string' || v.length === 0)
      this.fail(field, `expected a non-empty string, got ${describe(v)}`);
    return v;
  }

  oneOf<T extends string>(v: unknown, options: readonly T[], field: string): T {
    if (typeof v !== 'string' || !options.includes(v as T))
      this.fail(field, `expected one of ${options.join(', ')}, got ${describe(v)}`);
    return v as T;
  }

  intList(v: unknown, field: string, min = 1): number[] {
    if (!Array.isArray(v) || v.length === 0)
      this.fail(field, `expected a non-empty list, got ${describe(v)}`);
    return v.map((x, i) => this.int(x, `${field}[${i}]`, min));
  }

  intOrPair(v: unknown, field: string): number | [number, number] {
    if (Array.isArray(v)) {
      if (v.length !== 2)
        this.fail(field, `expected an integer or a pair [h, w], got ${describe(v)}`);
      return [this.int(v[0], `${field}[0]`), this.int(v[1], `${field}[1]`)];
    }
    return this.int(v, field);
  }
}

function join(field: string, key: string): string {
  return field ? `${field}.${key}` : key;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function checkLayer(c: Checker, raw: unknown, field: string): LayerSpec {
  const o = c.object(raw, field);
  if (o.type === undefined) c.fail(`${field}.type`, `missing; one of ${LAYER_TYPES.join(', ')}`);
  const type = o.type as LayerSpec['type'];
  if (!LAYER_TYPES.includes(type))
    c.fail(
      `${field}.type`,
      `unknown layer type ${describe(o.type)}; known: ${LAYER_TYPES.join(', ')}`,
    );
  const fields = LAYER_FIELDS[type];
  c.keys(o, ['type', 'name', ...Object.keys(fields)], field);
  for (const [k, required] of Object.entries(fields))
    if (required && o[k] === undefined) c.fail(`${field}.${k}`, `required by ${type} layers`);
  const f = (k: string) => `${field}.${k}`;
  if (o.name !== undefined) c.str(o.name, f('name'));
  if (o.filters !== undefined) c.int(o.filters, f('filters'));
  if (o.units !== undefined) c.int(o.units, f('units'));
  if (o.kernelSize !== undefined) c.intOrPair(o.kernelSize, f('kernelSize'));
  if (o.strides !== undefined) c.intOrPair(o.strides, f('strides'));
  if (o.poolSize !== undefined) c.int(o.poolSize, f('poolSize'));
  if (o.padding !== undefined) c.oneOf(o.padding, PADDING, f('padding'));
  if (o.activation !== undefined) c.oneOf(o.activation, ACTIVATIONS, f('activation'));
  if (o.rate !== undefined) c.num(o.rate, f('rate'), 0, 1, true);
  if (o.kernelL2 !== undefined) c.num(o.kernelL2, f('kernelL2'), 0);
  if (o.klWeight !== undefined) c.num(o.klWeight, f('klWeight'), 0);
  if (o.sampleAtInference !== undefined && typeof o.sampleAtInference !== 'boolean')
    c.fail(f('sampleAtInference'), `expected true or false, got ${describe(o.sampleAtInference)}`);
  return o as unknown as LayerSpec;
}

function checkModel(
  c: Checker,
  raw: unknown,
  base: ModelPreset | undefined,
  fallbackName: string,
): ModelPreset {
  const o = c.object(raw ?? {}, 'model');
  c.keys(o, MODEL_KEYS, 'model');
  if (!base) {
    for (const k of ['inputShape', 'layers', 'optimizer', 'loss'])
      if (o[k] === undefined) c.fail(`model.${k}`, 'required when no preset is given');
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
  if (o.name !== undefined) preset.name = c.str(o.name, 'model.name');
  if (o.description !== undefined) preset.description = c.str(o.description, 'model.description');
  if (o.inputShape !== undefined) {
    if (!Array.isArray(o.inputShape) || o.inputShape.length !== 3)
      c.fail(
        'model.inputShape',
        `expected [height, width, channels], got ${describe(o.inputShape)}`,
      );
    preset.inputShape = o.inputShape.map((d, i) => c.int(d, `model.inputShape[${i}]`)) as [
      number,
      number,
      number,
    ];
  }
  if (o.layers !== undefined) {
    if (!Array.isArray(o.layers) || o.layers.length === 0)
      c.fail('model.layers', `expected a non-empty list of layers, got ${describe(o.layers)}`);
    preset.layers = o.layers.map((l, i) => checkLayer(c, l, `model.layers[${i}]`));
    const last = preset.layers[preset.layers.length - 1];
    if (last.type !== 'dense')
      c.fail(
        `model.layers[${preset.layers.length - 1}]`,
        `the last layer must be dense (one unit per class, or 1 sigmoid unit), got ${last.type}`,
      );
  }
  if (o.optimizer !== undefined) {
    const opt = c.object(o.optimizer, 'model.optimizer');
    c.keys(opt, ['type', 'learningRate'], 'model.optimizer');
    preset.optimizer = {
      type: c.oneOf(opt.type, ['adam', 'rmsprop', 'sgd'] as const, 'model.optimizer.type'),
      learningRate: c.num(
        opt.learningRate ?? preset.optimizer.learningRate,
        'model.optimizer.learningRate',
        0,
      ),
    } satisfies OptimizerSpec;
  }
  if (o.loss !== undefined)
    preset.loss = c.oneOf(
      o.loss,
      ['categoricalCrossentropy', 'binaryCrossentropy'] as const,
      'model.loss',
    );
  if (o.batchSize !== undefined) preset.batchSize = c.int(o.batchSize, 'model.batchSize');
  if (o.epochs !== undefined) preset.epochs = c.int(o.epochs, 'model.epochs');
  if (o.weightDecay !== undefined) {
    const w = c.object(o.weightDecay, 'model.weightDecay');
    c.keys(w, ['lengthScale', 'tau', 'dropoutRate', 'trainSize'], 'model.weightDecay');
    preset.weightDecay = {
      lengthScale: c.num(w.lengthScale, 'model.weightDecay.lengthScale', Number.MIN_VALUE),
      tau: c.num(w.tau, 'model.weightDecay.tau', Number.MIN_VALUE),
      dropoutRate: c.num(w.dropoutRate, 'model.weightDecay.dropoutRate', 0, 1, true),
      trainSize: c.int(w.trainSize, 'model.weightDecay.trainSize'),
    };
  }
  const last = preset.layers[preset.layers.length - 1];
  if (
    preset.loss === 'binaryCrossentropy' &&
    last.type === 'dense' &&
    (last.units !== 1 || last.activation !== 'sigmoid')
  )
    c.fail(
      `model.layers[${preset.layers.length - 1}]`,
      'binaryCrossentropy needs a last dense layer of 1 sigmoid unit',
    );
  return preset;
}

function checkTraining(c: Checker, raw: unknown): TrainingConfig {
  if (raw === undefined) return {};
  const o = c.object(raw, 'training');
  c.keys(o, TRAINING_KEYS, 'training');
  const t: TrainingConfig = {};
  if (o.epochs !== undefined) t.epochs = c.int(o.epochs, 'training.epochs');
  if (o.batchSize !== undefined) t.batchSize = c.int(o.batchSize, 'training.batchSize');
  if (o.learningRate !== undefined)
    t.learningRate = c.num(o.learningRate, 'training.learningRate', Number.MIN_VALUE);
  if (o.seed !== undefined) t.seed = c.int(o.seed, 'training.seed', 0);
  if (o.seeds !== undefined) t.seeds = c.intList(o.seeds, 'training.seeds', 0);
  if (o.patience !== undefined) t.patience = c.int(o.patience, 'training.patience', 0);
  if (o.validationSplit !== undefined)
    t.validationSplit = c.num(o.validationSplit, 'training.validationSplit', 0, 1, true);
  if (o.trainLimit !== undefined) t.trainLimit = c.int(o.trainLimit, 'training.trainLimit');
  if (o.testLimit !== undefined) t.testLimit = c.int(o.testLimit, 'training.testLimit');
  if (o.uncertaintyPasses !== undefined)
    t.uncertaintyPasses = c.int(o.uncertaintyPasses, 'training.uncertaintyPasses', 0);
  if (o.augmentation !== undefined) t.augmentation = checkAugmentation(c, o.augmentation);
  return t;
}

function checkAugmentation(c: Checker, raw: unknown): AugmentationConfig {
  const field = 'training.augmentation';
  const o = c.object(raw, field);
  c.keys(o, AUGMENTATION_KEYS, field);
  const f = (k: string) => `${field}.${k}`;
  const a: AugmentationConfig = {};
  if (o.horizontalFlip !== undefined)
    a.horizontalFlip = c.bool(o.horizontalFlip, f('horizontalFlip'));
  if (o.verticalFlip !== undefined) a.verticalFlip = c.bool(o.verticalFlip, f('verticalFlip'));
  if (o.rotationRange !== undefined)
    a.rotationRange = c.num(o.rotationRange, f('rotationRange'), 0, 180);
  // Keras's shift ranges: a number (pixels when >= 1, else a fraction of the size) or a list of
  // allowed values.
  const shift = (k: 'widthShiftRange' | 'heightShiftRange') => {
    const v = o[k];
    if (v === undefined) return;
    if (Array.isArray(v)) {
      if (v.length === 0) c.fail(f(k), 'expected a number or a non-empty list of numbers');
      a[k] = v.map((x, i) => c.num(x, `${f(k)}[${i}]`, 0));
    } else a[k] = c.num(v, f(k), 0);
  };
  shift('widthShiftRange');
  shift('heightShiftRange');
  if (o.zoomRange !== undefined) {
    if (Array.isArray(o.zoomRange)) {
      if (o.zoomRange.length !== 2)
        c.fail(
          f('zoomRange'),
          `expected a number or a pair [lo, hi], got ${describe(o.zoomRange)}`,
        );
      const lo = c.num(o.zoomRange[0], `${f('zoomRange')}[0]`, Number.MIN_VALUE);
      const hi = c.num(o.zoomRange[1], `${f('zoomRange')}[1]`, lo);
      a.zoomRange = [lo, hi];
    } else a.zoomRange = c.num(o.zoomRange, f('zoomRange'), 0, 1, true);
  }
  if (o.shearRange !== undefined) a.shearRange = c.num(o.shearRange, f('shearRange'), 0, 90, true);
  if (o.fillMode !== undefined) a.fillMode = c.oneOf(o.fillMode, FILL_MODES, f('fillMode'));
  if (o.cval !== undefined) a.cval = c.num(o.cval, f('cval'), 0, 255);
  if (o.interpolation !== undefined)
    a.interpolation = c.oneOf(
      o.interpolation,
      ['nearest', 'bilinear'] as const,
      f('interpolation'),
    );
  if (o.rescale !== undefined) a.rescale = c.num(o.rescale, f('rescale'), Number.MIN_VALUE);
  if (o.seed !== undefined) a.seed = c.int(o.seed, f('seed'), 0);
  return a;
}

function checkData(c: Checker, raw: unknown, configDir: string | undefined): DataConfig {
  if (raw === undefined) return { source: 'fashion-mnist' };
  const o = c.object(raw, 'data');
  const source = c.oneOf(
    o.source ?? (o.folder !== undefined ? 'image-folder' : 'fashion-mnist'),
    ['fashion-mnist', 'image-folder'] as const,
    'data.source',
  );
  if (source === 'image-folder') return checkFolderData(c, o, configDir);
  c.keys(o, ['source', 'dir', 'classes', 'trainPerClass'], 'data');
  const d: DataConfig = { source };
  if (o.dir !== undefined) d.dir = c.str(o.dir, 'data.dir');
  if (o.classes !== undefined) {
    d.classes = c.intList(o.classes, 'data.classes', 0);
    if (new Set(d.classes).size !== d.classes.length) c.fail('data.classes', 'lists a class twice');
  }
  if (o.trainPerClass !== undefined) d.trainPerClass = c.int(o.trainPerClass, 'data.trainPerClass');
  return d;
}

function checkFolderData(c: Checker, o: Obj, configDir: string | undefined): ImageFolderDataConfig {
  if (o.path !== undefined && o.folder === undefined)
    c.fail('data.path', 'renamed: give the image folder as data.folder');
  c.keys(o, FOLDER_KEYS, 'data');
  // Paths in a config file mean the same wherever the command is run from.
  const resolve = (p: string) => (configDir ? path.resolve(configDir, p) : p);
  const d: ImageFolderDataConfig = {
    source: 'image-folder',
    folder: resolve(c.str(o.folder, 'data.folder')),
  };
  if (o.labelsFile !== undefined)
    d.labelsFile = o.labelsFile === false ? false : resolve(c.str(o.labelsFile, 'data.labelsFile'));
  if (o.split !== undefined) {
    const s = c.object(o.split, 'data.split');
    c.keys(s, ['validation', 'test', 'seed'], 'data.split');
    d.split = {};
    if (s.validation !== undefined)
      d.split.validation = c.num(s.validation, 'data.split.validation', 0, 1, true);
    if (s.test !== undefined) d.split.test = c.num(s.test, 'data.split.test', 0, 1, true);
    if (s.seed !== undefined) d.split.seed = c.int(s.seed, 'data.split.seed', 0);
    if ((d.split.validation ?? 0) + (d.split.test ?? 0) >= 1)
      c.fail('data.split', 'validation + test must leave some training images (sum < 1)');
  }
  if (o.onBadFile !== undefined)
    d.onBadFile = c.oneOf(o.onBadFile, ['skip', 'fail'] as const, 'data.onBadFile');
  if (o.color !== undefined)
    d.color = c.oneOf(o.color, ['rgb', 'grayscale'] as const, 'data.color');
  if (o.fit !== undefined)
    d.fit = c.oneOf(o.fit, ['fill', 'cover', 'contain'] as const, 'data.fit');
  return d;
}

function checkTransfer(c: Checker, raw: unknown): TransferConfig | undefined {
  if (raw === undefined) return undefined;
  const o = c.object(raw, 'transfer');
  c.keys(
    o,
    [
      'base',
      'cutLayer',
      'head',
      'headEpochs',
      'fineTuneEpochs',
      'fineTuneLearningRate',
      'unfreeze',
      'compareWithScratch',
    ],
    'transfer',
  );
  let base: TransferConfig['base'];
  if (typeof o.base === 'string') base = c.str(o.base, 'transfer.base');
  else if (o.base === undefined)
    c.fail('transfer.base', 'required: a model path or URL, or { pretrain: { classes, epochs } }');
  else {
    const b = c.object(o.base, 'transfer.base');
    c.keys(b, ['pretrain'], 'transfer.base');
    const p = c.object(b.pretrain, 'transfer.base.pretrain');
    c.keys(p, ['classes', 'epochs'], 'transfer.base.pretrain');
    base = { pretrain: { classes: c.intList(p.classes, 'transfer.base.pretrain.classes', 0) } };
    if (p.epochs !== undefined)
      base.pretrain.epochs = c.int(p.epochs, 'transfer.base.pretrain.epochs');
  }
  const t: TransferConfig = {
    base,
    headEpochs: c.int(o.headEpochs ?? 5, 'transfer.headEpochs'),
    fineTuneEpochs: c.int(o.fineTuneEpochs ?? 5, 'transfer.fineTuneEpochs', 0),
  };
  if (o.cutLayer !== undefined) t.cutLayer = c.str(o.cutLayer, 'transfer.cutLayer');
  if (o.fineTuneLearningRate !== undefined)
    t.fineTuneLearningRate = c.num(
      o.fineTuneLearningRate,
      'transfer.fineTuneLearningRate',
      Number.MIN_VALUE,
    );
  if (o.unfreeze !== undefined)
    t.unfreeze = o.unfreeze === 'all' ? 'all' : c.int(o.unfreeze, 'transfer.unfreeze (or "all")');
  if (o.compareWithScratch !== undefined) {
    if (typeof o.compareWithScratch !== 'boolean')
      c.fail('transfer.compareWithScratch', 'expected true or false');
    t.compareWithScratch = o.compareWithScratch;
  }
  if (o.head !== undefined) {
    const h = c.object(o.head, 'transfer.head');
    c.keys(h, ['pooling', 'hidden', 'dropout'], 'transfer.head');
    t.head = {};
    if (h.pooling !== undefined)
      t.head.pooling = c.oneOf(
        h.pooling,
        ['avg', 'max', 'flatten'] as const,
        'transfer.head.pooling',
      );
    if (h.hidden !== undefined) t.head.hidden = c.intList(h.hidden, 'transfer.head.hidden');
    if (h.dropout !== undefined)
      t.head.dropout = c.num(h.dropout, 'transfer.head.dropout', 0, 1, true);
  }
  return t;
}

/**
 * Validates a parsed config object (from JSON or YAML).
 * @param raw the parsed document
 * @param source file name used in error messages and as the default model name
 * @throws ConfigError naming the field
 */
export function validateExperimentConfig(raw: unknown, source?: string): ExperimentConfig {
  const c: Checker = new Checker(source);
  const o = c.object(raw, '');
  c.keys(o, TOP_KEYS, '');
  let base: ModelPreset | undefined;
  if (o.preset !== undefined) {
    const name = c.str(o.preset, 'preset');
    if (!PRESETS[name])
      c.fail('preset', `unknown preset "${name}"; available: ${Object.keys(PRESETS).join(', ')}`);
    base = getPreset(name);
  } else if (o.model === undefined) {
    c.fail('', 'a config needs `preset: NAME` or a full `model:`');
  }
  const fallbackName = source
    ? path.basename(source).replace(/\.(ya?ml|json)$/i, '')
    : 'custom-model';
  const config: ExperimentConfig = {
    source,
    preset: checkModel(c, o.model, base, fallbackName),
    training: checkTraining(c, o.training),
    data: checkData(c, o.data, source && path.dirname(path.resolve(source))),
    transfer: checkTransfer(c, o.transfer),
  };
  const data = config.data;
  if (data.source === 'image-folder' && data.color) {
    // The decoded channels and the model's input must agree: the preset follows `color`, but a
    // model.inputShape written in the config wins and a contradiction is an error.
    const channels = data.color === 'grayscale' ? 1 : 3;
    const explicit = (o.model as Obj | undefined)?.inputShape !== undefined;
    if (config.preset.inputShape[2] !== channels) {
      if (explicit)
        c.fail(
          'data.color',
          `${data.color} images have ${channels} channel(s) but model.inputShape has ${config.preset.inputShape[2]}`,
        );
      config.preset.inputShape = [
        config.preset.inputShape[0],
        config.preset.inputShape[1],
        channels,
      ];
    }
  }
  if (
    data.source === 'image-folder' &&
    config.preset.inputShape[2] !== 1 &&
    config.preset.inputShape[2] !== 3
  )
    c.fail(
      'model.inputShape',
      `image folders decode to 1 (grayscale) or 3 (RGB) channels, the model takes ${config.preset.inputShape[2]}`,
    );
  if (data.source === 'image-folder' && config.transfer && typeof config.transfer.base !== 'string')
    c.fail(
      'transfer.base.pretrain',
      'pretraining a base on other classes needs fashion-mnist data; give an image folder a base model path',
    );
  if (o.project !== undefined) config.project = c.str(o.project, 'project');
  if (o.name !== undefined) config.name = c.str(o.name, 'name');
  if (o.notes !== undefined) config.notes = c.str(o.notes, 'notes');
  if (o.tags !== undefined) {
    if (!Array.isArray(o.tags))
      c.fail('tags', `expected a list of strings, got ${describe(o.tags)}`);
    config.tags = o.tags.map((t, i) => c.str(t, `tags[${i}]`));
  }
  if (
    config.data.source === 'fashion-mnist' &&
    config.transfer &&
    typeof config.transfer.base !== 'string'
  ) {
    const overlap = config.transfer.base.pretrain.classes.filter(
      (k) => config.data.source === 'fashion-mnist' && config.data.classes?.includes(k),
    );
    if (overlap.length > 0)
      c.fail(
        'transfer.base.pretrain.classes',
        `shares classes ${overlap.join(', ')} with data.classes; the base must not see the target classes`,
      );
  }
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
