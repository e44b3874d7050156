// @convscope/sweep: hyperparameter sweeps as pure functions (no Node built-ins, no TF.js, no
// Prisma), so the API plans and judges sweeps and the dashboard draws them from one copy.
export const SWEEP_LIB_VERSION = 1;
export * from './config';
export * from './search';
export * from './asha';
export * from './importance';
