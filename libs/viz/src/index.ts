// Public API of @convscope/viz: pure data shaping plus d3 drawing on plain arrays (never tensors).
export type { Extent, MetricGoal, NamedSeries, Point } from './types';
export { VALIDATION_PREFIX, alignSteps, nearestIndex, pairTrainValidation } from './series';
export type { AlignedRow, CurvePair } from './series';
export { finiteExtent, seriesDomain } from './extent';
export type { DomainOptions, SeriesDomain } from './extent';
export { bestFromSummary, bestPoint, metricGoal } from './best';
export type { SummaryLike } from './best';
export {
  MISSING,
  formatBytes,
  formatDuration,
  formatNumber,
  formatParams,
  formatPercent,
} from './format';
export { compareValues, sortRows } from './sort';
export type { SortDirection, SortValue } from './sort';
export { PALETTE, THEME_SURFACES, seriesColor } from './palette';
export { drawLineChart } from './line-chart';
export type { ChartHandle, LineChartOptions, LineSeries, Margin } from './line-chart';
export { logTicks, percentile, valueDomain } from './line-chart-data';
export type { ValueDomain, ValueDomainOptions } from './line-chart-data';
export { MAX_SMOOTHING, emaSmooth } from './smoothing';
export { brushDomain, interpolateAt, isZoomed, monotoneYDomain, visibleDomain } from './zoom';
export type { BrushDomainOptions } from './zoom';
export {
  BATCH_PREFIX,
  X_AXIS_MODES,
  epochAtTime,
  epochEnds,
  epochToX,
  firstTime,
  formatSeconds,
  metricLevel,
  timeAtEpoch,
  toXPoints,
  xAxisTitle,
  xFormatOf,
} from './x-axis';
export type {
  EpochEnd,
  MetricLevel,
  TimedPoint,
  XAxisMode,
  XFormat,
  XPointsOptions,
} from './x-axis';
export { createCrosshairBus } from './crosshair';
export type { CrosshairBus, CrosshairListener } from './crosshair';
export { layoutLabels, legendRows } from './label-layout';
export type { Box, LabelRequest, PlacedLabel } from './label-layout';
export { boxplotStats, drawBoxplots, sampleBoxplotRows } from './boxplot';
export type { BoxStats, BoxplotOptions, BoxplotRow, BoxplotSampleLike } from './boxplot';
export { PHASE_METRIC, PHASE_NAMES, phaseMarkers } from './markers';
export type { VerticalMarker } from './markers';
export { drawSparkline } from './sparkline';
export type { SparklineOptions } from './sparkline';
export {
  DARK_TEXT,
  EMPTY_FILL,
  LIGHT_TEXT,
  TILE_COLUMNS,
  confusionCells,
  contrastRatio,
  contrastText,
  heatmapCells,
  metricTileRows,
  relativeLuminance,
  reliabilityBars,
  rocSeries,
  rowNormalize,
  sequentialColor,
  topKLabel,
  topKPoints,
} from './evaluation';
export type {
  AveragedLike,
  CalibrationBinLike,
  ConfusionCell,
  ConfusionMode,
  HeatmapCell,
  HeatmapRow,
  PerClassLike,
  ReliabilityBar,
  RocInput,
  RocSeries,
} from './evaluation';
export { drawHeatmap } from './heatmap';
export type { HeatmapOptions } from './heatmap';
export { drawConfusionMatrix } from './confusion-matrix';
export type { ConfusionMatrixOptions } from './confusion-matrix';
export { drawRocCurves } from './roc-chart';
export type { RocChartOptions } from './roc-chart';
export { drawReliabilityDiagram } from './reliability-chart';
export type { ReliabilityOptions } from './reliability-chart';
export {
  LOG_RATIO,
  drawParallelCoordinates,
  numericKeys,
  parallelCoordinates,
} from './parallel-coordinates';
export type {
  ParallelAxis,
  ParallelCoordinatesOptions,
  ParallelLine,
  ParallelRow,
} from './parallel-coordinates';
export { confidentMistakes, pixelScale, topClasses } from './samples';
export type { ClassProbability, PredictionLike } from './samples';
export {
  DEFAULT_HEATMAP_COLORMAP,
  HEATMAP_COLORMAPS,
  blendHeatmap,
  colorizeHeatmap,
  heatmapFromRgba,
} from './colormap';
export type { BlendHeatmapOptions, ColorizeHeatmapOptions } from './colormap';
// The shared tables, for the web app (which imports viz, not the colormap library directly).
export {
  COLORMAP_NAMES,
  colormapColor,
  colormapCss,
  colormapIndex,
  colormapTable,
} from '@convscope/colormap';
export type { ColormapName, Rgb } from '@convscope/colormap';
export {
  LIME_COLORS,
  gridTileAt,
  gridTileRect,
  limeOverlay,
  rankMethods,
  segmentEdges,
} from './explain';
export type {
  LimeOverlayOptions,
  MethodFaithfulness,
  RankedMethod,
  TileGrid,
  TileRect,
} from './explain';
export {
  MAX_COLUMNS,
  columnLabel,
  columnValue,
  dynamicColumnKeys,
  flattenHyperparameters,
  hyperparameterPaths,
  metricNames,
  metricValue,
  parseColumnKey,
  parseColumns,
  serializeColumns,
  toggleColumn,
} from './columns';
export type {
  ColumnRunLike,
  ColumnSummaryLike,
  HyperparameterLeaf,
  ParsedColumnKey,
} from './columns';
export { groupRows, metricStats } from './grouping';
export type { GroupStats, RowGroup } from './grouping';
export {
  LIME_VIEW_COLORS,
  limeCoefficients,
  limeTopSegments,
  limeViewPixels,
  segmentAnchors,
} from './lime-view';
export type {
  LimeTopSegmentsOptions,
  LimeView,
  LimeViewOptions,
  RankedSegment,
  SegmentAnchor,
  SegmentWeight,
} from './lime-view';
export {
  camOverlay,
  decodeBase64,
  filterSheet,
  imageRgba,
  layerStatSeries,
  phaseBoundaries,
  phaseLabel,
  resizeBilinear,
  snapshotRefs,
  stepLabel,
} from './snapshots-data';
export type {
  CamOverlayOptions,
  FilterSheet,
  LayerStatKey,
  LayerStatLike,
  PhaseBoundary,
  SnapshotRef,
  SnapshotStepLike,
} from './snapshots-data';
export * from './projector-data';
export {
  LAYER_METRIC_PREFIXES,
  distributionBands,
  epochAt,
  histogramBars,
  isLayerMetric,
  layerChoices,
  layerCurves,
  layerStatsRefs,
  layerWarnings,
  tensorKey,
  tensorSeries,
} from './distributions';
export type {
  DistributionBands,
  HistogramBar,
  LayerChoice,
  LayerCurve,
  LayerStatsEpochLike,
  LayerStatsLike,
  LayerStatsRef,
  LayerWarning,
  PercentileBand,
  TensorAtEpoch,
  TensorChoice,
  TensorStatsLike,
  WarningThresholds,
} from './distributions';
export { bandText, drawDistributionChart, drawHistogramChart } from './distributions-chart';
export type { DistributionChartOptions, HistogramChartOptions } from './distributions-chart';
