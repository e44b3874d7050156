// Constants and types the compare page's components share.
import type { ClassMetrics } from '../../lib/compare';

/** Colour of each compared run by id (one colour per run on every chart and tile). */
export type Colors = Map<string, string>;

/** Headings of the well-known curves; other metrics are titled by their key. */
export const CURVE_TITLES: Readonly<Record<string, string>> = {
  loss: 'Loss',
  accuracy: 'Accuracy',
  acc: 'Accuracy',
};

/** The per-class metrics a class tile shows, in column order. */
export const CLASS_METRICS = [
  'precision',
  'recall',
  'f1',
] as const satisfies readonly (keyof ClassMetrics)[];

/** One of {@link CLASS_METRICS}. */
export type ClassMetricName = (typeof CLASS_METRICS)[number];

/** Column headings of {@link CLASS_METRICS}. */
export const CLASS_METRIC_LABEL: Readonly<Record<ClassMetricName, string>> = {
  precision: 'P',
  recall: 'R',
  f1: 'F1',
};
