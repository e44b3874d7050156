// Shapes of the JSON fixtures written by fixtures/make_fixtures.py (test-only helper).
import { readFileSync } from 'node:fs';
import type { ClassificationReport } from './classification-metrics';
import type { RocCurve } from './roc';

export interface RocFixture extends RocCurve {
  auc: number;
}

export interface ClassificationFixture {
  meta: { sklearn: string; numpy: string };
  numClasses: number;
  classNames?: string[];
  labels: number[];
  probabilities: number[];
  expected: Omit<ClassificationReport, 'numSamples' | 'numClasses'>;
  roc3?: RocFixture;
  roc?: RocFixture;
  rocTiedScores?: number[];
  rocTied?: RocFixture;
  rocNegative?: RocFixture;
}

export function loadFixture(name: string): ClassificationFixture {
  return JSON.parse(
    readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'),
  ) as ClassificationFixture;
}
