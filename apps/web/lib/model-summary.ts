import { field, jsonText } from './json';

/** One layer row of the model summary table. */
export interface LayerRow {
  name: string;
  className: string;
  outputShape: string;
  params: number | null;
  trainable: boolean | null;
}

/** Model summary normalised for display. */
export interface ModelSummaryView {
  layers: LayerRow[];
  totalParams: number | null;
  trainableParams: number | null;
  nonTrainableParams: number | null;
  /** Extra top-level scalar facts (input shape, name...) shown above the table. */
  facts: { key: string; value: string }[];
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const pick = (o: unknown, keys: string[]): unknown => {
  for (const k of keys) {
    const v = field(o, k);
    if (v !== undefined && v !== null) return v;
  }
  return undefined;
};

/** Keras-style shape text: `[null, 28, 28, 32]` → `(None, 28, 28, 32)`; several outputs are joined. */
export function formatShape(shape: unknown): string {
  if (shape === undefined || shape === null) return '';
  if (typeof shape === 'string') return shape;
  if (typeof shape === 'number') return `(${shape})`;
  if (Array.isArray(shape)) {
    if (shape.some((d) => Array.isArray(d))) return shape.map((d) => formatShape(d)).join(', ');
    return `(${shape.map((d) => (d === null || d === -1 ? 'None' : jsonText(d))).join(', ')})`;
  }
  return JSON.stringify(shape);
}

const TOP_LEVEL_KEYS = new Set([
  'layers',
  'totalParams',
  'total_params',
  'trainableParams',
  'trainable_params',
  'nonTrainableParams',
  'non_trainable_params',
  'params',
]);

/**
 * Normalises the run's `modelSummary` JSON (shape owned by the trainer) into table rows. Accepts
 * a bare layer array or an object with `layers`, and the usual spellings of each field
 * (`className`/`class`/`type`, `params`/`paramCount`/`numParams`). Totals missing from the JSON
 * are summed from the layers. Returns null when there is nothing to show.
 */
export function normalizeModelSummary(summary: unknown): ModelSummaryView | null {
  const rawLayers = Array.isArray(summary) ? summary : field(summary, 'layers');
  const layers: LayerRow[] = (Array.isArray(rawLayers) ? rawLayers : []).map((l, i) => ({
    name: str(pick(l, ['name'])) ?? `layer_${i}`,
    className: str(pick(l, ['className', 'class', 'type', 'layerType'])) ?? '',
    outputShape: formatShape(pick(l, ['outputShape', 'output_shape', 'shape'])),
    params: num(pick(l, ['params', 'paramCount', 'numParams', 'param_count', 'countParams'])),
    trainable:
      typeof field(l, 'trainable') === 'boolean' ? (field(l, 'trainable') as boolean) : null,
  }));
  const summed = layers.some((l) => l.params !== null)
    ? layers.reduce((acc, l) => acc + (l.params ?? 0), 0)
    : null;
  const totalParams = num(pick(summary, ['totalParams', 'total_params', 'params'])) ?? summed;
  const trainableParams = num(pick(summary, ['trainableParams', 'trainable_params']));
  const nonTrainableParams =
    num(pick(summary, ['nonTrainableParams', 'non_trainable_params'])) ??
    (totalParams !== null && trainableParams !== null ? totalParams - trainableParams : null);
  const facts =
    summary !== null && typeof summary === 'object' && !Array.isArray(summary)
      ? Object.entries(summary)
          .filter(
            ([k, v]) =>
              !TOP_LEVEL_KEYS.has(k) && v !== null && (typeof v !== 'object' || Array.isArray(v)),
          )
          .map(([key, v]) => ({ key, value: Array.isArray(v) ? formatShape(v) : jsonText(v) }))
      : [];
  if (layers.length === 0 && totalParams === null && facts.length === 0) return null;
  return { layers, totalParams, trainableParams, nonTrainableParams, facts };
}
