/** One point of a metric series: the training step (or epoch) and the value logged at it. */
export interface Point {
  step: number;
  value: number;
}

/** A named metric series as the API returns it (points ordered or not). */
export interface NamedSeries {
  name: string;
  points: readonly Point[];
}

/** Whether larger or smaller values of a metric are better. */
export type MetricGoal = 'max' | 'min';

/** Inclusive numeric range `[min, max]`. */
export type Extent = [number, number];
