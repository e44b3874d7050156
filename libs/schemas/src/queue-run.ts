/**
 * The dashboard's "New run" form: its fields as typed (strings from inputs), their checks, and
 * the mapping between the form and `queueRun`'s input, whose `config` is an experiment file
 * ({@link experimentFileSchema}). The form shows a handful of fields; everything else of a config
 * (augmentation, transfer, model layers, seeds, ...) travels in the "Advanced" config box, so a
 * run copied with "Run again with changes" keeps all of its config.
 */
import { z } from 'zod';
import { describeValue, firstIssue } from './checks';
import { experimentFileSchema, type ExperimentFile } from './experiment-config';
import type { OptimizerSpec } from './model';

/** Backends a worker may offer (libs/ml's `--backend` names), fastest first. */
export const WORKER_BACKENDS = ['tensorflow-gpu', 'tensorflow', 'onednn', 'wasm', 'cpu'] as const;
/** Optimizers a preset's recipe may be switched to. */
export const OPTIMIZERS = [
  'adam',
  'rmsprop',
  'sgd',
] as const satisfies readonly OptimizerSpec['type'][];
/** Where the form's images come from. */
export const DATA_SOURCES = ['fashion-mnist', 'image-folder'] as const;

/** Bounds of the form's numbers (the API keeps its own). */
export const NEW_RUN_LIMITS = {
  name: 200,
  epochs: 10_000,
  batchSize: 65_536,
  learningRate: 10,
  priority: 1_000,
  tags: 50,
  tag: 64,
  notes: 10_000,
  minMemoryMb: 16_777_216,
} as const;

/** The New run form's values as its inputs hold them ('' for a field left empty). */
export interface NewRunFormValues {
  name: string;
  /** A preset name, or '' for a config that brings its own model. */
  preset: string;
  dataSource: (typeof DATA_SOURCES)[number];
  /** Fashion-MNIST: use only the first N training images ('' for all). */
  trainLimit: string;
  /** Image folder: its path on the worker. */
  folder: string;
  epochs: string;
  batchSize: string;
  learningRate: string;
  /** '' keeps the preset's optimizer. */
  optimizer: string;
  /** Comma-separated. */
  tags: string;
  notes: string;
  priority: string;
  /** '' for any backend. */
  backend: string;
  gpu: boolean;
  minMemoryMb: string;
  /** The "Advanced" box: the rest of the experiment file as YAML or JSON. */
  configText: string;
}

/** A field of the form, as errors name it. */
export type NewRunField = keyof NewRunFormValues;

/** The label each field has on the form (errors start with it). */
export const NEW_RUN_LABELS: Record<NewRunField, string> = {
  name: 'Name',
  preset: 'Preset',
  dataSource: 'Data',
  trainLimit: 'Training images',
  folder: 'Image folder',
  epochs: 'Epochs',
  batchSize: 'Batch size',
  learningRate: 'Learning rate',
  optimizer: 'Optimizer',
  tags: 'Tags',
  notes: 'Notes',
  priority: 'Priority',
  backend: 'Backend',
  gpu: 'GPU',
  minMemoryMb: 'Min memory (MB)',
  configText: 'Config',
};

/** An empty form: Fashion-MNIST, the preset's defaults, priority 0, any worker. */
export function emptyNewRunForm(preset = ''): NewRunFormValues {
  return {
    name: '',
    preset,
    dataSource: 'fashion-mnist',
    trainLimit: '',
    folder: '',
    epochs: '',
    batchSize: '',
    learningRate: '',
    optimizer: '',
    tags: '',
    notes: '',
    priority: '0',
    backend: '',
    gpu: false,
    minMemoryMb: '',
    configText: '',
  };
}

const expected = (what: string) => ({
  error: (iss: { input?: unknown }) => `expected ${what}, got ${describeValue(iss.input)}`,
});

/** An optional number typed in a text box: '' is absent; anything else must parse. */
function typedNumber(check: z.ZodNumber) {
  return z.preprocess((v) => {
    if (typeof v !== 'string') return v;
    const s = v.trim();
    if (s === '') return undefined;
    const n = Number(s);
    // Keep the text for the message when it is no number ("ten", "1e").
    return Number.isFinite(n) ? n : s;
  }, check.optional());
}

function integer(min: number, max: number) {
  const what = `an integer from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}`;
  return typedNumber(
    z.number(expected(what)).int(expected(what)).min(min, expected(what)).max(max, expected(what)),
  );
}

function optionalText(max: number) {
  return z
    .string()
    .transform((s) => s.trim())
    .refine((s) => s.length <= max, { error: `at most ${max.toLocaleString('en-US')} characters` })
    .transform((s) => (s === '' ? undefined : s));
}

const learningRate = (() => {
  const what = `a number in (0, ${NEW_RUN_LIMITS.learningRate}]`;
  return typedNumber(
    z.number(expected(what)).gt(0, expected(what)).max(NEW_RUN_LIMITS.learningRate, expected(what)),
  );
})();

const tags = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== ''),
  )
  .transform((list) => [...new Set(list)])
  .refine((list) => list.length <= NEW_RUN_LIMITS.tags, {
    error: `at most ${NEW_RUN_LIMITS.tags} tags`,
  })
  .refine((list) => list.every((t) => t.length <= NEW_RUN_LIMITS.tag), {
    error: `a tag has at most ${NEW_RUN_LIMITS.tag} characters`,
  });

function choice<const T extends readonly [string, ...string[]]>(values: T) {
  return z
    .union([z.literal(''), z.enum(values)], expected(`one of ${values.join(', ')}`))
    .transform((v) => (v === '' ? undefined : v));
}

/** The form's own checks, field by field (the merged config is checked after them). */
export const newRunFormSchema = z.object({
  name: optionalText(NEW_RUN_LIMITS.name),
  preset: optionalText(100),
  dataSource: z.enum(DATA_SOURCES, expected(`one of ${DATA_SOURCES.join(', ')}`)),
  trainLimit: integer(1, 10_000_000),
  folder: optionalText(4096),
  epochs: integer(1, NEW_RUN_LIMITS.epochs),
  batchSize: integer(1, NEW_RUN_LIMITS.batchSize),
  learningRate,
  optimizer: choice(OPTIMIZERS),
  tags,
  notes: optionalText(NEW_RUN_LIMITS.notes),
  priority: integer(-NEW_RUN_LIMITS.priority, NEW_RUN_LIMITS.priority),
  backend: choice(WORKER_BACKENDS),
  gpu: z.boolean(),
  minMemoryMb: integer(0, NEW_RUN_LIMITS.minMemoryMb),
  // Parsed by the caller (YAML/JSON); here only its shape: a mapping or nothing.
  configText: z.string(),
});

/** Where a queued run may go (`WorkerRequirementsInput`). */
export interface WorkerRequirements {
  backend?: string;
  gpu?: boolean;
  minMemoryMb?: number;
}

/** What the form sends to `queueRun` (its `QueueRunInput`, less `projectId`). */
export interface QueueRunRequest {
  name?: string;
  config: ExperimentFile;
  tags: string[];
  notes?: string;
  priority: number;
  requirements?: WorkerRequirements;
  sourceRunId?: string;
}

/** The form's outcome: the request, or one message per field that is wrong. */
export type NewRunResult =
  | { ok: true; request: QueueRunRequest }
  | { ok: false; errors: Partial<Record<NewRunField, string>> };

/** Config paths the form's fields write, and the field each belongs to. */
const CONFIG_FIELDS: [path: string, field: NewRunField][] = [
  ['preset', 'preset'],
  ['training.epochs', 'epochs'],
  ['training.batchSize', 'batchSize'],
  ['training.learningRate', 'learningRate'],
  ['training.trainLimit', 'trainLimit'],
  ['model.optimizer', 'optimizer'],
  ['data.folder', 'folder'],
  ['data', 'dataSource'],
];

/** The field a problem of the merged config belongs to ('configText' when no field wrote it). */
function fieldOfConfigPath(path: string): NewRunField {
  for (const [prefix, field] of CONFIG_FIELDS)
    if (path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`))
      return field;
  return 'configText';
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

type FormFields = z.output<typeof newRunFormSchema>;

/** The advanced config with the form's fields written over it. */
function mergeConfig(base: Record<string, unknown>, f: FormFields): Record<string, unknown> {
  const config: Record<string, unknown> = { ...base };
  if (f.preset !== undefined) config.preset = f.preset;
  const training: Record<string, unknown> = isMapping(base.training) ? { ...base.training } : {};
  const set = (key: string, value: unknown) => {
    if (value !== undefined) training[key] = value;
  };
  set('epochs', f.epochs);
  set('batchSize', f.batchSize);
  set('learningRate', f.learningRate);
  const baseData = isMapping(base.data) ? base.data : {};
  if (f.dataSource === 'image-folder') {
    const { dir: _dir, classes: _c, trainPerClass: _t, ...rest } = baseData;
    config.data = { ...rest, source: 'image-folder', ...(f.folder ? { folder: f.folder } : {}) };
  } else {
    // The box's Fashion-MNIST options (dir, classes) stay; an image folder's do not apply.
    const keep = baseData.source === 'image-folder' || 'folder' in baseData ? {} : baseData;
    config.data = { ...keep, source: 'fashion-mnist' };
  }
  set('trainLimit', f.trainLimit);
  if (Object.keys(training).length > 0) config.training = training;
  if (f.optimizer !== undefined) {
    const model = isMapping(base.model) ? base.model : {};
    const optimizer = isMapping(model.optimizer) ? model.optimizer : {};
    config.model = { ...model, optimizer: { ...optimizer, type: f.optimizer } };
  }
  return config;
}

/**
 * Checks the form and builds `queueRun`'s input: every field's own check, then the merged
 * experiment file against {@link experimentFileSchema}, its problem shown at the field that
 * wrote the value (or at the config box). `advancedConfig` is the config box parsed (YAML or
 * JSON) by the caller, undefined when empty; a parse error is the caller's to report.
 */
export function buildQueueRunRequest(
  values: NewRunFormValues,
  advancedConfig: unknown,
  options: { sourceRunId?: string } = {},
): NewRunResult {
  const errors: Partial<Record<NewRunField, string>> = {};
  const parsed = newRunFormSchema.safeParse(values);
  if (!parsed.success) {
    for (const iss of parsed.error.issues) {
      const field = String(iss.path[0]) as NewRunField;
      errors[field] ??= `${NEW_RUN_LABELS[field]}: ${iss.message}`;
    }
  }
  if (advancedConfig !== undefined && advancedConfig !== null && !isMapping(advancedConfig))
    errors.configText = `${NEW_RUN_LABELS.configText}: expected a mapping (preset:, model:, training:, data:, ...), got ${describeValue(advancedConfig)}`;
  if (!parsed.success || errors.configText) return { ok: false, errors };
  const f = parsed.data;
  if (f.dataSource === 'image-folder' && f.folder === undefined)
    return {
      ok: false,
      errors: { folder: `${NEW_RUN_LABELS.folder}: required for an image folder` },
    };
  const base = isMapping(advancedConfig) ? advancedConfig : {};
  const merged = mergeConfig(base, f);
  if (merged.preset === undefined && merged.model === undefined)
    return {
      ok: false,
      errors: { preset: `${NEW_RUN_LABELS.preset}: choose one, or give a model: in the config` },
    };
  const checked = experimentFileSchema.safeParse(merged);
  if (!checked.success) {
    const problem = firstIssue(checked.error.issues);
    const field = fieldOfConfigPath(problem.path);
    const where = field === 'configText' && problem.path ? `${problem.path}: ` : '';
    return {
      ok: false,
      errors: { [field]: `${NEW_RUN_LABELS[field]}: ${where}${problem.message}` },
    };
  }
  const requirements: WorkerRequirements = {
    ...(f.backend !== undefined ? { backend: f.backend } : {}),
    ...(f.gpu ? { gpu: true } : {}),
    ...(f.minMemoryMb !== undefined && f.minMemoryMb > 0 ? { minMemoryMb: f.minMemoryMb } : {}),
  };
  return {
    ok: true,
    request: {
      ...(f.name !== undefined ? { name: f.name } : {}),
      config: checked.data,
      tags: f.tags,
      ...(f.notes !== undefined ? { notes: f.notes } : {}),
      priority: f.priority ?? 0,
      ...(Object.keys(requirements).length > 0 ? { requirements } : {}),
      ...(options.sourceRunId ? { sourceRunId: options.sourceRunId } : {}),
    },
  };
}

/** What a run offers to pre-fill the form ("Run again with changes"). */
export interface RunToCopy {
  name: string;
  tags: readonly string[];
  notes?: string | null;
  priority?: number | null;
  /** The experiment file it was queued with; null for runs started by hand. */
  queuedConfig?: unknown;
  /** Its recorded hyperparameters (runs started by hand). */
  hyperparameters?: unknown;
}

/** The form pre-filled from a run, and the rest of its config for the "Advanced" box. */
export interface PrefilledForm {
  values: Omit<NewRunFormValues, 'configText'>;
  /** What the fields do not show, to be written into the config box (empty: nothing). */
  rest: Record<string, unknown>;
}

const text = (v: unknown): string =>
  typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' ? v : '';

/** Moves `obj[key]` out of `obj` (a copy is changed) and returns it. */
function take(obj: Record<string, unknown>, key: string): unknown {
  const v = obj[key];
  delete obj[key];
  return v;
}

/** The config a run started by hand amounts to, from its recorded hyperparameters. */
function configFromHyperparameters(hp: unknown): Record<string, unknown> {
  if (!isMapping(hp)) return {};
  const training: Record<string, unknown> = {};
  for (const key of ['epochs', 'batchSize', 'learningRate', 'seed', 'patience', 'validationSplit'])
    if (typeof hp[key] === 'number') training[key] = hp[key];
  const config: Record<string, unknown> = {};
  if (typeof hp.preset === 'string') config.preset = hp.preset;
  if (Object.keys(training).length > 0) config.training = training;
  if (typeof hp.optimizer === 'string') config.model = { optimizer: { type: hp.optimizer } };
  return config;
}

/**
 * The form for a copy of `run`: its name with " (again)", tags, notes, priority, and the fields
 * its queued config (or, for a run started by hand, its hyperparameters) sets; the rest of that
 * config comes back as `rest` for the config box, so nothing of it is lost.
 */
export function prefillNewRunForm(run: RunToCopy): PrefilledForm {
  const source = isMapping(run.queuedConfig)
    ? run.queuedConfig
    : configFromHyperparameters(run.hyperparameters);
  const rest: Record<string, unknown> = structuredClone(source);
  // Run metadata comes from the run itself, not the file.
  for (const key of ['project', 'name', 'tags', 'notes']) delete rest[key];
  const values = emptyNewRunForm(text(take(rest, 'preset')));
  values.name = `${run.name} (again)`.slice(0, NEW_RUN_LIMITS.name);
  values.tags = run.tags.join(', ');
  values.notes = run.notes ?? '';
  values.priority = String(run.priority ?? 0);
  const training = isMapping(rest.training) ? { ...rest.training } : {};
  values.epochs = text(take(training, 'epochs'));
  values.batchSize = text(take(training, 'batchSize'));
  values.learningRate = text(take(training, 'learningRate'));
  values.trainLimit = text(take(training, 'trainLimit'));
  const data = isMapping(rest.data) ? { ...rest.data } : {};
  if (data.source === 'image-folder' || typeof data.folder === 'string') {
    values.dataSource = 'image-folder';
    values.folder = text(take(data, 'folder'));
  }
  delete data.source;
  const model = isMapping(rest.model) ? { ...rest.model } : {};
  const optimizer = isMapping(model.optimizer) ? { ...model.optimizer } : {};
  if (
    typeof optimizer.type === 'string' &&
    (OPTIMIZERS as readonly string[]).includes(optimizer.type)
  ) {
    values.optimizer = text(take(optimizer, 'type'));
    // The config box keeps a learning rate of the recipe, which needs its type beside it.
    if (Object.keys(optimizer).length > 0) optimizer.type = values.optimizer;
  }
  putBack(rest, 'training', training);
  putBack(rest, 'data', data);
  putBack(model, 'optimizer', optimizer);
  putBack(rest, 'model', model);
  return { values, rest };
}

/** Sets `obj[key] = value`, or removes the key when `value` has no fields left. */
function putBack(obj: Record<string, unknown>, key: string, value: Record<string, unknown>): void {
  if (Object.keys(value).length > 0) obj[key] = value;
  else delete obj[key];
}
