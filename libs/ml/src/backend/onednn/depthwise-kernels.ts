// Depthwise convolutions (and their gradients) on oneDNN.
import type { Kernel } from './kernel-helpers';

/** Kernels of this file by TF.js kernel name; merged into the 'onednn' backend by kernels.ts. */
export const DEPTHWISE_KERNELS: Record<string, Kernel> = {};
