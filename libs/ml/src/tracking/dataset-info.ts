// A run's `datasetInfo` is the schema's JSON scalar, typed `unknown` in the generated documents:
// whatever the trainer recorded. The ml commands read a few fields of it, checked here.

/** The fields of a run's recorded `datasetInfo` the ml commands use (absent: not recorded). */
export interface RecordedDatasetInfo {
  /** Dataset name, e.g. `fashion-mnist`. */
  name?: string;
  /** Where the data was read from (a directory on the training machine). */
  source?: string;
  /** Test images evaluated (the first N of the split). */
  testCount?: number;
  /** Class names as recorded (not checked: callers stringify them). */
  classNames?: unknown[];
}

/**
 * Reads the fields of {@link RecordedDatasetInfo} from a run's `datasetInfo`; a field of an
 * unexpected type counts as not recorded, and so does anything that is not a JSON object.
 */
export function recordedDatasetInfo(value: unknown): RecordedDatasetInfo {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  const info: Partial<Record<string, unknown>> = { ...value };
  const { name, source, testCount, classNames } = info;
  return {
    name: typeof name === 'string' ? name : undefined,
    source: typeof source === 'string' ? source : undefined,
    testCount:
      typeof testCount === 'number' && Number.isInteger(testCount) && testCount >= 0
        ? testCount
        : undefined,
    classNames: Array.isArray(classNames) ? (classNames as unknown[]) : undefined,
  };
}
