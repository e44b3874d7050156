/**
 * Experiment configs: a model and its training as a JSON or YAML file
 * (`npm run train -- --config examples/cifar3-cnn.yaml`). A config holds either `preset: NAME`
 * (with optional `model:` fields overriding the preset's) or a full `model:`, plus `training:`,
 * `data:`, an optional `transfer:` section and run metadata. These schemas check each section;
 * libs/ml's config loader merges the preset, resolves paths and checks what spans sections.
 */
import { z } from 'zod';
import {
  bool,
  describeValue,
  fraction,
  int,
  intList,
  num,
  oneOf,
  positive,
  renamed,
  str,
  strict,
} from './checks';
import { modelSectionSchema } from './model';

/** How points outside the input are filled (Keras/scipy names; for input `abcd`: `aaaa|abcd|dddd`, `kkkk|abcd|kkkk`, `dcba|abcd|dcba`, `abcd|abcd|abcd`). */
export const FILL_MODES = ['nearest', 'constant', 'reflect', 'wrap'] as const;
/** See {@link FILL_MODES}. */
export type FillMode = (typeof FILL_MODES)[number];

/** A value that is either a number or a list/pair: the message names both forms. */
function numberOrList<T extends z.ZodType>(list: T, expected: string) {
  const m = {
    error: (iss: { input?: unknown }) => `expected ${expected}, got ${describeValue(iss.input)}`,
  };
  return z.union([num({ min: 0 }), list], m);
}

/**
 * A shift range, as in Keras's `width_shift_range` / `height_shift_range`: a number r gives a
 * shift uniform in [-r, r], in pixels when r >= 1 and as a fraction of the image size when
 * r < 1; a list gives one of its values with a random sign (fractions of the size when all are
 * < 1), e.g. `[0, 1, 2]` for whole-pixel shifts of at most 2.
 */
export const shiftRangeSchema = numberOrList(
  z
    .array(num({ min: 0 }))
    .min(1, { error: 'expected a number or a non-empty list of numbers' })
    .readonly(),
  'a number or a non-empty list of numbers',
);
/** See {@link shiftRangeSchema}. */
export type ShiftRange = z.infer<typeof shiftRangeSchema>;

/** Zoom: a number z (factors in [1 - z, 1 + z]) or a pair [lo, hi] with 0 < lo <= hi. */
const zoomRange = z.union(
  [
    fraction(),
    z
      .tuple([positive(), positive()], {
        error: (iss) => `expected a number or a pair [lo, hi], got ${describeValue(iss.input)}`,
      })
      .check((ctx) => {
        const [lo, hi] = ctx.value;
        if (hi < lo)
          ctx.issues.push({
            code: 'custom',
            input: hi,
            path: [1],
            message: `expected a number in [${lo}, ∞], got ${describeValue(hi)}`,
          });
      })
      .readonly(),
  ],
  { error: (iss) => `expected a number or a pair [lo, hi], got ${describeValue(iss.input)}` },
);

/**
 * Random augmentation applied to training images, with Keras `ImageDataGenerator` semantics:
 * every range is drawn independently per image, the geometric transforms are composed into one
 * affine map about the image centre (rotation, shift, shear, zoom, in that order, like Keras),
 * flips come after it, then `rescale`.
 */
export const augmentationSchema = strict({
  /** Flip left-right with probability 1/2. */
  horizontalFlip: bool().optional(),
  /** Flip top-bottom with probability 1/2. */
  verticalFlip: bool().optional(),
  /** Rotation uniform in [-r, r] degrees. */
  rotationRange: num({ min: 0, max: 180 }).optional(),
  /** Horizontal shift (see {@link shiftRangeSchema}). */
  widthShiftRange: shiftRangeSchema.optional(),
  /** Vertical shift (see {@link shiftRangeSchema}). */
  heightShiftRange: shiftRangeSchema.optional(),
  /** Zoom factors uniform in [1 - z, 1 + z] for a number, or in [lo, hi]; drawn per axis; > 1 zooms out. */
  zoomRange: zoomRange.optional(),
  /** Shear angle uniform in [-s, s] degrees. */
  shearRange: num({ min: 0, max: 90, maxExclusive: true }).optional(),
  /** Fill of points outside the input (default 'nearest', like Keras). */
  fillMode: oneOf(FILL_MODES).optional(),
  /** Fill value for `fillMode: 'constant'`, in pixel units before `rescale` (default 0). */
  cval: num({ min: 0, max: 255 }).optional(),
  /** Sampling of the input: 'bilinear' (default, Keras's order 1) or 'nearest'. */
  interpolation: oneOf(['nearest', 'bilinear']).optional(),
  /**
   * Multiplier applied to the pixel bytes after the transforms (default 1/255, the scaling the
   * rest of the pipeline feeds models). Training applies the same factor to validation batches.
   */
  rescale: positive().optional(),
  /** Seed of the random draws (default: the training seed). */
  seed: int(0).optional(),
});
/** See {@link augmentationSchema}. */
export type AugmentationConfig = z.infer<typeof augmentationSchema>;

/** Training options of a config; each overrides the preset's default. */
export const trainingSchema = strict({
  epochs: int().optional(),
  batchSize: int().optional(),
  learningRate: positive().optional(),
  /** Seed of weights, splits, shuffles (default 42). */
  seed: int(0).optional(),
  /** Repeat the run once per seed (transfer comparison: reports the mean). Overrides `seed`. */
  seeds: intList(0).optional(),
  /** Early-stopping patience on val_loss (default 3). */
  patience: int(0).optional(),
  /** Fraction of the training images held out for validation (default 0.1; 0 for none). */
  validationSplit: fraction().optional(),
  /** Use only the first N training images. */
  trainLimit: int().optional(),
  /** Use only the first N test images. */
  testLimit: int().optional(),
  /**
   * Stochastic passes of the uncertainty evaluation stored with a tracked run whose model is
   * random at prediction (MC dropout, variational latent); default 100, 0 for none.
   */
  uncertaintyPasses: int(0).optional(),
  /** Random augmentation of the training batches; a tracked run also stores `augmentation-grid.png`. */
  augmentation: augmentationSchema.optional(),
});
/** See {@link trainingSchema}. */
export type TrainingConfig = z.infer<typeof trainingSchema>;

/** What to do with an image file that cannot be decoded. */
export const BAD_FILE_POLICIES = ['skip', 'fail'] as const;
/** See {@link BAD_FILE_POLICIES}. */
export type BadFilePolicy = (typeof BAD_FILE_POLICIES)[number];
/** How an image is fitted into the target `[height, width]`: stretch, crop or pad. */
export const RESIZE_FITS = ['fill', 'cover', 'contain'] as const;
/** See {@link RESIZE_FITS}. */
export type ResizeFit = (typeof RESIZE_FITS)[number];

/** Splits taken from the training images; `validation + test` must leave some (sum < 1). */
const splitSchema = strict({
  validation: fraction().optional(),
  test: fraction().optional(),
  seed: int(0).optional(),
}).refine((s) => (s.validation ?? 0) + (s.test ?? 0) < 1, {
  error: 'validation + test must leave some training images (sum < 1)',
});

const FOLDER_FIELDS = ['source', 'folder', 'labelsFile', 'split', 'onBadFile', 'color', 'fit'];

/**
 * Images read from a folder of class sub-folders, decoded and resized to the model's
 * `inputShape` while training, so a set larger than memory trains.
 */
export const imageFolderDataSchema = strict(
  {
    // First: an old `path:` is reported before the missing `folder` it stands for.
    path: renamed('renamed: give the image folder as data.folder'),
    source: z.literal('image-folder'),
    /**
     * Root folder: `train/` (or `training/`) with one sub-folder per class, optional
     * `validation/` and `test/` beside it; or the class sub-folders directly. A relative path is
     * resolved against the directory of the config file.
     */
    folder: str(),
    /**
     * File mapping class folders to display names (CSV/TSV with a header such as the monkey
     * dataset's `monkey_labels.txt`, `folder,name` rows, or JSON); relative to the config
     * file's directory. Default: a `labels.*` / `*_labels.*` file in `folder`; `false` disables
     * the lookup.
     */
    labelsFile: z
      .union([z.literal(false), str()], {
        error: (iss) => `expected a non-empty string or false, got ${describeValue(iss.input)}`,
      })
      .optional(),
    /**
     * Fractions of each class taken from the training images for the splits the folder has no
     * sub-folder for. `validation` defaults to `training.validationSplit` (0.1), `test` to 0,
     * `seed` to `training.seed` (42).
     */
    split: splitSchema.optional(),
    /** An unreadable image file: `skip` it (listed with the run as `badFiles`) or `fail` (default). */
    onBadFile: oneOf(BAD_FILE_POLICIES).optional(),
    /** Decode to RGB (3 channels) or grayscale (1). Default: the model's input channels. */
    color: oneOf(['rgb', 'grayscale']).optional(),
    /** How an image is fitted into the input size: `fill` (stretch, default), `cover` (crop) or `contain` (pad). */
    fit: oneOf(RESIZE_FITS).optional(),
  },
  FOLDER_FIELDS,
);

/** Fashion-MNIST, the committed subset or a directory with the four IDX files. */
export const fashionMnistDataSchema = strict({
  source: z.literal('fashion-mnist'),
  /** Directory with the four IDX files (default: the committed subset). */
  dir: str().optional(),
  /** Keep only these labels, renumbered 0..k-1 in this order (e.g. `[5, 6, 7, 8, 9]`). */
  classes: intList(0)
    .refine((c) => new Set(c).size === c.length, { error: 'lists a class twice' })
    .optional(),
  /** Keep at most this many training images per class (seeded choice). */
  trainPerClass: int().optional(),
});

/** Where the images come from; `source` defaults to image-folder when `folder` is given. */
export const dataSchema = z.preprocess(
  (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v) || 'source' in v) return v;
    return { source: 'folder' in v ? 'image-folder' : 'fashion-mnist', ...v };
  },
  z.discriminatedUnion('source', [fashionMnistDataSchema, imageFolderDataSchema], {
    error: (iss) => {
      if (typeof iss.input !== 'object' || iss.input === null)
        return `expected a mapping, got ${describeValue(iss.input)}`;
      const source = (iss.input as { source?: unknown }).source;
      return `expected one of fashion-mnist, image-folder, got ${describeValue(source)}`;
    },
  }),
);
/** See {@link dataSchema}. */
export type DataConfig = z.infer<typeof dataSchema>;
/** See {@link imageFolderDataSchema}. */
export type ImageFolderDataConfig = Omit<Extract<DataConfig, { source: 'image-folder' }>, 'path'>;

/** The classification head put on a transferred base. */
export const headSchema = strict({
  /** How the base's `[batch, h, w, c]` output becomes a vector (default `avg`: global average pooling). */
  pooling: oneOf(['avg', 'max', 'flatten']).optional(),
  /** Hidden dense layers (relu) between pooling and the output, units each (default none). */
  hidden: intList().optional(),
  /** Dropout rate before the output layer (default 0.5; 0 for none). */
  dropout: fraction().optional(),
});
/** See {@link headSchema}. */
export type HeadConfig = z.infer<typeof headSchema>;

const baseMissing = 'required: a model path or URL, or { pretrain: { classes, epochs } }';

/** Transfer learning: a base model, a new head, then fine-tuning. */
export const transferSchema = strict({
  /**
   * The base: a Keras-converted TF.js LayersModel given as a directory with model.json, a path
   * to model.json, a `file://` URL or an `http(s)://` URL; or `{ pretrain: ... }` to train the
   * base here first on other classes of the same data source.
   */
  base: z.union(
    [
      str(),
      strict({
        pretrain: strict({ classes: intList(0), epochs: int().optional() }),
      }),
    ],
    {
      error: (iss) =>
        iss.input === undefined
          ? baseMissing
          : `expected a model path or URL, or { pretrain: { classes, epochs } }, got ${describeValue(iss.input)}`,
    },
  ),
  /** Layer of the base to cut at (default: the last 4-D output before flatten/pooling). */
  cutLayer: str().optional(),
  head: headSchema.optional(),
  /** Epochs training the head on the frozen base (default 5). */
  headEpochs: int().default(5),
  /** Epochs fine-tuning after unfreezing (default 5; 0 skips the phase). */
  fineTuneEpochs: int(0).default(5),
  /** Learning rate of the fine-tuning phase (default 1e-4). */
  fineTuneLearningRate: positive().optional(),
  /** Unfreeze every base layer (`all`, default) or only the top N. */
  unfreeze: z
    .union([z.literal('all'), int()], {
      error: (iss) => `expected "all" or an integer >= 1, got ${describeValue(iss.input)}`,
    })
    .optional(),
  /** Also train the same architecture from scratch on the same data, for comparison. */
  compareWithScratch: bool().optional(),
});
/** See {@link transferSchema}. */
export type TransferConfig = z.infer<typeof transferSchema>;

/** A config file as written: each section checked, nothing merged or resolved yet. */
export const experimentFileSchema = strict({
  preset: str().optional(),
  model: modelSectionSchema.optional(),
  training: trainingSchema.optional(),
  data: dataSchema.optional(),
  transfer: transferSchema.optional(),
  /** Run metadata. */
  project: str().optional(),
  name: str().optional(),
  tags: z
    .array(str(), { error: (iss) => `expected a list of strings, got ${describeValue(iss.input)}` })
    .optional(),
  notes: str().optional(),
});
/** See {@link experimentFileSchema}. */
export type ExperimentFile = z.infer<typeof experimentFileSchema>;
