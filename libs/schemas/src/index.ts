/**
 * Public surface of @convscope/schemas: zod schemas shared by the CLIs, the API's inputs and the
 * dashboard's forms, so each shape and its checks are written once. Types come from `z.infer`.
 */
export * from './checks';
export * from './model';
export * from './experiment-config';
export * from './identity';
export * from './artifact';
export * from './queue-run';
export * from './presets';
