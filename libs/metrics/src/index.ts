// @convscope/metrics: classification metrics with scikit-learn 1.2.1's definitions, computed in
// float64 and summed in numpy's order so the numbers agree to the last bit. Pure TypeScript (no
// TF.js, no Node built-ins): the TF.js client, the API and the dashboard compute the same report.
export {
  evaluateClassification,
  type EvaluateClassificationOptions,
  type ClassificationReport,
  type PerClassMetrics,
  type AveragedMetrics,
  type TopKAccuracy,
} from './classification-metrics';
export {
  rocCurve,
  rocAuc,
  aucTrapezoid,
  oneVsRestRocCurves,
  type OneVsRestRocInput,
  type RocCurve,
  type RocCurveInput,
} from './roc';
export {
  expectedCalibrationError,
  type CalibrationBin,
  type CalibrationResult,
} from './calibration';
