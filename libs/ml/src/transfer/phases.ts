import type * as tf from '@tensorflow/tfjs';
import { fitModel, type EpochLogs, type FitOptions, type FitResult } from '../train/fit';
import type { OptimizerSpec } from '../models/presets';
import { compileTransferModel, unfreezeBase } from './transfer-model';

/** Names of training phases: one plain phase, or transfer learning's two. */
export type PhaseName = 'train' | 'head' | 'finetune';

/** Numeric code of a phase, logged per epoch as the metric `phase` (0 head, 1 fine-tune). */
export const PHASE_CODE: Record<PhaseName, number> = { train: 0, head: 0, finetune: 1 };

/** One phase of a training run. */
export interface TrainingPhase {
  name: PhaseName;
  /** Epochs of the phase (0 skips it). */
  epochs: number;
  /** Prepares the model before the phase (freeze/unfreeze, recompile). */
  prepare?(model: tf.LayersModel): void;
  /** Early stopping on val_loss within this phase (default: the run's patience). `null` disables it. */
  patience?: number | null;
}

/** Where a phase starts in a run's continuous epoch numbering. */
export interface PhaseMarker {
  phase: PhaseName;
  /** 0-based index of the phase's first epoch in the run (the metric step is `startEpoch + 1`). */
  startEpoch: number;
  /** Epochs the phase actually ran. */
  epochs: number;
}

/** What {@link fitPhases} returns: one history across phases and where each phase starts. */
export interface PhasedFitResult extends FitResult {
  phases: PhaseMarker[];
  /** Phase of each epoch of `history`. */
  epochPhases: PhaseName[];
}

/** Options of {@link fitPhases}: fitModel's options without `epochs`, plus the phases. */
export type FitPhasesOptions = Omit<FitOptions, 'epochs'> & {
  phases: TrainingPhase[];
  /** Called when a phase starts, with its marker (`epochs` is the planned count). */
  onPhaseStart?(marker: PhaseMarker): void | Promise<void>;
};

/**
 * Trains a model in consecutive phases with fitModel, numbering epochs continuously: callbacks
 * receive the run's epoch index (phase offset added) and global batch steps. Each phase restores
 * its best weights like fitModel; `bestEpoch` is the best epoch of the last phase that ran, in
 * run numbering. `onTrainBegin` is called once with the planned total of epochs.
 */
export async function fitPhases(
  model: tf.LayersModel,
  options: FitPhasesOptions,
): Promise<PhasedFitResult> {
  const { phases, callbacks = {}, onPhaseStart, ...fit } = options;
  const history: EpochLogs[] = [];
  const epochPhases: PhaseName[] = [];
  const markers: PhaseMarker[] = [];
  let bestEpoch = 0;
  let stoppedEarly = false;
  let stepOffset = 0;
  const total = phases.reduce((s, p) => s + p.epochs, 0);
  let begun = false;
  for (const phase of phases) {
    if (phase.epochs <= 0) continue;
    phase.prepare?.(model);
    const offset = history.length;
    const marker: PhaseMarker = { phase: phase.name, startEpoch: offset, epochs: phase.epochs };
    await onPhaseStart?.(marker);
    let lastStep = 0;
    const result = await fitModel(model, {
      ...fit,
      epochs: phase.epochs,
      earlyStoppingPatience:
        phase.patience === null ? undefined : (phase.patience ?? fit.earlyStoppingPatience),
      onBestCheckpoint: fit.onBestCheckpoint
        ? (epoch, logs, m) => fit.onBestCheckpoint!(epoch + offset, logs, m)
        : undefined,
      callbacks: {
        onTrainBegin: async (info) => {
          if (begun) return;
          begun = true;
          await callbacks.onTrainBegin?.({ ...info, epochs: total });
        },
        onBatchEnd: async (info) => {
          lastStep = info.step;
          await callbacks.onBatchEnd?.({
            ...info,
            epoch: info.epoch + offset,
            step: info.step + stepOffset,
          });
        },
        onEpochBegin: (epoch) => callbacks.onEpochBegin?.(epoch + offset),
        onEpochEnd: (epoch, logs) => callbacks.onEpochEnd?.(epoch + offset, logs),
      },
    });
    stepOffset += lastStep;
    marker.epochs = result.history.length;
    markers.push(marker);
    history.push(...result.history);
    for (let i = 0; i < result.history.length; i++) epochPhases.push(phase.name);
    bestEpoch = result.bestEpoch + offset;
    stoppedEarly = stoppedEarly || result.stoppedEarly;
  }
  const out: PhasedFitResult = { history, bestEpoch, stoppedEarly, phases: markers, epochPhases };
  await callbacks.onTrainEnd?.(out);
  return out;
}

/** Options of {@link transferPhases}. */
export interface TransferPhasesOptions {
  /** The nested base of the transfer model. */
  base: tf.LayersModel;
  /** Epochs training the head on the frozen base. */
  headEpochs: number;
  /** Epochs fine-tuning after unfreezing (0: no fine-tuning). */
  fineTuneEpochs: number;
  /** Optimizer of the fine-tuning phase: the head's type at a lower rate, e.g. Adam 1e-4. */
  fineTuneOptimizer: OptimizerSpec;
  /** Unfreeze every base layer (default) or the top N. */
  unfreeze?: 'all' | number;
  /** One sigmoid output (binary cross-entropy). */
  binary: boolean;
}

/**
 * The two phases of transfer learning: `head` (base frozen, as compiled by buildTransferModel;
 * no early stopping, so the fine-tuning boundary is where it was planned) then `finetune` (base
 * unfrozen, recompiled at the lower learning rate).
 */
export function transferPhases(options: TransferPhasesOptions): TrainingPhase[] {
  return [
    { name: 'head', epochs: options.headEpochs, patience: null },
    {
      name: 'finetune',
      epochs: options.fineTuneEpochs,
      prepare: (model) => {
        unfreezeBase(options.base, options.unfreeze ?? 'all');
        compileTransferModel(model, options.fineTuneOptimizer, options.binary);
      },
    },
  ];
}
