// Pure helpers of the explanations page's on-demand part (/runs/[id]/explain?sample=…): the
// deep-link parameters, the methods the API's explainSample accepts, the sample search's
// GraphQL variables, and the reading of a job's result. Components fetch; nothing here does.
import { rankMethods, type RankedMethod } from '@convscope/viz';
import type { ExplainMethod } from './gql/graphql';
import { isJsonObject } from './json';

/** One explanation method the API computes on demand. */
export interface MethodOption {
  /** Name in page addresses and in job results (lower case). */
  value: string;
  /** Value of the schema's ExplainMethod enum. */
  api: ExplainMethod;
  label: string;
  /** CAM methods explain a layer; input attributions explain pixels (no layer). */
  family: 'cam' | 'input';
}

/** Every method of the schema's ExplainMethod enum, CAM family first. */
export const EXPLAIN_METHODS: readonly MethodOption[] = [
  { value: 'gradcam', api: 'GRADCAM', label: 'Grad-CAM', family: 'cam' },
  { value: 'gradcampp', api: 'GRADCAMPP', label: 'Grad-CAM++', family: 'cam' },
  { value: 'layercam', api: 'LAYERCAM', label: 'Layer-CAM', family: 'cam' },
  { value: 'eigencam', api: 'EIGENCAM', label: 'Eigen-CAM', family: 'cam' },
  { value: 'scorecam', api: 'SCORECAM', label: 'Score-CAM', family: 'cam' },
  { value: 'saliency', api: 'SALIENCY', label: 'Saliency (gradients)', family: 'input' },
  { value: 'smoothgrad', api: 'SMOOTHGRAD', label: 'SmoothGrad', family: 'input' },
  {
    value: 'integrated-gradients',
    api: 'INTEGRATED_GRADIENTS',
    label: 'Integrated gradients',
    family: 'input',
  },
];

/** At most this many methods per request (the worker bounds a job's work the same way). */
export const MAX_METHODS = 4;

/** Methods of a first visit: the pack's default and the one it usually ranks most faithful. */
export const DEFAULT_METHODS: readonly string[] = ['gradcam'];

/** A method name as results and addresses spell it, compared loosely ("INTEGRATED_GRADIENTS"). */
function methodKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The option of a method name in any spelling (enum value, result name), or undefined. */
export function methodOption(name: string): MethodOption | undefined {
  const key = methodKey(name);
  return EXPLAIN_METHODS.find((m) => methodKey(m.value) === key);
}

/** Human name of a method (its own name when unknown). */
export function methodLabel(name: string): string {
  return methodOption(name)?.label ?? name;
}

/** What the page's address says (null: not given or not valid; methods: known ones, deduplicated). */
export interface ExplainParams {
  sample: number | null;
  classIndex: number | null;
  layer: string | null;
  methods: string[];
}

/** A read-only view of the address's query (URLSearchParams and Next's ReadonlyURLSearchParams). */
export interface QueryLike {
  get(name: string): string | null;
}

/** A non-negative integer written in decimal, else null. */
function indexParam(text: string | null): number | null {
  if (text === null || !/^\d{1,9}$/.test(text.trim())) return null;
  return Number(text.trim());
}

/**
 * Reads `?sample=&class=&layer=&method=` (method: comma-separated). Anything malformed is
 * dropped rather than refused: an address is typed by hand, and the page shows what it used.
 */
export function parseExplainParams(query: QueryLike): ExplainParams {
  const layer = query.get('layer')?.trim() ?? '';
  const methods: string[] = [];
  for (const part of (query.get('method') ?? '').split(',')) {
    const m = methodOption(part.trim());
    if (m && !methods.includes(m.value) && methods.length < MAX_METHODS) methods.push(m.value);
  }
  return {
    sample: indexParam(query.get('sample')),
    classIndex: indexParam(query.get('class')),
    layer: layer.length > 0 && layer.length <= 200 ? layer : null,
    methods,
  };
}

/** The query string of `params` (unset fields left out), in a stable order. */
export function explainQuery(params: Partial<ExplainParams>): string {
  const qs = new URLSearchParams();
  if (params.sample !== undefined && params.sample !== null)
    qs.set('sample', String(params.sample));
  if (params.classIndex !== undefined && params.classIndex !== null)
    qs.set('class', String(params.classIndex));
  if (params.layer) qs.set('layer', params.layer);
  if (params.methods?.length) qs.set('method', params.methods.join(','));
  return qs.toString();
}

/** Address of the explanations page of a run, opened on `params` (e.g. `{ sample: 12 }`). */
export function explainHref(runId: string, params: Partial<ExplainParams> = {}): string {
  const qs = explainQuery(params);
  return `/runs/${encodeURIComponent(runId)}/explain${qs ? `?${qs}` : ''}`;
}

/** How the sample picker searches the test split. */
export type SampleSearch =
  | { by: 'index'; index: number | null }
  | { by: 'label'; label: number }
  | { by: 'predicted'; predicted: number }
  | { by: 'cell'; label: number; predicted: number }
  | {
      by: 'confidence';
      min: number;
      max: number;
      /** most: the most confident first; least: the least confident first. */
      order: 'most' | 'least';
      misclassifiedOnly: boolean;
    };

/** Variables of a paged predictions search (no cursor) and the direction the pages run. */
export interface SearchVariables {
  filter: {
    label?: number;
    predicted?: number;
    minConfidence?: number;
    maxConfidence?: number;
    misclassifiedOnly?: boolean;
  };
  orderBy: 'INDEX' | 'CONFIDENCE_DESC';
  /**
   * True: page from the end with last/before (the API orders by confidence descending only, so
   * "least confident first" is that order read backwards).
   */
  backward: boolean;
}

/** Clamps a confidence bound to [0, 1] (NaN: `fallback`). */
function unit(x: number, fallback: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : fallback;
}

/** The predictions query of a search (null for a search by index: no query, one sample). */
export function searchVariables(search: SampleSearch): SearchVariables | null {
  switch (search.by) {
    case 'index':
      return null;
    case 'label':
      return { filter: { label: search.label }, orderBy: 'INDEX', backward: false };
    case 'predicted':
      return { filter: { predicted: search.predicted }, orderBy: 'INDEX', backward: false };
    case 'cell':
      return {
        filter: { label: search.label, predicted: search.predicted },
        orderBy: 'INDEX',
        backward: false,
      };
    case 'confidence': {
      const a = unit(search.min, 0);
      const b = unit(search.max, 1);
      return {
        filter: {
          minConfidence: Math.min(a, b),
          maxConfidence: Math.max(a, b),
          ...(search.misclassifiedOnly ? { misclassifiedOnly: true } : {}),
        },
        orderBy: 'CONFIDENCE_DESC',
        backward: search.order === 'least',
      };
    }
  }
}

/** A stable key of a search (what identifies its pages). */
export function searchKey(search: SampleSearch): string {
  return JSON.stringify(search);
}

/** A layer the selectors offer: its name and output shape without the batch axis. */
export interface ExplainLayer {
  name: string;
  shape: number[];
}

/** Layers whose output is 4-D with the batch axis (`[h, w, channels]` without it), in model order. */
export function spatialLayers(layers: readonly ExplainLayer[]): ExplainLayer[] {
  return layers.filter((l) => l.shape.length === 3);
}

/** One method's map in a job result. */
export interface MethodMap {
  method: string;
  classIndex: number;
  className: string;
  layer: string | null;
  heatmapShape: [number, number];
  heatmap: number[][];
  faithfulness: { deletionAuc: number; insertionAuc: number } | null;
}

/** What the page reads of a DONE job's result. */
export interface SampleResult {
  predictions: { classIndex: number; className: string; probability: number }[];
  methods: MethodMap[];
  source: { split: string; index: number } | null;
  /**
   * `result.activations` ({ layer, shape, statistics, grid }) when it names a layer and a shape;
   * the grid view reads the rest.
   */
  activations: { layer: string; shape: number[] } | null;
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : NaN;
}

function str(v: unknown, fallback = ''): string {
  return typeof v === 'string' ? v : fallback;
}

/** A heatmap `[h][w]` of numbers, or null when rows differ or a value is not a number. */
function heatmapRows(v: unknown): number[][] | null {
  if (!Array.isArray(v) || v.length === 0) return null;
  const rows = v as unknown[];
  const w = Array.isArray(rows[0]) ? rows[0].length : 0;
  if (w === 0) return null;
  for (const r of rows)
    if (!Array.isArray(r) || r.length !== w || r.some((x) => typeof x !== 'number')) return null;
  return rows as number[][];
}

/** One entry of `result.methods`, or null when it is not a usable map. */
function methodMap(v: unknown): MethodMap | null {
  if (!isJsonObject(v)) return null;
  const heatmap = heatmapRows(v.heatmap);
  if (!heatmap) return null;
  const f = v.faithfulness;
  return {
    method: methodOption(str(v.method))?.value ?? str(v.method, '?'),
    classIndex: num(v.classIndex),
    className: str(v.className),
    layer: typeof v.layer === 'string' ? v.layer : null,
    heatmapShape: [heatmap.length, heatmap[0]!.length],
    heatmap,
    faithfulness: isJsonObject(f)
      ? { deletionAuc: num(f.deletionAuc), insertionAuc: num(f.insertionAuc) }
      : null,
  };
}

/**
 * The parts of a job result the page shows. `result.methods` is the on-demand contract; a
 * result with only `result.cam` (a worker from before it) counts as its one method.
 */
export function readSampleResult(result: unknown): SampleResult {
  const r = isJsonObject(result) ? result : {};
  const predictions = Array.isArray(r.predictions)
    ? r.predictions.filter(isJsonObject).map((p) => ({
        classIndex: num(p.classIndex),
        className: str(p.className),
        probability: num(p.probability),
      }))
    : [];
  let methods = Array.isArray(r.methods)
    ? r.methods.map(methodMap).filter((m): m is MethodMap => m !== null)
    : [];
  if (methods.length === 0 && isJsonObject(r.cam)) {
    const cam = methodMap(r.cam);
    if (cam) methods = [cam];
  }
  const s = r.source;
  const source =
    isJsonObject(s) && typeof s.index === 'number'
      ? { split: str(s.split, 'test'), index: s.index }
      : null;
  const a = r.activations;
  const activations =
    isJsonObject(a) &&
    typeof a.layer === 'string' &&
    Array.isArray(a.shape) &&
    a.shape.every((d) => typeof d === 'number')
      ? { ...a, layer: a.layer, shape: a.shape }
      : null;
  return { predictions, methods, source, activations };
}

/** The maps ranked by faithfulness (insertion − deletion; the best flagged), in request order. */
export function rankMaps(maps: readonly MethodMap[]): (MethodMap & RankedMethod)[] {
  const ranked = rankMethods(
    maps.map((m) => ({
      method: m.method,
      insertionAuc: m.faithfulness?.insertionAuc ?? NaN,
      deletionAuc: m.faithfulness?.deletionAuc ?? NaN,
    })),
  );
  return maps.map((m, i) => ({ ...m, ...ranked[i]! }));
}

/** A heatmap `[h][w]` as one row-major array (for blending over the image's pixels). */
export function flatHeatmap(heatmap: readonly number[][]): Float32Array {
  const h = heatmap.length;
  const w = heatmap[0]?.length ?? 0;
  const out = new Float32Array(h * w);
  heatmap.forEach((row, y) => out.set(row, y * w));
  return out;
}
