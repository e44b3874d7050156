/**
 * What a tracked run records when it is created: its hyperparameters, notes (phases, unreadable
 * files) and dataset description.
 */
import type { BadImageFile } from '../data/image-folder';
import type { ModelPreset } from '../models/presets';
import type { PhaseName, TrainingPhase } from '../transfer/phases';
import { isStreamed, type ExperimentData } from './experiment-data';
import { configHyperparameters } from './resolved-config';
import type { TrainExperimentOptions } from './experiment-options';

/** Unreadable files named in a run's hyperparameters and notes (bad-files.json lists all). */
const MAX_LISTED_BAD_FILES = 20;

/** A phase as planned, 1-based like the metric steps. */
export interface PlannedPhase {
  phase: PhaseName;
  startEpoch: number;
  epochs: number;
}

/** The settings of a run after defaults. */
export interface RunSettings {
  preset: ModelPreset;
  seed: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  validationSplit: number;
  patience: number;
}

/** The run's settings: the options, else the preset's values, else the defaults. */
export function resolveSettings(options: TrainExperimentOptions, preset: ModelPreset): RunSettings {
  return {
    preset,
    seed: options.seed ?? 42,
    epochs: options.epochs ?? preset.epochs,
    batchSize: options.batchSize ?? preset.batchSize,
    learningRate: options.learningRate ?? preset.optimizer.learningRate,
    validationSplit: options.validationSplit ?? 0.1,
    patience: options.patience ?? 3,
  };
}

/** Planned phase boundaries (the head phase never stops early); phases of 0 epochs are left out. */
export function planPhases(phases: readonly TrainingPhase[]): PlannedPhase[] {
  const planned: PlannedPhase[] = [];
  for (const p of phases)
    if (p.epochs > 0)
      planned.push({
        phase: p.name,
        startEpoch: planned.reduce((s, q) => s + q.epochs, 0) + 1,
        epochs: p.epochs,
      });
  return planned;
}

/** What {@link describeRun} needs besides the settings. */
export interface DescribeRunInput {
  settings: RunSettings;
  data: ExperimentData;
  phases: readonly TrainingPhase[];
  /** Present when the model came from `createModel`. */
  customHyperparameters?: Record<string, unknown>;
  custom: boolean;
  options: TrainExperimentOptions;
  /** The resolved config (resolved-config.ts): each value also becomes a dotted hyperparameter. */
  resolvedConfig?: Record<string, unknown>;
}

/** A run's description as RunTracker.create stores it. */
export interface RunDescription {
  hyperparameters: Record<string, unknown>;
  notes?: string;
  datasetInfo: Record<string, unknown>;
  /** True when the run trains in more than one phase (each epoch then logs its `phase`). */
  multiPhase: boolean;
}

/** The hyperparameters, notes and dataset info of a run. */
export function describeRun(input: DescribeRunInput): RunDescription {
  const { settings, data, options } = input;
  const planned = planPhases(input.phases);
  const multiPhase = planned.length > 1;
  const badAtStart = isStreamed(data.full) ? [...(data.full.badFiles ?? [])] : [];
  // The API bounds hyperparameters and notes (64 KiB each): the first files are listed there,
  // bad-files.json holds every one.
  const listedBad = badAtStart
    .slice(0, MAX_LISTED_BAD_FILES)
    .map((b) => ({ path: b.path.slice(0, 500), reason: String(b.reason).slice(0, 200) }));
  const hyperparameters = {
    preset: settings.preset.name,
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    learningRate: settings.learningRate,
    optimizer: settings.preset.optimizer.type,
    loss: settings.preset.loss,
    seed: settings.seed,
    // A streamed dataset brings its validation split; the fraction is the caller's to record.
    ...(data.streamed ? {} : { validationSplit: settings.validationSplit }),
    patience: settings.patience,
    ...(input.custom ? { epochs: planned.reduce((s, q) => s + q.epochs, 0) } : {}),
    ...(multiPhase ? { phases: planned } : {}),
    ...(options.augmentation ? { augmentation: options.augmentation } : {}),
    ...input.customHyperparameters,
    ...(badAtStart.length ? { badFiles: listedBad.map((b) => b.path) } : {}),
    ...(badAtStart.length > listedBad.length ? { badFileCount: badAtStart.length } : {}),
    // Every resolved setting under its dotted key (`model.weightDecay.tau`); the keys above,
    // without dots, stay as they were so existing queries keep working.
    ...(input.resolvedConfig ? configHyperparameters(input.resolvedConfig) : {}),
  };
  const phaseNote = multiPhase
    ? planned.map((p) => `${p.phase} from epoch ${p.startEpoch}`).join('; ')
    : undefined;
  const notes =
    [options.notes, phaseNote && `Phases: ${phaseNote}.`, badFilesNote(badAtStart, listedBad)]
      .filter(Boolean)
      .join('\n') || undefined;
  return { hyperparameters, notes, datasetInfo: datasetInfo(data), multiPhase };
}

function badFilesNote(
  all: readonly BadImageFile[],
  listed: readonly { path: string; reason: string }[],
): string | undefined {
  if (!all.length) return undefined;
  return (
    `Skipped ${all.length} unreadable image file(s): ${listed.map((b) => `${b.path} (${b.reason})`).join('; ')}` +
    (all.length > listed.length
      ? `; and ${all.length - listed.length} more (bad-files.json lists them all).`
      : '.')
  );
}

function datasetInfo(data: ExperimentData): Record<string, unknown> {
  return {
    name: data.full.name,
    source: data.full.source,
    classNames: data.full.classNames,
    shape: data.shape,
    trainCount: data.train.count,
    validationCount: data.validation?.count ?? 0,
    testCount: data.test.count,
  };
}
