// Public API of @convscope/ml. Other projects import only from here.
export { parseIdx, readIdxFile, encodeIdx, IdxFormatError, type IdxArray } from './data/idx';
export { splitValidation, selectSamples, type ImageDataset, type ImageSplit } from './data/dataset';
export {
  loadFashionMnist,
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_FILES,
  FASHION_MNIST_SUBSET_DIR,
  FASHION_MNIST_SYSTEM_DIR,
} from './data/fashion-mnist';
export { createRng, seededPermutation } from './util/rng';
export {
  PRESETS,
  getPreset,
  type ModelPreset,
  type LayerSpec,
  type OptimizerSpec,
} from './models/presets';
export {
  buildModel,
  makeOptimizer,
  summarizeModel,
  type ModelSummary,
  type LayerSummary,
} from './models/build-model';
export { buildXceptionStyle, type XceptionStyleOptions } from './models/xception-style';
export {
  serializeModel,
  writeModelDir,
  WEIGHTS_FILE,
  type SerializedModel,
} from './models/serialize-model';
export {
  fitModel,
  evaluateSplit,
  type FitOptions,
  type FitResult,
  type EpochLogs,
  type BatchInfo,
  type TrainingCallbacks,
} from './train/fit';
export { makeBatch } from './train/batches';
// Synchronous data parallelism across worker threads (wasm backend; not yet used by fitModel).
export {
  createDataParallelTrainer,
  defaultWorkerCount,
  type DataParallelOptions,
  type DataParallelTrainer,
} from './train/data-parallel';
// Image folders streamed in batches, and augmentation of training batches.
export { stratifiedSplitIndices } from './data/dataset';
export {
  createMemorySource,
  isImageSource,
  readAllImages,
  type ImageSource,
  type ImageBatch,
  type MemorySourceOptions,
} from './data/image-source';
export {
  loadImageFolder,
  createFolderSource,
  decodeImageFile,
  decodeImageBytes,
  parseLabelsFile,
  ImageFileError,
  IMAGE_EXTENSIONS,
  type ImageFolderOptions,
  type ImageFolderDataset,
  type FolderImageSource,
  type FolderSourceOptions,
  type BadImageFile,
  type BadFilePolicy,
  type ResizeFit,
} from './data/image-folder';
export {
  createAugmenter,
  randomTransform,
  applyTransform,
  renderAugmentationGrid,
  IDENTITY_TRANSFORM,
  type AugmentationConfig,
  type AffineParams,
  type Augmenter,
  type AugmenterOptions,
  type AugmentationGridOptions,
  type FillMode,
  type SamplingOptions,
  type ShiftRange,
} from './data/augment';
export { evaluateSource, type EvaluateOptions } from './train/fit';
export { batchTensors, type BatchOptions, type LabelEncoding } from './train/batches';
export {
  selectBackend,
  BACKEND_PREFERENCE,
  BackendUnavailableError,
  type BackendSelection,
  type BackendChoice,
} from './backend/select-backend';
export {
  createGraphqlClient,
  ApiError,
  resolveApiKey,
  isLoopbackUrl,
  TypedDocumentString,
  type ApiCredentials,
  type GraphqlClient,
  type RetryInfo,
  type RetryPolicy,
} from './tracking/graphql-client';
export { startHeartbeat, type Heartbeat, type HeartbeatEvent } from './tracking/heartbeat';
export {
  RunTracker,
  type CreateRunOptions,
  type MetricPointInput,
  type ArtifactInfo,
  type LogSamplesOptions,
  type SamplesInfo,
  type LogUncertaintyOptions,
  type UncertaintyInfo,
  samplesArtifactName,
  DEFAULT_SAMPLES_MAX_BYTES,
} from './tracking/run-tracker';
export {
  captureReproducibility,
  captureGit,
  fingerprintDataset,
  type CaptureReproducibilityOptions,
  type DatasetFiles,
  type DatasetFingerprint,
  type GitState,
  type Reproducibility,
} from './tracking/reproducibility';
export {
  configHyperparameters,
  flattenConfig,
  resolveRunConfig,
  type FlatValue,
} from './train/resolved-config';
export {
  systemMetricsCallback,
  defaultSystemReader,
  SYSTEM_METRIC_PREFIX,
  type SystemReader,
  type SystemSample,
} from './train/callbacks/system-metrics';
export {
  trainExperiment,
  BAD_FILES_ARTIFACT,
  type StreamedDataset,
  type TrainExperimentOptions,
  type TrainExperimentResult,
} from './train/train-experiment';
// The metrics live in @convscope/metrics (shared with the API); re-exported for existing callers.
export {
  evaluateClassification,
  type EvaluateClassificationOptions,
  type ClassificationReport,
  type PerClassMetrics,
  type AveragedMetrics,
  type TopKAccuracy,
  rocCurve,
  rocAuc,
  aucTrapezoid,
  type RocCurve,
  type RocCurveInput,
  expectedCalibrationError,
  type CalibrationBin,
  type CalibrationResult,
} from '@convscope/metrics';
export { initWasmBackend, type WasmBackendOptions } from './backend/wasm-setup';
export { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './backend/wasm-kernels';
export {
  evaluateStoredRun,
  type EvaluateStoredRunOptions,
  type EvaluateStoredRunResult,
} from './evaluation/evaluate-run';
export {
  buildExplanationPack,
  logExplanationPack,
  explainStoredRun,
  selectPackSamples,
  DEFAULT_EXPLANATION_PACK,
  EXPLANATION_INDEX_NAME,
  type ExplanationPackOptions,
  type ExplanationIndex,
  type PackEntry,
  type PackSample,
} from './explain/pack/explanation-pack';
export { predictSplit } from './evaluation/predict-split';
// Explanations: filter patterns, LIME with SLIC superpixels, colormaps and rendering.
export {
  filterPatterns,
  READABLE_REGULARIZERS,
  type FilterPatternsOptions,
  type FilterPatternsResult,
  type FilterPatternRegularizers,
} from './explain/filter-patterns';
export { isSizeFree } from './explain/filter-patterns';
export { readablePatternOptions, canvasSize } from './explain/feature-vis/readable';
export { lowFrequencyShare } from './explain/feature-vis/spectrum';
export {
  slic,
  rgbToLab,
  segmentBoundaries,
  type SlicOptions,
  type Segmentation,
} from './explain/slic';
export {
  explainImage,
  weightedRidge,
  segmentHeatmap,
  type Predictor,
  type LimeOptions,
  type LimeExplanation,
  type SegmentWeight,
  type WeightedRidgeOptions,
  type WeightedRidgeFit,
} from './explain/lime';
export {
  applyColormap,
  colormapColor,
  colormapTable,
  COLORMAP_NAMES,
  type ColormapName,
  type ApplyColormapOptions,
} from '@convscope/colormap';
export {
  overlayHeatmap,
  channelGrid,
  encodeImage,
  resizeBilinear,
  type OverlayHeatmapOptions,
  type ChannelGridOptions,
  type ChannelGrid,
  type EncodeImageOptions,
  type ResizeBilinearOptions,
} from './explain/render';
export {
  MCDropout,
  GaussianSampling,
  isStochasticModel,
  type MCDropoutArgs,
  type GaussianSamplingArgs,
} from './models/custom-layers';
export {
  tauWeightDecay,
  LAYER_TYPES,
  ACTIVATIONS,
  type TauWeightDecay,
  type Activation,
} from './models/presets';
export {
  parseExperimentConfig,
  validateExperimentConfig,
  loadExperimentConfig,
  ConfigError,
  type ExperimentConfig,
  type TrainingConfig,
  type DataConfig,
  type ImageFolderDataConfig,
  type TransferConfig,
  type HeadConfig,
} from './models/config';
export { loadModelFrom, fileSystemLoadHandler, ModelLoadError } from './transfer/load-model';
export {
  buildTransferModel,
  cutModel,
  defaultCutLayer,
  compileTransferModel,
  unfreezeBase,
  type TransferModel,
  type TransferModelOptions,
} from './transfer/transfer-model';
export {
  fitPhases,
  transferPhases,
  PHASE_CODE,
  type TrainingPhase,
  type PhaseMarker,
  type PhaseName,
  type PhasedFitResult,
  type FitPhasesOptions,
  type TransferPhasesOptions,
} from './transfer/phases';
export {
  mcPredict,
  mcPredictSplit,
  summarizePasses,
  evaluateMcPredictions,
  quantileSorted,
  MC_QUANTILES,
  type McPrediction,
  type McStatistics,
  type McPredictOptions,
  type McEvaluation,
} from './uncertainty/mc-predict';
// Uncertainty and augmentation grid stored with tracked runs.
export {
  logRunUncertainty,
  uncertaintyMethod,
  DEFAULT_UNCERTAINTY_PASSES,
  type LogRunUncertaintyOptions,
  type UncertaintyMethod,
} from './uncertainty/log-uncertainty';
export {
  logAugmentationGrid,
  AUGMENTATION_GRID_ARTIFACT,
  type LogAugmentationGridOptions,
} from './train/callbacks/augmentation-grid';
export { selectClasses, type SelectClassesOptions } from './data/class-subset';
export {
  runExperimentConfig,
  type ConfigRunResult,
  type ConfigRunRecord,
  type RunConfigOptions,
} from './train/run-config';
export type { ModelContext, CustomModel } from './train/train-experiment';
export {
  listLayers,
  resolveLayer,
  defaultCamLayer,
  activationModel,
  type LayerInfo,
} from './explain/graph';
export {
  classActivationMap,
  gradCam,
  layerGradients,
  type CamMethod,
  type CamOptions,
  type LayerGradients,
} from './explain/cam';
export {
  vanillaGradients,
  smoothGrad,
  integratedGradients,
  occlusionSensitivity,
  type InputAttributionOptions,
  type IntegrationRule,
} from './explain/input-attribution';
export type { SaliencyMethod, SaliencyResult, ClassTarget } from './explain/saliency';
export {
  layerActivations,
  channelStatistics,
  topActivatingImages,
  type LayerActivation,
  type ChannelStatistics,
  type TopActivations,
} from './explain/activations';
export {
  faithfulness,
  rankByFaithfulness,
  type FaithfulnessOptions,
  type FaithfulnessResult,
} from './explain/faithfulness';
export { loadModelDir, loadImageForModel } from './explain/model-dir';
export {
  ExplainJobExecutor,
  ExplainWorker,
  computeExplanation,
  explainJobRunner,
  imageTensorForModel,
  modelImageShape,
  type ExplainJobExecutorOptions,
  type ExplainJobParams,
  type ExplainWorkerOptions,
  type ExplanationResult,
  type PredictedClass,
} from './worker/explain-worker';
// The queue worker taking EXPLAIN jobs, started in-process (what `npm run explain-worker` runs).
export {
  startExplainQueueWorker,
  type ExplainQueueWorkerOptions,
  type RunningExplainQueueWorker,
} from './worker/explain-queue-worker';
export {
  SNAPSHOT_FINAL_NAME,
  SNAPSHOT_INDEX_NAME,
  SNAPSHOT_PROBES_NAME,
  SnapshotRecorder,
  resolveSnapshotOptions,
  snapshotName,
  type SnapshotFile,
  type SnapshotIndex,
  type SnapshotOptions,
  type SnapshotProbesFile,
} from './explain/snapshots';
export {
  PROJECTOR_ARTIFACT,
  computeProjectorFiles,
  logProjector,
  type ProjectorComputeOptions,
  type ProjectorIndex,
  type ProjectorInput,
} from './explain/projector';
export {
  LAYER_STATS_DEFAULTS,
  layerStatsCallback,
  type LayerStatsOptions,
} from './train/callbacks/layer-stats';
export {
  BAND_PERCENTILES,
  histogram,
  percentiles,
  summarizeValues,
} from './explain/layer-stats/histogram';
export { LayerStatsProbe } from './explain/layer-stats/stats';
export {
  LAYER_STATS_FORMAT,
  layerStatsArtifactName,
  type LayerStatsEpoch,
} from './explain/layer-stats/types';
export { snapshotsCallback } from './train/callbacks/snapshots';
