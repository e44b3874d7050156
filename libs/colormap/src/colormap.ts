/**
 * Colormaps as 256-entry lookup tables, the same tables matplotlib uses (its `cmap(x, bytes=True)`,
 * what `plt.imsave` writes): viridis and magma (perceptually uniform, for unsigned maps), jet (for
 * comparison with older papers), and rdbu_r (matplotlib's RdBu_r, diverging blue-white-red, for
 * signed maps such as LIME weights). The one copy of these tables: libs/ml writes PNG heatmaps
 * with them and libs/viz draws in the browser with them, so both colour a map identically.
 */
import { TABLE_HEX } from './tables';

/** Names of the colormaps this module knows. */
export type ColormapName = 'viridis' | 'magma' | 'jet' | 'rdbu_r';

/** Every colormap name, for option validation and UIs. */
export const COLORMAP_NAMES: readonly ColormapName[] = ['viridis', 'magma', 'jet', 'rdbu_r'];

/** An RGB colour as bytes. */
export type Rgb = [r: number, g: number, b: number];

const tables = new Map<ColormapName, Uint8Array>();

/**
 * The lookup table of a colormap: 256 RGB entries, `[256, 3]` bytes, entry i for values in
 * [i/256, (i+1)/256). The returned array is shared: do not modify it.
 * @throws for a name that is not one of {@link COLORMAP_NAMES} (callers from plain JS or JSON)
 */
export function colormapTable(name: ColormapName): Uint8Array {
  let t = tables.get(name);
  if (t) return t;
  const hex = Object.hasOwn(TABLE_HEX, name) ? TABLE_HEX[name] : undefined;
  if (hex === undefined) {
    throw new Error(`unknown colormap "${name}" (known: ${COLORMAP_NAMES.join(', ')})`);
  }
  t = new Uint8Array(hex.length / 2);
  for (let i = 0; i < t.length; i++) t[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  tables.set(name, t);
  return t;
}

/**
 * Index of the table entry for a value in [0, 1], as matplotlib computes it: floor(x * 256),
 * 1.0 in the last entry, values below 0 or above 1 (and NaN, which matplotlib draws transparent)
 * clamped to the first or last entry.
 */
export function colormapIndex(x: number): number {
  if (!(x >= 0)) return 0; // NaN too
  if (x >= 1) return 255;
  return Math.min(255, Math.floor(x * 256));
}

/** The colour of one value in [0, 1] as `[r, g, b]` bytes. */
export function colormapColor(name: ColormapName, x: number): Rgb {
  const t = colormapTable(name);
  const i = colormapIndex(x) * 3;
  // i + 2 <= 767: colormapIndex is at most 255 and every table has 768 bytes.
  return [t[i]!, t[i + 1]!, t[i + 2]!];
}

/** CSS `rgb(...)` of a value in [0, 1] (legends, swatches). */
export function colormapCss(name: ColormapName, x: number): string {
  const [r, g, b] = colormapColor(name, x);
  return `rgb(${r}, ${g}, ${b})`;
}

/** Options of {@link applyColormap}. */
export interface ApplyColormapOptions {
  /** Values to colour, any layout (one colour per value). */
  values: ArrayLike<number>;
  /** Colormap name. Default 'viridis'. */
  colormap?: ColormapName;
  /**
   * Value range mapped to [0, 1]. Default: the values' min and max; for a diverging map with
   * `symmetric`, [-m, m] with m the largest |value|, so that 0 is the neutral middle colour.
   */
  range?: [number, number];
  /** Centre the default range on 0 (see `range`). Default: true for 'rdbu_r', else false. */
  symmetric?: boolean;
}

/**
 * Colour values with a colormap: RGB bytes, 3 per value (`[..., 3]`). A constant input (empty
 * range) maps to the middle of the map for symmetric ranges, else to its first colour.
 */
export function applyColormap(options: ApplyColormapOptions): Uint8Array {
  const { values } = options;
  const name = options.colormap ?? 'viridis';
  const symmetric = options.symmetric ?? name === 'rdbu_r';
  const [lo, hi] = options.range ?? valueRange(values, symmetric);
  const t = colormapTable(name);
  const out = new Uint8Array(values.length * 3);
  const span = hi - lo;
  for (let i = 0; i < values.length; i++) {
    const x = span > 0 ? (values[i]! - lo) / span : symmetric ? 0.5 : 0;
    const k = colormapIndex(x) * 3;
    out[3 * i] = t[k]!;
    out[3 * i + 1] = t[k + 1]!;
    out[3 * i + 2] = t[k + 2]!;
  }
  return out;
}

/**
 * Min and max of finite values ([0, 0] if none); symmetric: [-m, m] with m the largest |v|.
 * (A positional flag, kept from libs/ml's renderer, which calls it as valueRange(map, diverging).)
 */
export function valueRange(values: ArrayLike<number>, symmetric = false): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return [0, 0];
  if (symmetric) {
    const m = Math.max(Math.abs(lo), Math.abs(hi));
    return [-m, m];
  }
  return [lo, hi];
}
