import { formatNumber } from '@convscope/viz';
import { field, formatJsonValue } from './json';

/** A hyperparameter shown as a column/chip in the runs table. */
export interface KeyHyperparameter {
  /** Short label (`lr`, `batch`). */
  label: string;
  /** Formatted value. */
  value: string;
  /** Raw numeric value for sorting, when numeric. */
  numeric: number | null;
}

/** Key hyperparameters with the spellings different trainers use for them, in display order. */
export const KEY_HYPERPARAMETERS: { label: string; aliases: string[] }[] = [
  { label: 'preset', aliases: ['preset', 'model', 'architecture', 'arch'] },
  { label: 'lr', aliases: ['learningRate', 'learning_rate', 'lr'] },
  { label: 'batch', aliases: ['batchSize', 'batch_size', 'batch'] },
  { label: 'epochs', aliases: ['epochs', 'numEpochs', 'num_epochs', 'maxEpochs'] },
  { label: 'optimizer', aliases: ['optimizer', 'optim'] },
];

/**
 * Picks the key hyperparameters (preset, lr, batch size, epochs, optimizer) from a run's
 * hyperparameter object, whatever alias the trainer used; missing ones are skipped. An optimizer
 * given as an object shows its `name`/`type`.
 */
export function keyHyperparameters(hp: unknown): KeyHyperparameter[] {
  const out: KeyHyperparameter[] = [];
  for (const { label, aliases } of KEY_HYPERPARAMETERS) {
    const alias = aliases.find((a) => field(hp, a) !== undefined && field(hp, a) !== null);
    if (alias === undefined) continue;
    let raw = field(hp, alias);
    if (raw !== null && typeof raw === 'object' && !Array.isArray(raw))
      raw = field(raw, 'name') ?? field(raw, 'type') ?? raw;
    out.push({
      label,
      value: typeof raw === 'number' ? formatNumber(raw, 4) : formatJsonValue(raw),
      numeric: typeof raw === 'number' && Number.isFinite(raw) ? raw : null,
    });
  }
  return out;
}
