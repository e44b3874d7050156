/**
 * The resolved config of a run (model, training, data and transfer after defaults and
 * command-line overrides) and its flattening into dotted hyperparameter keys, so that every
 * setting (weight decay, tau, dropout rates, augmentation, uncertainty passes, image-folder
 * settings...) can be queried (`hp."model.weightDecay.tau" > 1`) and compared.
 */
import type { AugmentationConfig } from '../data/augment';
import type { DataConfig, TransferConfig } from '../models/config';
import type { ModelPreset } from '../models/presets';

/** A flattened value: JSON scalars only. */
export type FlatValue = string | number | boolean | null;

/**
 * Flattens a JSON value into dotted keys: objects by property name, arrays by index
 * (`model.layers.2.rate`). Undefined values are left out; empty objects and arrays become no
 * key at all (they set nothing). Keys keep the order of a depth-first walk.
 */
export function flattenConfig(value: unknown, prefix = ''): Record<string, FlatValue> {
  const out: Record<string, FlatValue> = {};
  const walk = (v: unknown, key: string): void => {
    if (v === undefined || typeof v === 'function') return;
    if (v === null || typeof v !== 'object') {
      // Non-finite numbers are not JSON: recorded as text so they stay visible.
      out[key] = typeof v === 'number' && !Number.isFinite(v) ? String(v) : (v as FlatValue);
      return;
    }
    const entries = Array.isArray(v)
      ? v.map((item, i) => [String(i), item] as const)
      : Object.entries(v as Record<string, unknown>);
    for (const [k, child] of entries) walk(child, key ? `${key}.${k}` : k);
  };
  walk(value, prefix);
  return out;
}

/** What {@link resolveRunConfig} needs: the run's settings after defaults. */
export interface ResolveRunConfigInput {
  preset: ModelPreset;
  training: {
    epochs: number;
    batchSize: number;
    learningRate: number;
    seed: number;
    patience: number;
    validationSplit: number;
    trainLimit?: number;
    testLimit?: number;
    uncertaintyPasses: number;
    augmentation?: AugmentationConfig;
  };
  /** The data section of the config (default: Fashion-MNIST from `dataDir` or the subset). */
  data?: DataConfig;
  /** Directory of Fashion-MNIST when there is no data section. */
  dataDir?: string;
  transfer?: TransferConfig;
}

/** The resolved config of one run as a plain JSON object: `{ model, training, data, transfer? }`. */
export function resolveRunConfig(input: ResolveRunConfigInput): Record<string, unknown> {
  // The description is prose, not a setting.
  const { description: _description, ...model } = input.preset;
  const data: DataConfig = input.data ?? {
    source: 'fashion-mnist',
    ...(input.dataDir ? { dir: input.dataDir } : {}),
  };
  const plain = {
    model,
    training: input.training,
    data:
      data.source === 'image-folder'
        ? {
            ...data,
            // What loadFolderData uses when the config leaves the split out.
            split: {
              validation: data.split?.validation ?? input.training.validationSplit,
              test: data.split?.test ?? 0,
              seed: data.split?.seed ?? input.training.seed,
            },
          }
        : data,
    ...(input.transfer ? { transfer: input.transfer } : {}),
  };
  // A JSON round trip drops undefined fields and copies (the caller may mutate its config).
  return JSON.parse(JSON.stringify(plain)) as Record<string, unknown>;
}

/** Serialised size above which the per-layer keys are left out (the API takes 64 KiB of hyperparameters). */
const MAX_FLAT_BYTES = 40 * 1024;

/**
 * The resolved config as hyperparameters: every value under its dotted key. When that is too
 * large for the run's hyperparameters (a model with very many layers), the `model.layers.*`
 * keys are replaced by `model.layerCount` (the resolved config in Run.reproducibility keeps
 * every layer).
 */
export function configHyperparameters(
  resolved: Record<string, unknown>,
): Record<string, FlatValue> {
  const flat = flattenConfig(resolved);
  if (Buffer.byteLength(JSON.stringify(flat), 'utf8') <= MAX_FLAT_BYTES) return flat;
  const layers = (resolved.model as { layers?: unknown[] } | undefined)?.layers ?? [];
  const out: Record<string, FlatValue> = {};
  for (const [k, v] of Object.entries(flat)) if (!k.startsWith('model.layers.')) out[k] = v;
  out['model.layerCount'] = layers.length;
  return out;
}
