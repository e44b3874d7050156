/**
 * The embedding projector: the penultimate layer's features of a split projected with PCA, UMAP
 * and t-SNE, stored with a run as one compact artifact ({@link PROJECTOR_ARTIFACT}). Used at the
 * end of training (the projector callback) and on demand (the worker's projection handler).
 */
export {
  PROJECTOR_ARTIFACT,
  PROJECTOR_METHODS,
  predictionsFrom,
  quantizeLayout,
  toBase64,
  type ProjectorIndex,
  type ProjectorLayout,
  type ProjectorMethod,
} from './artifact';
export {
  computeProjectorFiles,
  DEFAULT_PROJECTOR_OPTIONS,
  type ProjectorComputeOptions,
  type ProjectorFiles,
  type ProjectorInput,
} from './compute';
export { extractFeatures, penultimateLayer, type FeatureLayer, type Features } from './features';
export { columnMeans, covariance, jacobiEigen, pca, type PcaResult } from './pca';
export { logProjector, type ProjectorLogResult } from './log';
export { jointProbabilities, stratifiedSubset, tsne, type TsneOptions } from './tsne';
export { umap, type UmapOptions } from './umap';
