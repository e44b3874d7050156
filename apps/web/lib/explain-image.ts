// Pure helpers of the "Explain your image" page: what the selectors offer (read from the run's
// model summary and class names), the request URLs (same-origin, proxied to the API by
// next.config.ts), the API's error bodies as one line, and the heatmap colouring of the overlay.
import { DEFAULT_HEATMAP_COLORMAP, colorizeHeatmap } from '@convscope/viz';
import { field, jsonText } from './json';

/** The class-activation-map methods the API accepts, with labels. */
export const CAM_METHODS = [
  { value: 'gradcam', label: 'Grad-CAM' },
  { value: 'gradcampp', label: 'Grad-CAM++' },
  { value: 'layercam', label: 'Layer-CAM' },
  { value: 'scorecam', label: 'Score-CAM' },
  { value: 'eigencam', label: 'Eigen-CAM' },
] as const;

/** A layer the selectors offer. */
export interface LayerOption {
  name: string;
  /** Output shape without the batch axis (from the model summary). */
  shape: number[];
}

/** Layers of a model summary `{ layers: [{ name, outputShape }] }`, in model order. */
export function summaryLayers(summary: unknown): LayerOption[] {
  const layers = field(summary, 'layers');
  if (!Array.isArray(layers)) return [];
  const out: LayerOption[] = [];
  for (const l of layers) {
    const name = field(l, 'name');
    const shape = field(l, 'outputShape');
    if (typeof name !== 'string') continue;
    out.push({
      name,
      shape: Array.isArray(shape) ? shape.filter((d): d is number => typeof d === 'number') : [],
    });
  }
  return out;
}

/** Layers a CAM can use: a spatial output `[h, w, channels]`. The API's default is the last. */
export function camLayers(layers: LayerOption[]): LayerOption[] {
  return layers.filter((l) => l.shape.length === 3);
}

/** Class names of a run: its latest evaluation's, else the dataset info's. */
export function runClassNames(
  evaluationClassNames: string[] | undefined,
  datasetInfo: unknown,
): string[] {
  if (evaluationClassNames?.length) return evaluationClassNames;
  const names = field(datasetInfo, 'classNames');
  return Array.isArray(names) ? names.map(jsonText) : [];
}

/** The parameters of a request (null / empty: the API's default). */
export interface ExplainRequest {
  method: string;
  classIndex: number | null;
  layer: string | null;
  activationsLayer: string | null;
  topK: number;
  /** Long-poll seconds. */
  wait: number;
}

/** Same-origin URL that POSTs the image to the API's `/runs/:id/explain`. */
export function explainUrl(runId: string, r: ExplainRequest): string {
  const qs = new URLSearchParams({ method: r.method, topK: String(r.topK), wait: String(r.wait) });
  if (r.classIndex !== null) qs.set('classIndex', String(r.classIndex));
  if (r.layer) qs.set('layer', r.layer);
  if (r.activationsLayer) qs.set('activationsLayer', r.activationsLayer);
  return `/explain-api/runs/${encodeURIComponent(runId)}?${qs}`;
}

/** Same-origin URL polling a job (long-polls `wait` seconds). */
export function jobUrl(jobId: string, wait: number): string {
  return `/explain-jobs/${encodeURIComponent(jobId)}?wait=${wait}`;
}

/** The message of an API error body `{ code, message }`, prefixed by what the status means. */
export function errorMessage(status: number, body: unknown): string {
  const message =
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { message?: unknown }).message === 'string'
      ? (body as { message: string }).message
      : null;
  const what =
    status === 413
      ? 'Image too large'
      : status === 415
        ? 'Unsupported file type'
        : status === 404
          ? 'Not found'
          : status === 409
            ? 'No model'
            : status === 422
              ? 'Explanation failed'
              : status >= 500
                ? 'Server error'
                : 'Rejected';
  return message ? `${what}: ${message}` : `${what} (HTTP ${status})`;
}

/**
 * RGBA bytes of a heatmap `[h][w]` (values in [0, 1]) in the explanations page's first colormap,
 * from the shared tables, so the upload page colours a map as the explanations page does
 * (opaque; alpha is applied when blending).
 */
export function heatmapRgba(heatmap: number[][]): Uint8ClampedArray<ArrayBuffer> {
  const w = heatmap[0]?.length ?? 0;
  if (heatmap.some((row) => row.length !== w))
    throw new Error(`heatmap rows differ in length (first row has ${w} values)`);
  return colorizeHeatmap({ heatmap: heatmap.flat(), colormap: DEFAULT_HEATMAP_COLORMAP });
}

/** The result an explain worker stores (the fields the page shows). */
export interface ExplainResult {
  predictions: { classIndex: number; className: string; probability: number }[];
  cam: {
    method: string;
    layer: string;
    classIndex: number;
    className: string;
    score: number;
    heatmapShape: [number, number];
    heatmap: number[][];
  };
  activations: {
    layer: string;
    shape: number[];
    statistics: { mean: number[]; max: number[]; zeroFraction: number[] };
    grid: { pngBase64: string; width: number; height: number; caption: string } | null;
  };
  durationMs?: number;
  backend?: string;
}

/** A job as `POST /runs/:id/explain` and `GET /explain-jobs/:id` return it. */
export interface ExplainJob {
  id: string;
  status: 'QUEUED' | 'RUNNING' | 'DONE' | 'FAILED';
  result: ExplainResult | null;
  error: string | null;
  imageSha256: string;
}
