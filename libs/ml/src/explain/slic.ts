/**
 * SLIC superpixels, written from the paper: R. Achanta, A. Shaji, K. Smith, A. Lucchi, P. Fua,
 * S. Süsstrunk, "SLIC Superpixels Compared to State-of-the-Art Superpixel Methods", IEEE TPAMI
 * 34(11), 2012. Plain typed-array code, no TensorFlow.js.
 *
 * Steps (Algorithm 1 of the paper): convert to CIELAB; place k centres on a regular grid of step
 * S = sqrt(N / k); move each to the lowest-gradient position of its 3x3 neighbourhood; then
 * repeatedly assign each pixel to the nearest centre among those whose 2S x 2S window holds it,
 * with D = sqrt(dc^2 + (ds / S)^2 m^2), and move the centres to the mean [l, a, b, x, y] of their
 * pixels; finally enforce connectivity by merging fragments smaller than a quarter of a
 * superpixel into a neighbour.
 */

/** Options of {@link slic}. */
export interface SlicOptions {
  /** Pixels `[height, width, channels]`, row-major, channels last. */
  pixels: ArrayLike<number>;
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** 1 (grayscale) or 3 (RGB, sRGB-encoded). */
  channels: 1 | 3;
  /**
   * Value of full intensity in `pixels`. Default 255 for Uint8Array / Uint8ClampedArray, else 1
   * (floats in [0, 1]).
   */
  maxValue?: number;
  /** Number of superpixels asked for (k); the result has about as many. Default 100. */
  numSegments?: number;
  /**
   * m: weight of spatial against colour distance (colour in CIELAB units, L in [0, 100]).
   * Larger gives squarer superpixels. Default 10, the paper's value.
   */
  compactness?: number;
  /** Assignment/update iterations. Default 10 (the paper finds 10 enough for most images). */
  iterations?: number;
  /**
   * Fragments smaller than this fraction of the average superpixel area (N / k) are merged into
   * a neighbour. Default 0.25, as in the authors' code.
   */
  minSizeFactor?: number;
}

/** A segmentation: one label per pixel. */
export interface Segmentation {
  /** Label of each pixel, `[height, width]`, in 0..numSegments-1, numbered in raster order. */
  labels: Int32Array;
  /** Number of distinct labels. */
  numSegments: number;
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
}

/**
 * sRGB (components in [0, 1]) to CIELAB under D65, the conversion SLIC works in (the same
 * constants as skimage.color.rgb2lab).
 * @returns [L, a, b] with L in [0, 100]
 */
export function rgbToLab(r: number, g: number, b: number): [number, number, number] {
  const lin = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  const R = lin(r);
  const G = lin(g);
  const B = lin(b);
  const x = (0.412453 * R + 0.35758 * G + 0.180423 * B) / 0.95047;
  const y = 0.212671 * R + 0.71516 * G + 0.072169 * B;
  const z = (0.019334 * R + 0.119193 * G + 0.950227 * B) / 1.08883;
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  const fx = f(x);
  const fy = f(y);
  const fz = f(z);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** SLIC superpixels of an RGB or grayscale image (see the module comment for the method). */
export function slic(options: SlicOptions): Segmentation {
  const { pixels, width, height, channels } = options;
  const n = width * height;
  if (!(width >= 1 && height >= 1 && Number.isInteger(width) && Number.isInteger(height))) {
    throw new Error(`width and height must be positive integers, got ${width} x ${height}`);
  }
  if (pixels.length !== n * channels) {
    throw new Error(`pixels has ${pixels.length} values, expected ${n * channels}`);
  }
  const k = Math.max(1, Math.min(n, Math.round(options.numSegments ?? 100)));
  const m = options.compactness ?? 10;
  const iterations = options.iterations ?? 10;
  const isBytes = pixels instanceof Uint8Array || pixels instanceof Uint8ClampedArray;
  const maxValue = options.maxValue ?? (isBytes ? 255 : 1);

  const lab = toLab(pixels, n, channels, maxValue);
  const S = Math.sqrt(n / k);

  // Grid of about k centres with the image's aspect ratio, each cell S x S on average.
  const nx = Math.max(1, Math.min(width, Math.round(width / S)));
  const ny = Math.max(1, Math.min(height, Math.round(height / S)));
  const numCentres = nx * ny;
  const cl = initialCentres(lab, width, height, nx, ny);

  const labels = new Int32Array(n).fill(-1);
  const dist = new Float64Array(n);
  const sums = new Float64Array(numCentres * 6);
  const grid: CentreGrid = {
    width,
    height,
    numCentres,
    spatial: (m * m) / (S * S),
    radius: Math.ceil(S),
  };
  for (let it = 0; it < iterations; it++) {
    assignPixels(lab, cl, grid, labels, dist);
    updateCentres(lab, labels, grid, cl, sums);
  }
  const minSize = Math.max(1, Math.floor((options.minSizeFactor ?? 0.25) * (n / k)));
  return enforceConnectivity(labels, lab, width, height, minSize);
}

/** The image size, the centre count and the constants of the distance and search window. */
interface CentreGrid {
  width: number;
  height: number;
  numCentres: number;
  /** m^2 / S^2: weight of squared pixel distance against squared colour distance. */
  spatial: number;
  /** Half-width of the 2S x 2S search window. */
  radius: number;
}

/** `[l, a, b, x, y]` per centre of an `nx` x `ny` grid, each moved to its least gradient. */
function initialCentres(
  lab: Float64Array,
  width: number,
  height: number,
  nx: number,
  ny: number,
): Float64Array {
  const cl = new Float64Array(nx * ny * 5);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      let x = Math.floor(((i + 0.5) * width) / nx);
      let y = Math.floor(((j + 0.5) * height) / ny);
      [x, y] = lowestGradient(lab, width, height, x, y);
      const c = (j * nx + i) * 5;
      const p = (y * width + x) * 3;
      cl.set([lab[p]!, lab[p + 1]!, lab[p + 2]!, x, y], c);
    }
  }
  return cl;
}

/** Assignment step: each pixel takes the nearest centre whose window covers it (`labels`, `dist`). */
function assignPixels(
  lab: Float64Array,
  cl: Float64Array,
  grid: CentreGrid,
  labels: Int32Array,
  dist: Float64Array,
): void {
  const { width, height, numCentres, spatial, radius } = grid;
  dist.fill(Infinity);
  for (let c = 0; c < numCentres; c++) {
    // Centre c's five values (c < numCentres: inside cl).
    const o = c * 5;
    const l = cl[o]!;
    const a = cl[o + 1]!;
    const b = cl[o + 2]!;
    const cx = cl[o + 3]!;
    const cy = cl[o + 4]!;
    const x0 = Math.max(0, Math.floor(cx - radius));
    const x1 = Math.min(width - 1, Math.ceil(cx + radius));
    const y0 = Math.max(0, Math.floor(cy - radius));
    const y1 = Math.min(height - 1, Math.ceil(cy + radius));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const p = y * width + x;
        const dl = lab[3 * p]! - l;
        const da = lab[3 * p + 1]! - a;
        const db = lab[3 * p + 2]! - b;
        const dx = x - cx;
        const dy = y - cy;
        // D^2 (the square root does not change the argmin).
        const d = dl * dl + da * da + db * db + (dx * dx + dy * dy) * spatial;
        if (d < dist[p]!) {
          dist[p] = d;
          labels[p] = c;
        }
      }
    }
  }
}

/** Update step: each centre moves to the mean of its pixels (`cl`; `sums` is scratch). */
function updateCentres(
  lab: Float64Array,
  labels: Int32Array,
  grid: CentreGrid,
  cl: Float64Array,
  sums: Float64Array,
): void {
  const { width, numCentres } = grid;
  const n = labels.length;
  sums.fill(0);
  for (let p = 0; p < n; p++) {
    const c = labels[p]!;
    if (c < 0) continue;
    const s = c * 6;
    sums[s]! += lab[3 * p]!;
    sums[s + 1]! += lab[3 * p + 1]!;
    sums[s + 2]! += lab[3 * p + 2]!;
    sums[s + 3]! += p % width;
    sums[s + 4]! += Math.floor(p / width);
    sums[s + 5]! += 1;
  }
  for (let c = 0; c < numCentres; c++) {
    const count = sums[c * 6 + 5]!;
    if (count === 0) continue; // an empty cluster keeps its centre
    for (let q = 0; q < 5; q++) cl[c * 5 + q] = sums[c * 6 + q]! / count;
  }
}

/** Pixel colours in CIELAB, `[n, 3]`; grayscale is treated as r = g = b. */
function toLab(
  pixels: ArrayLike<number>,
  n: number,
  channels: 1 | 3,
  maxValue: number,
): Float64Array {
  const lab = new Float64Array(n * 3);
  const cache = new Map<number, [number, number, number]>(); // grayscale: few distinct values
  for (let p = 0; p < n; p++) {
    let v: [number, number, number];
    if (channels === 3) {
      v = rgbToLab(
        pixels[3 * p]! / maxValue,
        pixels[3 * p + 1]! / maxValue,
        pixels[3 * p + 2]! / maxValue,
      );
    } else {
      const g = pixels[p]!;
      v = cache.get(g) ?? rgbToLab(g / maxValue, g / maxValue, g / maxValue);
      cache.set(g, v);
    }
    lab[3 * p] = v[0];
    lab[3 * p + 1] = v[1];
    lab[3 * p + 2] = v[2];
  }
  return lab;
}

/**
 * The position of least gradient in the 3x3 neighbourhood of (x, y), so that centres do not
 * start on an edge or a noisy pixel. G(x, y) = |I(x+1, y) - I(x-1, y)|^2 + |I(x, y+1) - I(x, y-1)|^2
 * in CIELAB, neighbours clamped at the border.
 */
function lowestGradient(
  lab: Float64Array,
  width: number,
  height: number,
  x: number,
  y: number,
): [number, number] {
  const at = (xx: number, yy: number) =>
    3 * (Math.min(height - 1, Math.max(0, yy)) * width + Math.min(width - 1, Math.max(0, xx)));
  const diff2 = (p: number, q: number) =>
    (lab[p]! - lab[q]!) ** 2 + (lab[p + 1]! - lab[q + 1]!) ** 2 + (lab[p + 2]! - lab[q + 2]!) ** 2;
  let best: [number, number] = [x, y];
  let bestG = Infinity;
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      const xx = x + dx;
      const yy = y + dy;
      if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
      const g = diff2(at(xx + 1, yy), at(xx - 1, yy)) + diff2(at(xx, yy + 1), at(xx, yy - 1));
      if (g < bestG) {
        bestG = g;
        best = [xx, yy];
      }
    }
  }
  return best;
}

/**
 * Make every superpixel one 4-connected region: find the connected fragments of each label,
 * merge each fragment smaller than `minSize` (smallest first) into the adjacent region of the
 * closest mean colour, and number the regions in raster order. The authors' code merges into the
 * previously visited neighbour; the closest colour keeps an orphan on its side of an edge.
 */
function enforceConnectivity(
  labels: Int32Array,
  lab: Float64Array,
  width: number,
  height: number,
  minSize: number,
): Segmentation {
  const components = connectedComponents(labels, lab, width);
  const adjacent = componentAdjacency(components.comp, components.numComp, width);
  const parent = mergeSmallFragments(components, adjacent, minSize);
  return numberRegions(components.comp, parent, width, height);
}

/** The 4-connected fragments of equal labels. */
interface Components {
  /** Component id per pixel. */
  comp: Int32Array;
  numComp: number;
  /** Pixels per component (grows as fragments merge). */
  sizes: number[];
  /** The SLIC label of each component. */
  compLabel: number[];
  /** Summed lab, 3 per component (grows as fragments merge). */
  colour: number[];
}

/** Step 1: connected components of equal labels (4-connectivity), by flood fill. */
function connectedComponents(labels: Int32Array, lab: Float64Array, width: number): Components {
  const n = labels.length;
  const comp = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  const sizes: number[] = [];
  const compLabel: number[] = [];
  const colour: number[] = [];
  let numComp = 0;
  for (let start = 0; start < n; start++) {
    if (comp[start]! >= 0) continue;
    const label = labels[start]!;
    let top = 0;
    stack[top++] = start;
    comp[start] = numComp;
    let size = 0;
    let l = 0;
    let a = 0;
    let b = 0;
    while (top > 0) {
      const p = stack[--top]!;
      size++;
      l += lab[3 * p]!;
      a += lab[3 * p + 1]!;
      b += lab[3 * p + 2]!;
      const x = p % width;
      const neighbours = [x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, p - width, p + width];
      for (const q of neighbours) {
        if (q < 0 || q >= n || comp[q]! >= 0 || labels[q] !== label) continue;
        comp[q] = numComp;
        stack[top++] = q;
      }
    }
    sizes.push(size);
    compLabel.push(label);
    colour.push(l, a, b);
    numComp++;
  }
  return { comp, numComp, sizes, compLabel, colour };
}

/** Step 2: adjacency between components. */
function componentAdjacency(comp: Int32Array, numComp: number, width: number): Array<Set<number>> {
  const n = comp.length;
  const adjacent: Array<Set<number>> = Array.from({ length: numComp }, () => new Set<number>());
  for (let p = 0; p < n; p++) {
    const c = comp[p]!;
    // Every component id is < numComp: one set each.
    if (p % width < width - 1 && comp[p + 1] !== c) {
      adjacent[c]!.add(comp[p + 1]!);
      adjacent[comp[p + 1]!]!.add(c);
    }
    if (p + width < n && comp[p + width] !== c) {
      adjacent[c]!.add(comp[p + width]!);
      adjacent[comp[p + width]!]!.add(c);
    }
  }
  return adjacent;
}

/** Union-find root of component `c`, halving the path on the way. */
function findRoot(parent: Int32Array, c: number): number {
  while (parent[c] !== c) {
    parent[c] = parent[parent[c]!]!;
    c = parent[c]!;
  }
  return c;
}

/**
 * Step 3: merge small fragments, smallest first, into the adjacent region of the closest mean
 * colour, with union-find over components (`sizes` and `colour` are updated in place).
 * @returns the union-find parents
 */
function mergeSmallFragments(
  components: Components,
  adjacent: ReadonlyArray<Set<number>>,
  minSize: number,
): Int32Array {
  const { numComp, sizes, compLabel, colour } = components;
  const parent = Int32Array.from({ length: numComp }, (_, i) => i);
  const members: number[][] = Array.from({ length: numComp }, (_, i) => [i]);
  const order = Array.from({ length: numComp }, (_, i) => i).sort((p, q) => sizes[p]! - sizes[q]!);
  for (const c0 of order) {
    const c = findRoot(parent, c0);
    // A fragment of unassigned pixels (label -1, possible only if no window reached them) always merges.
    if (sizes[c]! >= minSize && compLabel[c0]! >= 0) continue;
    let best = -1;
    let bestD = Infinity;
    for (const member of members[c]!) {
      for (const q of adjacent[member]!) {
        const r = findRoot(parent, q);
        if (r === c) continue;
        let d = 0;
        for (let t = 0; t < 3; t++)
          d += (colour[3 * c + t]! / sizes[c]! - colour[3 * r + t]! / sizes[r]!) ** 2;
        if (d < bestD) {
          bestD = d;
          best = r;
        }
      }
    }
    if (best < 0) continue; // the only region of the image
    parent[c] = best;
    sizes[best]! += sizes[c]!;
    for (let t = 0; t < 3; t++) colour[3 * best + t]! += colour[3 * c + t]!;
    for (const member of members[c]!) members[best]!.push(member);
    members[c] = [];
  }
  return parent;
}

/** Step 4: number the merged regions in raster order. */
function numberRegions(
  comp: Int32Array,
  parent: Int32Array,
  width: number,
  height: number,
): Segmentation {
  const n = comp.length;
  const out = new Int32Array(n);
  const number = new Map<number, number>();
  for (let p = 0; p < n; p++) {
    const r = findRoot(parent, comp[p]!);
    let id = number.get(r);
    if (id === undefined) {
      id = number.size;
      number.set(r, id);
    }
    out[p] = id;
  }
  return { labels: out, numSegments: number.size, width, height };
}

/**
 * Pixels on a boundary between superpixels (a pixel whose right or lower neighbour has another
 * label), for drawing outlines as skimage's mark_boundaries does.
 * @returns `[height, width]`, 1 on a boundary, else 0
 */
export function segmentBoundaries(segmentation: Segmentation): Uint8Array {
  const { labels, width, height } = segmentation;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      if (
        (x + 1 < width && labels[p + 1] !== labels[p]) ||
        (y + 1 < height && labels[p + width] !== labels[p])
      ) {
        out[p] = 1;
      }
    }
  }
  return out;
}
