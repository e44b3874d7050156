// Shapes of the JSON fixtures written by fixtures/make_fixtures.py (test-only helper). They are
// imported as modules rather than read from disk: this library uses no Node built-ins.
import binarySigmoid from './fixtures/binary-sigmoid.json';
import fourClassMissingLabel from './fixtures/four-class-missing-label.json';
import tenClass from './fixtures/ten-class.json';
import threeClassAbsent from './fixtures/three-class-absent.json';
import type { ClassificationReport } from './classification-metrics';
import type { RocCurve } from './roc';

/** A scikit-learn `roc_curve` with its `auc`. */
export interface RocFixture extends RocCurve {
  auc: number;
}

/** One fixture file: the samples and scikit-learn's report of them. */
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

const FIXTURES: Record<string, unknown> = {
  'binary-sigmoid.json': binarySigmoid,
  'four-class-missing-label.json': fourClassMissingLabel,
  'ten-class.json': tenClass,
  'three-class-absent.json': threeClassAbsent,
};

/** The fixture `name` (e.g. `ten-class.json`), a fresh copy. */
export function loadFixture(name: string): ClassificationFixture {
  const fixture = FIXTURES[name];
  if (fixture === undefined) throw new Error(`no fixture ${name}`);
  // A fresh copy, so a test that edits its fixture cannot change another's.
  return structuredClone(fixture) as ClassificationFixture;
}
