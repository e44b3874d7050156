import type { CamMethod } from '../cam';

/** What an explanation pack computes; every field has a default. */
export interface ExplanationPackOptions {
  /** Test samples explained (default 12); 0 disables the pack. */
  samples?: number;
  /** CAM methods (default gradcam, gradcampp, layercam, eigencam, and scorecam when cheap). */
  camMethods?: CamMethod[];
  /** CAM layer (default: the last layer with a 4-D output). */
  camLayer?: string;
  /** Score-CAM is added when channels x samples stays at or below this (default 2048). */
  scoreCamMaxPasses?: number;
  /** Points of the deletion/insertion curves (default 10). */
  faithfulnessSteps?: number;
  /** Channels drawn per activation grid (default 64). */
  gridChannels?: number;
  /**
   * Channels per conv layer whose filter pattern is computed, at most (default 1024: every
   * channel of the seed networks, as time allows; 0 skips filters).
   */
  filterChannels?: number;
  /** Gradient-ascent steps per filter pattern (default 20). */
  filterSteps?: number;
  /**
   * 'readable' (default): Fourier parameterisation, colour decorrelation for RGB, transformation
   * robustness and a larger canvas (feature-vis/readable.ts). 'plain': Chollet's pixel-space
   * ascent from grey noise.
   */
  filterMethod?: 'readable' | 'plain';
  /**
   * Longest side of the enlarged canvas (default 42): a layer reached through convolutions and
   * pooling alone gets a canvas up to twice the input within it (fmnist: 42 x 42, 1.5 x; the
   * conv cost grows with the area). Patterns are stored at most max(64, this) pixels a side.
   */
  filterCanvas?: number;
  /**
   * Seconds the filters stage may take (default 20, within `maxSeconds`): channels not started
   * by then are left out and listed. The first conv layer and the CAM layer's come first.
   */
  filterSeconds?: number;
  /** Top activating test images listed per channel (default 6). */
  topK?: number;
  /** Test images searched for the top activating ones (default: the whole split). */
  topKImages?: number;
  /** Samples with vanilla-gradient and SmoothGrad saliency (default 3). */
  saliencySamples?: number;
  /** Noisy copies per SmoothGrad sample (default 16). */
  smoothGradSamples?: number;
  /** Samples explained with LIME (default 2; it is the slowest part). */
  limeSamples?: number;
  /** Perturbed images per LIME explanation (default 300). */
  limePerturbations?: number;
  /** Superpixels asked of SLIC for LIME (default 25). */
  limeSegments?: number;
  /** Byte budget of all the pack's files (default 4 MiB); files past it are left out and listed. */
  maxBytes?: number;
  /** Time budget in seconds (default 60): stages not started by then are skipped and listed. */
  maxSeconds?: number;
}

/** Defaults of {@link ExplanationPackOptions}. */
export const DEFAULT_EXPLANATION_PACK = {
  samples: 12,
  scoreCamMaxPasses: 2048,
  faithfulnessSteps: 10,
  gridChannels: 64,
  filterChannels: 1024,
  filterSteps: 20,
  filterCanvas: 42,
  filterSeconds: 20,
  topK: 6,
  saliencySamples: 3,
  smoothGradSamples: 16,
  limeSamples: 2,
  limePerturbations: 300,
  limeSegments: 25,
  maxBytes: 4 * 1024 * 1024,
  maxSeconds: 60,
} as const;

/** The options in effect: the defaults with every field the caller set (undefined ones ignored). */
export type ResolvedPackOptions = ExplanationPackOptions & {
  [K in keyof typeof DEFAULT_EXPLANATION_PACK]: number;
};

/**
 * The options in effect and the ones the caller set. Undefined fields (unset CLI flags) keep
 * their defaults.
 */
export function resolvePackOptions(options: ExplanationPackOptions | undefined): {
  given: ExplanationPackOptions;
  options: ResolvedPackOptions;
} {
  const given: ExplanationPackOptions = Object.fromEntries(
    Object.entries(options ?? {}).filter(([, v]) => v !== undefined),
  );
  return { given, options: { ...DEFAULT_EXPLANATION_PACK, ...given } };
}
