// Checks of queued-work inputs (zod): queueRun's config, overrides and requirements, and the
// worker protocol's registration. Decorator-free: services import it.
import { z } from 'zod';
import {
  experimentFileSchema,
  presetInfo,
  PRESET_INFO,
  type ExperimentFile,
} from '@convscope/schemas';
import { badInput } from '../common/errors';
import { check, idSchema, limits, LIMITS, nameSchema } from '../common/limits';
import { JOB_KINDS, type JobKind } from './job-queue';
import type { QueueRunInput, RegisterWorkerInput } from './queue.input';

/** The training overrides a client may give flat (queueRun.hyperparameters). */
const overridesSchema = z
  .object({
    epochs: z.number().int().min(1).max(100_000),
    batchSize: z.number().int().min(1).max(65_536),
    learningRate: z.number().positive().max(10),
    seed: z.number().int().min(0),
    patience: z.number().int().min(0),
    validationSplit: z.number().min(0).max(0.9),
    trainLimit: z.number().int().min(1),
    testLimit: z.number().int().min(1),
    optimizer: z.enum(['adam', 'rmsprop', 'sgd']),
  })
  .partial()
  .strict();
/** See {@link overridesSchema}. */
export type TrainingOverrides = z.infer<typeof overridesSchema>;

const requirementsSchema = z
  .object({
    backend: nameSchema('requirements.backend', 50).nullish(),
    gpu: z.boolean().nullish(),
    minMemoryMb: z
      .number()
      .int()
      .min(0)
      .max(16 * 1024 * 1024)
      .nullish(),
  })
  .nullish();

/** queueRun's input after its checks. */
export interface CheckedQueueRun {
  projectId: string;
  name: string | null;
  /** The experiment file with the overrides applied (what the worker runs). */
  config: ExperimentFile;
  overrides: TrainingOverrides;
  tags: string[];
  notes: string | null;
  priority: number;
  requirements: { backend: string | null; gpu: boolean; minMemoryMb: number };
  sourceRunId: string | null;
}

/** The first zod issue as BAD_USER_INPUT naming the path (`config.training.epochs: …`). */
function zodIssue(field: string, error: z.ZodError): never {
  const first = error.issues[0];
  const where = [field, ...(first?.path ?? []).map(String)].join('.');
  throw badInput(`${where}: ${first?.message ?? 'invalid'}`, { field: where });
}

/**
 * Checks queueRun's input (everything before any lookup): the config is an experiment file
 * naming a known preset or a model, the overrides are known training fields with finite values.
 */
export function checkQueueRun(input: QueueRunInput): CheckedQueueRun {
  const projectId = check(idSchema('projectId'), input.projectId, 'projectId');
  const name = input.name == null ? null : limits.name(input.name, 'name', LIMITS.runName);
  limits.json(input.config, 'config', LIMITS.modelSummary, true);
  const parsed = experimentFileSchema.safeParse(input.config);
  if (!parsed.success) zodIssue('config', parsed.error);
  const file = parsed.data;
  if (file.preset !== undefined && !presetInfo(file.preset))
    throw badInput(
      `config.preset: unknown preset "${file.preset}"; known: ${PRESET_INFO.map((p) => p.name).join(', ')}`,
      { field: 'config.preset' },
    );
  if (file.preset === undefined && file.model === undefined)
    throw badInput('config needs a preset or a model', { field: 'config' });
  let overrides: TrainingOverrides = {};
  if (input.hyperparameters != null) {
    const o = overridesSchema.safeParse(input.hyperparameters);
    if (!o.success) zodIssue('hyperparameters', o.error);
    overrides = o.data;
  }
  const req = requirementsSchema.safeParse(input.requirements);
  if (!req.success) zodIssue('requirements', req.error);
  const priority = input.priority ?? 0;
  if (!Number.isInteger(priority) || Math.abs(priority) > 1000)
    throw badInput(`priority must be an integer in -1000..1000, got ${priority}`, {
      field: 'priority',
    });
  if (input.sweepId != null)
    throw badInput('sweepId is set by the sweep service, not by clients', { field: 'sweepId' });
  return {
    projectId,
    name,
    config: applyOverrides(file, overrides),
    overrides,
    tags: limits.tags(input.tags),
    notes: limits.text(input.notes, 'notes', LIMITS.notesBytes),
    priority,
    requirements: {
      backend: req.data?.backend ?? null,
      gpu: req.data?.gpu ?? false,
      minMemoryMb: req.data?.minMemoryMb ?? 0,
    },
    sourceRunId:
      input.sourceRunId == null
        ? null
        : check(idSchema('sourceRunId'), input.sourceRunId, 'sourceRunId'),
  };
}

/** The experiment file with flat overrides written into training (and model.optimizer). */
export function applyOverrides(file: ExperimentFile, overrides: TrainingOverrides): ExperimentFile {
  const { optimizer, ...training } = overrides;
  const out: ExperimentFile = { ...file, training: { ...file.training, ...training } };
  if (optimizer)
    out.model = { ...file.model, optimizer: { ...file.model?.optimizer, type: optimizer } };
  return out;
}

/** The run's hyperparameters: the preset's defaults, then the file's training scalars. */
export function effectiveHyperparameters(file: ExperimentFile): Record<string, unknown> {
  const preset = file.preset ? presetInfo(file.preset) : undefined;
  const scalars = Object.fromEntries(
    Object.entries(file.training ?? {}).filter(([, v]) => typeof v !== 'object'),
  );
  return {
    ...(preset ? { preset: preset.name, epochs: preset.epochs, batchSize: preset.batchSize } : {}),
    ...(file.model?.optimizer?.type ? { optimizer: file.model.optimizer.type } : {}),
    ...scalars,
  };
}

/** registerWorker's input after its checks. */
export interface CheckedWorker {
  name: string;
  host: string;
  backend: string;
  gpu: boolean;
  memoryMb: number;
  concurrency: number;
  kinds: JobKind[];
}

/** Checks registerWorker's input. */
export function checkRegisterWorker(input: RegisterWorkerInput): CheckedWorker {
  const memoryMb = input.memoryMb;
  if (!Number.isInteger(memoryMb) || memoryMb < 0)
    throw badInput(`memoryMb must be an integer >= 0, got ${memoryMb}`, { field: 'memoryMb' });
  if (!Number.isInteger(input.concurrency) || input.concurrency < 1 || input.concurrency > 64)
    throw badInput(`concurrency must be 1-64, got ${input.concurrency}`, { field: 'concurrency' });
  const kinds: JobKind[] = [...new Set<JobKind>(input.kinds ?? ['TRAIN'])];
  if (kinds.length === 0 || kinds.some((k) => !JOB_KINDS.includes(k)))
    throw badInput('kinds must name at least one of TRAIN, EXPLAIN', { field: 'kinds' });
  return {
    name: limits.name(input.name, 'name', LIMITS.workerId),
    host: limits.name(input.host, 'host', LIMITS.workerId),
    backend: limits.name(input.backend, 'backend', 50),
    gpu: input.gpu,
    memoryMb,
    concurrency: input.concurrency,
    kinds,
  };
}
