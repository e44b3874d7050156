/**
 * The explanation pack of a run as the dashboard reads it: the index artifact
 * (`explain.index.json`, written by libs/ml's explanation-pack.ts) and lookups into its files.
 * Pure functions; the components fetch the files from the same-origin artifact route.
 */
import type { TileGrid } from '@convscope/viz';

/** Name of the index artifact. */
export const EXPLANATION_INDEX = 'explain.index.json';

/** One explained test sample. */
export interface PackSample {
  index: number;
  label: number;
  predicted: number;
  confidence: number;
  correct: boolean;
}

/** Grid layout as stored (the tile count is the file's `channels` or channel list). */
export interface StoredGrid {
  columns: number;
  rows: number;
  padding: number;
  tileHeight: number;
  tileWidth: number;
}

/** Metadata of a pack file; which fields are set depends on `kind`. */
export interface PackMetadata {
  kind: string;
  sample?: number;
  layer?: string;
  order?: number;
  method?: string;
  classIndex?: number;
  target?: string;
  shape?: number[];
  channels?: number;
  channel?: number[];
  grid?: StoredGrid;
  caption?: string;
  deletionAuc?: number;
  insertionAuc?: number;
  score?: number;
  topK?: { channel: number; samples: number[]; values: number[] }[];
  imageShape?: number[];
}

/** One file of the pack. */
export interface PackFile {
  name: string;
  kind: string;
  mimeType: string;
  bytes: number;
  metadata: PackMetadata;
}

/** The index artifact. */
export interface ExplanationIndex {
  version: number;
  createdAt: string;
  classNames: string[];
  imageShape: [number, number, number];
  camLayer: string | null;
  camMethods: string[];
  layers: { path: string; className: string; outputShape: (number | null)[] }[];
  samples: PackSample[];
  files: PackFile[];
  totalBytes: number;
  timings: Record<string, number>;
  skipped: { what: string; reason: string }[];
}

/** True when `value` looks like an index (version 1 with the lists the views need). */
export function isExplanationIndex(value: unknown): value is ExplanationIndex {
  const v = value as Partial<ExplanationIndex> | null;
  return (
    !!v &&
    v.version === 1 &&
    Array.isArray(v.files) &&
    Array.isArray(v.samples) &&
    Array.isArray(v.layers) &&
    Array.isArray(v.classNames)
  );
}

/** Same-origin URL of a pack file (next.config.ts forwards artifacts to the API). */
export function packFileUrl(runId: string, name: string): string {
  return `/runs/${encodeURIComponent(runId)}/artifacts/${encodeURIComponent(name)}`;
}

/** A stored grid with its tile count, as libs/viz's hit-testing takes it. */
export function tileGrid(grid: StoredGrid, count: number): TileGrid {
  return { ...grid, count };
}

/** The activation grids of a sample, in layer order. */
export function activationGrids(index: ExplanationIndex, sample: number): PackFile[] {
  return index.files
    .filter((f) => f.kind === 'activations' && f.metadata.sample === sample)
    .sort((a, b) => (a.metadata.order ?? 0) - (b.metadata.order ?? 0));
}

/** Classes with CAMs for a sample: true class first, then the predicted one, then any other. */
export function camClasses(index: ExplanationIndex, sample: number): number[] {
  const s = index.samples.find((x) => x.index === sample);
  const found = new Set(
    index.files
      .filter((f) => f.kind === 'gradcam' && f.metadata.sample === sample)
      .map((f) => f.metadata.classIndex!),
  );
  const first = s ? [s.label, s.predicted].filter((c) => found.has(c)) : [];
  return [...new Set([...first, ...[...found].sort((a, b) => a - b)])];
}

/** The CAM file of a sample, class and method, if the pack has it. */
export function camFile(
  index: ExplanationIndex,
  sample: number,
  classIndex: number,
  method: string,
): PackFile | undefined {
  return index.files.find(
    (f) =>
      f.kind === 'gradcam' &&
      f.metadata.sample === sample &&
      f.metadata.classIndex === classIndex &&
      f.metadata.method === method,
  );
}

/** CAM methods present for a sample and class, in the index's method order. */
export function camMethodsFor(
  index: ExplanationIndex,
  sample: number,
  classIndex: number,
): string[] {
  return index.camMethods.filter((m) => camFile(index, sample, classIndex, m));
}

/** Files of a kind for a sample (saliency maps, LIME). */
export function sampleFiles(index: ExplanationIndex, kind: string, sample: number): PackFile[] {
  return index.files.filter((f) => f.kind === kind && f.metadata.sample === sample);
}

/** Samples that have at least one file of a kind. */
export function samplesWith(index: ExplanationIndex, kind: string): PackSample[] {
  const have = new Set(index.files.filter((f) => f.kind === kind).map((f) => f.metadata.sample));
  return index.samples.filter((s) => have.has(s.index));
}

/** Display name of a class (its index when the name is missing). */
export function className(index: ExplanationIndex, c: number): string {
  return index.classNames[c] ?? `class ${c}`;
}

/** Human names of the methods. */
export const METHOD_LABELS: Record<string, string> = {
  gradcam: 'Grad-CAM',
  gradcampp: 'Grad-CAM++',
  layercam: 'Layer-CAM',
  scorecam: 'Score-CAM',
  eigencam: 'Eigen-CAM',
  gradients: 'Vanilla gradients',
  smoothgrad: 'SmoothGrad',
};

/** "28 × 28 × 32" */
export function formatShape(shape: readonly (number | null)[] | undefined): string {
  return (shape ?? []).map((d) => (d === null ? '?' : String(d))).join(' × ');
}

/** RGBA bytes of one rectangle of an RGBA image (a tile of a grid). */
export function cropRgba(
  image: { data: ArrayLike<number>; width: number },
  r: { x: number; y: number; width: number; height: number },
): Uint8ClampedArray {
  const out = new Uint8ClampedArray(r.width * r.height * 4);
  for (let y = 0; y < r.height; y++)
    for (let x = 0; x < r.width * 4; x++)
      // The rectangle lies inside the image (see gridTileRect): every index is in range.
      out[y * r.width * 4 + x] = image.data[((r.y + y) * image.width + r.x) * 4 + x]!;
  return out;
}
