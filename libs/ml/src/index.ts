// Public API of @convscope/ml. Other projects import only from here.
export { parseIdx, readIdxFile, encodeIdx, IdxFormatError, type IdxArray } from './data/idx.js';
export {
  splitValidation,
  selectSamples,
  type ImageDataset,
  type ImageSplit,
} from './data/dataset.js';
export {
  loadFashionMnist,
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_FILES,
  FASHION_MNIST_SUBSET_DIR,
  FASHION_MNIST_SYSTEM_DIR,
} from './data/fashion-mnist.js';
export { createRng, seededPermutation } from './util/rng.js';
export {
  PRESETS,
  getPreset,
  type ModelPreset,
  type LayerSpec,
  type OptimizerSpec,
} from './models/presets.js';
export {
  buildModel,
  makeOptimizer,
  summarizeModel,
  type ModelSummary,
  type LayerSummary,
} from './models/build-model.js';
export {
  serializeModel,
  writeModelDir,
  WEIGHTS_FILE,
  type SerializedModel,
} from './models/serialize-model.js';
export {
  fitModel,
  evaluateSplit,
  type FitOptions,
  type FitResult,
  type EpochLogs,
  type BatchInfo,
  type TrainingCallbacks,
} from './train/fit.js';
export { makeBatch } from './train/batches.js';
// Synchronous data parallelism across worker threads (wasm backend; not yet used by fitModel).
export {
  createDataParallelTrainer,
  defaultWorkerCount,
  type DataParallelOptions,
  type DataParallelTrainer,
} from './train/data-parallel.js';
// Image folders streamed in batches, and augmentation of training batches.
export { stratifiedSplitIndices } from './data/dataset.js';
export {
  createMemorySource,
  isImageSource,
  readAllImages,
  type ImageSource,
  type ImageBatch,
  type MemorySourceOptions,
} from './data/image-source.js';
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
} from './data/image-folder.js';
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
} from './data/augment.js';
export { evaluateSource, type EvaluateOptions } from './train/fit.js';
export { batchTensors, type BatchOptions, type LabelEncoding } from './train/batches.js';
export {
  selectBackend,
  BACKEND_PREFERENCE,
  BackendUnavailableError,
  type BackendSelection,
  type BackendChoice,
} from './backend/select-backend.js';
export {
  createGraphqlClient,
  ApiError,
  resolveApiKey,
  isLoopbackUrl,
  type ApiCredentials,
  type GraphqlClient,
  type RetryInfo,
  type RetryPolicy,
} from './tracking/graphql-client.js';
export { startHeartbeat, type Heartbeat, type HeartbeatEvent } from './tracking/heartbeat.js';
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
} from './tracking/run-tracker.js';
export {
  trainExperiment,
  BAD_FILES_ARTIFACT,
  type StreamedDataset,
  type TrainExperimentOptions,
  type TrainExperimentResult,
} from './experiment/train-experiment.js';
export {
  evaluateClassification,
  type EvaluateClassificationOptions,
  type ClassificationReport,
  type PerClassMetrics,
  type AveragedMetrics,
  type TopKAccuracy,
} from './evaluation/classification-metrics.js';
export {
  rocCurve,
  rocAuc,
  aucTrapezoid,
  type RocCurve,
  type RocCurveInput,
} from './evaluation/roc.js';
export {
  expectedCalibrationError,
  type CalibrationBin,
  type CalibrationResult,
} from './evaluation/calibration.js';
export { initWasmBackend, type WasmBackendOptions } from './backend/wasm-setup.js';
export { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './backend/wasm-kernels.js';
export {
  evaluateStoredRun,
  type EvaluateStoredRunOptions,
  type EvaluateStoredRunResult,
} from './experiment/evaluate-run.js';
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
} from './experiment/explanation-pack.js';
export { predictSplit } from './experiment/predict-split.js';
// Explanations: filter patterns, LIME with SLIC superpixels, colormaps and rendering.
export {
  filterPatterns,
  READABLE_REGULARIZERS,
  type FilterPatternsOptions,
  type FilterPatternsResult,
  type FilterPatternRegularizers,
} from './explain/filter-patterns.js';
export {
  slic,
  rgbToLab,
  segmentBoundaries,
  type SlicOptions,
  type Segmentation,
} from './explain/slic.js';
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
} from './explain/lime.js';
export {
  applyColormap,
  colormapColor,
  colormapTable,
  COLORMAP_NAMES,
  type ColormapName,
  type ApplyColormapOptions,
} from './explain/colormap.js';
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
} from './explain/render.js';
export {
  MCDropout,
  GaussianSampling,
  isStochasticModel,
  type MCDropoutArgs,
  type GaussianSamplingArgs,
} from './models/custom-layers.js';
export {
  tauWeightDecay,
  LAYER_TYPES,
  ACTIVATIONS,
  type TauWeightDecay,
  type Activation,
} from './models/presets.js';
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
} from './models/config.js';
export { loadModelFrom, fileSystemLoadHandler, ModelLoadError } from './transfer/load-model.js';
export {
  buildTransferModel,
  cutModel,
  defaultCutLayer,
  compileTransferModel,
  unfreezeBase,
  type TransferModel,
  type TransferModelOptions,
} from './transfer/transfer-model.js';
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
} from './transfer/phases.js';
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
} from './uncertainty/mc-predict.js';
// Uncertainty and augmentation grid stored with tracked runs.
export {
  logRunUncertainty,
  uncertaintyMethod,
  DEFAULT_UNCERTAINTY_PASSES,
  type LogRunUncertaintyOptions,
  type UncertaintyMethod,
} from './experiment/log-uncertainty.js';
export {
  logAugmentationGrid,
  AUGMENTATION_GRID_ARTIFACT,
  type LogAugmentationGridOptions,
} from './experiment/log-augmentation.js';
export { selectClasses, type SelectClassesOptions } from './experiment/class-subset.js';
export {
  runExperimentConfig,
  type ConfigRunResult,
  type ConfigRunRecord,
  type RunConfigOptions,
} from './experiment/run-config.js';
export type { ModelContext, CustomModel } from './experiment/train-experiment.js';
export {
  listLayers,
  resolveLayer,
  defaultCamLayer,
  activationModel,
  type LayerInfo,
} from './explain/graph.js';
export {
  classActivationMap,
  gradCam,
  layerGradients,
  type CamMethod,
  type CamOptions,
  type LayerGradients,
} from './explain/cam.js';
export {
  vanillaGradients,
  smoothGrad,
  integratedGradients,
  occlusionSensitivity,
  type InputAttributionOptions,
  type IntegrationRule,
} from './explain/input-attribution.js';
export type { SaliencyMethod, SaliencyResult, ClassTarget } from './explain/saliency.js';
export {
  layerActivations,
  channelStatistics,
  topActivatingImages,
  type LayerActivation,
  type ChannelStatistics,
  type TopActivations,
} from './explain/activations.js';
export {
  faithfulness,
  rankByFaithfulness,
  type FaithfulnessOptions,
  type FaithfulnessResult,
} from './explain/faithfulness.js';
export { loadModelDir, loadImageForModel } from './explain/model-dir.js';
export {
  ExplainWorker,
  computeExplanation,
  imageTensorForModel,
  modelImageShape,
  type ExplainJobParams,
  type ExplainWorkerOptions,
  type ExplanationResult,
  type PredictedClass,
} from './worker/explain-worker.js';
