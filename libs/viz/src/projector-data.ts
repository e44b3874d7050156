/**
 * The embedding projector's data as the dashboard draws it: the `projector.json` artifact
 * (written by libs/ml's projector) decoded into typed arrays, point colours by true class,
 * predicted class or confidence, the layout fitted to a canvas, and hit testing with a quadtree.
 * Pure: no DOM.
 */
import {
  interpolateRainbow,
  interpolateViridis,
  quadtree,
  schemeTableau10,
  type Quadtree,
} from 'd3';

/** The projection methods, in the artifact's order. */
export const PROJECTOR_METHODS = ['pca', 'umap', 'tsne'] as const;
/** One projection method. */
export type ProjectorMethod = (typeof PROJECTOR_METHODS)[number];
/** How points are coloured. */
export type ProjectorColorMode = 'label' | 'predicted' | 'confidence';

/** Display names of the methods. */
export const METHOD_LABELS: Record<ProjectorMethod, string> = {
  pca: 'PCA',
  umap: 'UMAP',
  tsne: 't-SNE',
};

/** One decoded layout. */
export interface ProjectorLayoutData {
  method: ProjectorMethod;
  /** Points laid out. */
  points: number;
  /** Sample index of each point. */
  samples: Uint32Array;
  /** x and y of each point in [0, 1] (y up). */
  x: Float32Array;
  y: Float32Array;
  seconds: number;
  params: Record<string, number>;
}

/** The decoded artifact. */
export interface ProjectorData {
  count: number;
  classNames: string[];
  imageShape: [number, number, number];
  featureLayer: string;
  featureDim: number;
  /** True class, predicted class and confidence in [0, 1], by sample index (0..count-1 of the projector). */
  labels: Uint16Array;
  predicted: Uint16Array;
  confidence: Float32Array;
  layouts: ProjectorLayoutData[];
  skipped: { what: string; reason: string }[];
  timings: Record<string, number>;
}

/** Bytes of a base64 string (browser `atob`, also in Node 16+). */
function bytesOf(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function u16(b64: string, length: number, what: string): Uint16Array {
  const b = bytesOf(b64);
  if (b.length !== length * 2)
    throw new Error(`${what}: ${b.length} bytes, expected ${length * 2}`);
  return new Uint16Array(b.buffer, 0, length);
}

function u32(b64: string, length: number, what: string): Uint32Array {
  const b = bytesOf(b64);
  if (b.length !== length * 4)
    throw new Error(`${what}: ${b.length} bytes, expected ${length * 4}`);
  return new Uint32Array(b.buffer, 0, length);
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function decodeLayout(raw: unknown, count: number): ProjectorLayoutData | null {
  if (!isRecord(raw)) return null;
  const { method, points, coords, bounds } = raw;
  if (!PROJECTOR_METHODS.includes(method as ProjectorMethod)) return null;
  if (typeof points !== 'number' || typeof coords !== 'string' || !Array.isArray(bounds))
    return null;
  const q = u16(coords, points * 2, `${String(method)} coordinates`);
  const samples =
    typeof raw.indices === 'string'
      ? u32(raw.indices, points, `${String(method)} indices`)
      : Uint32Array.from({ length: points }, (_, i) => i);
  if (samples.some((s) => s >= count))
    throw new Error(`${String(method)}: sample index out of range`);
  const [x0 = 0, x1 = 0, y0 = 0, y1 = 0] = bounds as number[];
  // Keep the aspect ratio of the layout: both axes share the larger span.
  const span = Math.max(x1 - x0, y1 - y0) || 1;
  const x = new Float32Array(points);
  const y = new Float32Array(points);
  for (let i = 0; i < points; i++) {
    x[i] = 0.5 - (x1 - x0) / span / 2 + ((q[2 * i]! / 65535) * (x1 - x0)) / span;
    y[i] = 0.5 - (y1 - y0) / span / 2 + ((q[2 * i + 1]! / 65535) * (y1 - y0)) / span;
  }
  return {
    method: method as ProjectorMethod,
    points,
    samples,
    x,
    y,
    seconds: typeof raw.seconds === 'number' ? raw.seconds : 0,
    params: isRecord(raw.params) ? (raw.params as Record<string, number>) : {},
  };
}

/**
 * Decodes the `projector.json` artifact.
 * @throws naming what is malformed (a wrong length, an unknown version)
 */
export function parseProjector(raw: unknown): ProjectorData {
  if (!isRecord(raw) || raw.version !== 1) throw new Error('not a projector artifact (version 1)');
  const count = raw.count;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0)
    throw new Error('projector: count is not a whole number');
  const classNames = Array.isArray(raw.classNames) ? raw.classNames.map(String) : [];
  const conf = u16(String(raw.confidence), count, 'confidence');
  const layouts = (Array.isArray(raw.layouts) ? raw.layouts : [])
    .map((l) => decodeLayout(l, count))
    .filter((l): l is ProjectorLayoutData => l !== null);
  return {
    count,
    classNames,
    imageShape: (Array.isArray(raw.imageShape) ? raw.imageShape : [0, 0, 0]) as [
      number,
      number,
      number,
    ],
    featureLayer: String(raw.featureLayer ?? ''),
    featureDim: Number(raw.featureDim ?? 0),
    labels: u16(String(raw.labels), count, 'labels'),
    predicted: u16(String(raw.predicted), count, 'predicted'),
    confidence: Float32Array.from(conf, (v) => v / 65535),
    layouts,
    skipped: Array.isArray(raw.skipped)
      ? raw.skipped
          .filter(isRecord)
          .map((s) => ({ what: String(s.what), reason: String(s.reason) }))
      : [],
    timings: isRecord(raw.timings) ? (raw.timings as Record<string, number>) : {},
  };
}

/** Colour of class `c` of `classes`: Tableau 10 up to ten classes, an even rainbow beyond. */
export function classColor(c: number, classes: number): string {
  if (classes <= 10) return schemeTableau10[c % 10] ?? '#888888';
  return interpolateRainbow(c / classes);
}

/** Colour of a confidence in [0, 1] (viridis: dark is unsure, yellow is sure). */
export function confidenceColor(p: number): string {
  return interpolateViridis(Math.min(1, Math.max(0, p)));
}

/** One legend entry. */
export interface LegendEntry {
  label: string;
  color: string;
}

/** The legend of a colour mode: one entry per class, or five confidence stops. */
export function projectorLegend(
  data: Pick<ProjectorData, 'classNames'>,
  mode: ProjectorColorMode,
): LegendEntry[] {
  if (mode === 'confidence')
    return [0, 0.25, 0.5, 0.75, 1].map((p) => ({ label: p.toFixed(2), color: confidenceColor(p) }));
  const n = data.classNames.length;
  return data.classNames.map((label, c) => ({ label, color: classColor(c, n) }));
}

/** The colour of every point of a layout in a mode. */
export function pointColors(
  data: Pick<ProjectorData, 'labels' | 'predicted' | 'confidence' | 'classNames'>,
  layout: Pick<ProjectorLayoutData, 'samples'>,
  mode: ProjectorColorMode,
): string[] {
  const n = Math.max(data.classNames.length, 1);
  return Array.from(layout.samples, (s) =>
    mode === 'confidence'
      ? confidenceColor(data.confidence[s] ?? 0)
      : classColor((mode === 'label' ? data.labels[s] : data.predicted[s]) ?? 0, n),
  );
}

/** True when sample `s` is misclassified. */
export function isMisclassified(
  data: Pick<ProjectorData, 'labels' | 'predicted'>,
  s: number,
): boolean {
  return data.labels[s] !== data.predicted[s];
}

/**
 * Screen positions of a layout's points in a `width` x `height` box with `padding` on each side
 * (y down): the points' extent scaled as large as fits, the same scale on both axes, centred.
 */
export function screenPositions(
  layout: Pick<ProjectorLayoutData, 'x' | 'y' | 'points'>,
  box: { width: number; height: number; padding: number },
): { sx: Float32Array; sy: Float32Array } {
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < layout.points; i++) {
    const x = layout.x[i]!;
    const y = layout.y[i]!;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  const w = Math.max(1, box.width - 2 * box.padding);
  const h = Math.max(1, box.height - 2 * box.padding);
  const dx = x1 - x0 || 1;
  const dy = y1 - y0 || 1;
  const scale = Math.min(w / dx, h / dy);
  const ox = (box.width - (x1 - x0) * scale) / 2;
  const oy = (box.height - (y1 - y0) * scale) / 2;
  const sx = new Float32Array(layout.points);
  const sy = new Float32Array(layout.points);
  for (let i = 0; i < layout.points; i++) {
    sx[i] = ox + (layout.x[i]! - x0) * scale;
    sy[i] = oy + (y1 - layout.y[i]!) * scale;
  }
  return { sx, sy };
}

/** A point index for hit testing, in the un-zoomed screen positions. */
export interface PointIndex {
  tree: Quadtree<number>;
  sx: Float32Array;
  sy: Float32Array;
}

/** Builds the quadtree of a layout's screen positions (point numbers as data). */
export function buildPointIndex(pos: { sx: Float32Array; sy: Float32Array }): PointIndex {
  const tree = quadtree<number>()
    .x((i) => pos.sx[i]!)
    .y((i) => pos.sy[i]!)
    .addAll(Array.from({ length: pos.sx.length }, (_, i) => i));
  return { tree, sx: pos.sx, sy: pos.sy };
}

/** A zoom transform (d3-zoom's k, x, y): screen = base * k + (x, y). */
export interface ViewTransform {
  k: number;
  x: number;
  y: number;
}

/**
 * The point under a screen position (after the zoom `t`), within `radius` screen pixels, or null.
 */
export function hitTest(
  index: PointIndex,
  at: { x: number; y: number },
  t: ViewTransform,
  radius: number,
): number | null {
  const found = index.tree.find((at.x - t.x) / t.k, (at.y - t.y) / t.k, radius / t.k);
  return found ?? null;
}

/** The `k` points nearest to point `i` (by layout distance), nearest first, `i` left out. */
export function nearestPoints(index: PointIndex, i: number, k: number): number[] {
  const { sx, sy } = index;
  const x = sx[i]!;
  const y = sy[i]!;
  const order: { j: number; d: number }[] = [];
  for (let j = 0; j < sx.length; j++)
    if (j !== i) order.push({ j, d: (sx[j]! - x) ** 2 + (sy[j]! - y) ** 2 });
  order.sort((a, b) => a.d - b.d || a.j - b.j);
  return order.slice(0, k).map((o) => o.j);
}

/** The point of a layout showing sample `s`, or null when the layout leaves it out (a t-SNE subset). */
export function pointOfSample(
  layout: Pick<ProjectorLayoutData, 'samples'>,
  s: number,
): number | null {
  const i = layout.samples.indexOf(s);
  return i < 0 ? null : i;
}

/** Caption of a layout: method, and how many points when it is a subset (`t-SNE of 2,000 points`). */
export function layoutCaption(
  layout: Pick<ProjectorLayoutData, 'method' | 'points'>,
  count: number,
): string {
  const name = METHOD_LABELS[layout.method];
  return layout.points < count
    ? `${name} of ${layout.points.toLocaleString('en-US')} points`
    : name;
}
