// Batch normalisation, global pooling and fused element-wise kernels on oneDNN.
import type { Kernel } from './kernel-helpers';

/** Kernels of this file by TF.js kernel name; merged into the 'onednn' backend by kernels.ts. */
export const NORM_KERNELS: Record<string, Kernel> = {};
