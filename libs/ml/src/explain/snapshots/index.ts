/**
 * Training snapshots (issue #13, item 1): every N epochs and at train end, the Grad-CAM of a
 * fixed probe set for the true and predicted class, the probes' predictions, the first layer's
 * filters and every layer's activation statistics, stored with the run as small JSON artifacts.
 */
export { fromBase64, normalizeEach, quantize01, toBase64 } from './encode';
export { firstConvLayer, firstLayerFilters, scaleFilters } from './filters';
export { layerActivationStats } from './layer-stats';
export {
  DEFAULT_SNAPSHOT_OPTIONS,
  resolveSnapshotOptions,
  type ResolvedSnapshotOptions,
  type SnapshotOptions,
} from './options';
export { selectProbes, type ProbeOptions } from './probes';
export { SnapshotRecorder, type SnapshotRunData, type SnapshotSink } from './recorder';
export { MAX_INPUT_MAP_PIXELS, takeSnapshot, type SnapshotInput } from './snapshot';
export * from './types';
