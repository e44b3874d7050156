/**
 * Colormap lookup tables for drawing explanation heatmaps in the browser: matplotlib's viridis,
 * magma, jet and RdBu_r as 256-entry RGB tables (the same bytes as libs/ml's colormap.ts, which
 * libs/viz cannot import; test/unit/colormap-tables.test.ts checks they stay equal), and the pure
 * pixel math of blending a [0, 1] heatmap over an image with an alpha.
 */

/** Colormaps for heatmaps: three sequential ones and a diverging one (for signed maps). */
export type HeatmapColormap = 'viridis' | 'magma' | 'jet' | 'rdbu_r';

/** The sequential colormaps, in the order a colormap picker offers them. */
export const HEATMAP_COLORMAPS: readonly HeatmapColormap[] = ['jet', 'viridis', 'magma'];

// 256 RGB triples per map, hex-encoded (6 hex digits per entry).
const TABLE_HEX: Record<HeatmapColormap, string> = {
  viridis: [
    '44015444025544035745055845065a45085b46095c460b5e460c5f460e61470f62471163471265471466471567471669',
    '47186a48196b481a6c481c6e481d6f481e70482071482172482273482374472575472676472777472878472a79472b7a',
    '472c7b462d7c462f7c46307d46317e45327f45347f453580453681443781443982433a83433b83433c84423d84423e85',
    '4240854141864142864043874044873f45873f47883e48883e49893d4a893d4b893d4c893c4d8a3c4e8a3b508a3b518a',
    '3a528b3a538b39548b39558b38568b38578c37588c37598c365a8c365b8c355c8c355d8c345e8d345f8d33608d33618d',
    '32628d32638d31648d31658d31668d30678d30688d2f698d2f6a8d2e6b8e2e6c8e2e6d8e2d6e8e2d6f8e2c708e2c718e',
    '2c728e2b738e2b748e2a758e2a768e2a778e29788e29798e287a8e287a8e287b8e277c8e277d8e277e8e267f8e26808e',
    '26818e25828e25838d24848d24858d24868d23878d23888d23898d22898d228a8d228b8d218c8d218d8c218e8c208f8c',
    '20908c20918c1f928c1f938b1f948b1f958b1f968b1e978a1e988a1e998a1e998a1e9a891e9b891e9c891e9d881e9e88',
    '1e9f881ea0871fa1871fa2861fa38620a48520a58521a68521a78422a78423a88323a98224aa8225ab8126ac8127ad80',
    '28ae7f29af7f2ab07e2bb17d2cb17d2eb27c2fb37b30b47a32b57a33b67935b77836b87738b97639b9763bba753dbb74',
    '3ebc7340bd7242be7144be7045bf6f47c06e49c16d4bc26c4dc26b4fc36951c46853c56755c66657c66559c7645bc862',
    '5ec96160c96062ca5f64cb5d67cc5c69cc5b6bcd596dce5870ce5672cf5574d05477d05279d1517cd24f7ed24e81d34c',
    '83d34b86d44988d5478bd5468dd64490d64392d74195d73f97d83e9ad83c9dd93a9fd938a2da37a5da35a7db33aadb32',
    'addc30afdc2eb2dd2cb5dd2bb7dd29bade27bdde26bfdf24c2df22c5df21c7e01fcae01ecde01dcfe11cd2e11bd4e11a',
    'd7e219dae218dce218dfe318e1e318e4e318e7e419e9e419ece41aeee51bf1e51cf3e51ef6e61ff8e621fae622fde724',
  ].join(''),
  magma: [
    '00000300000400000601000701010901010b02020d02020f03031104031304041505041706051907051b08061d09071f',
    '0a07220b08240c09260d0a280e0a2a0f0b2c100c2f110c31120d33140d35150e38160e3a170f3c180f3f1a10411b1044',
    '1c10461e10491f114b20114d2211502311522511552611572811592a115c2b115e2d10602f1062301065321067341068',
    '350f6a370f6c390f6e3b0f6f3c0f713e0f72400f73420f74430f75450f76470f774810784a10794b10794d117a4f117b',
    '50127b52127c53137c55137d57147d58157e5a157e5b167e5d177e5e177f60187f61187f63197f651a80661a80681b80',
    '691c806b1c806c1d806e1e816f1e81711f81731f817420817621817721817922817a22817c23817e24817f2481812581',
    '8225818426818526818727818928818a28818c29808d29808f2a80912a80922b80942b80952c80972c7f992d7f9a2d7f',
    '9c2e7f9e2e7e9f2f7ea12f7ea3307ea4307da6317da7317da9327cab337cac337bae347bb0347bb1357ab3357ab53679',
    'b63679b83778b93778bb3877bd3977be3976c03a75c23a75c33b74c53c74c63c73c83d72ca3e72cb3e71cd3f70ce4070',
    'd0416fd1426ed3426dd4436dd6446cd7456bd9466ada4769dc4869dd4968de4a67e04b66e14c66e24d65e44e64e55063',
    'e65162e75262e85461ea5560eb5660ec585fed595fee5b5eee5d5def5e5df0605df1615cf2635cf3655cf3675bf4685b',
    'f56a5bf56c5bf66e5bf6705bf7715bf7735cf8755cf8775cf9795cf97b5df97d5dfa7f5efa805efa825ffb8460fb8660',
    'fb8861fb8a62fc8c63fc8e63fc9064fc9265fc9366fd9567fd9768fd9969fd9b6afd9d6bfd9f6cfda16efda26ffda470',
    'fea671fea873feaa74feac75feae76feaf78feb179feb37bfeb57cfeb77dfeb97ffebb80febc82febe83fec085fec286',
    'fec488fec689fec78bfec98dfecb8efdcd90fdcf92fdd193fdd295fdd497fdd698fdd89afdda9cfddc9dfddd9ffddfa1',
    'fde1a3fce3a5fce5a6fce6a8fce8aafceaacfcecaefceeb0fcf0b1fcf1b3fcf3b5fcf5b7fbf7b9fbf9bbfbfabdfbfcbf',
  ].join(''),
  jet: [
    '00007f00008400008800008d00009100009600009a00009f0000a30000a80000ac0000b10000b60000ba0000bf0000c3',
    '0000c80000cc0000d10000d50000da0000de0000e30000e80000ec0000f10000f50000fa0000fe0000ff0000ff0000ff',
    '0000ff0004ff0008ff000cff0010ff0014ff0018ff001cff0020ff0024ff0028ff002cff0030ff0034ff0038ff003cff',
    '0040ff0044ff0048ff004cff0050ff0054ff0058ff005cff0060ff0064ff0068ff006cff0070ff0074ff0078ff007cff',
    '0080ff0084ff0088ff008cff0090ff0094ff0098ff009cff00a0ff00a4ff00a8ff00acff00b0ff00b4ff00b8ff00bcff',
    '00c0ff00c4ff00c8ff00ccff00d0ff00d4ff00d8ff00dcfe00e0fa00e4f702e8f405ecf108f0ed0cf4ea0ff8e712fce4',
    '15ffe118ffdd1cffda1fffd722ffd425ffd029ffcd2cffca2fffc732ffc336ffc039ffbd3cffba3fffb742ffb346ffb0',
    '49ffad4cffaa4fffa653ffa356ffa059ff9d5cff9a5fff9663ff9366ff9069ff8d6cff8970ff8673ff8376ff8079ff7d',
    '7cff7980ff7683ff7386ff7089ff6c8dff6990ff6693ff6396ff5f9aff5c9dff59a0ff56a3ff53a6ff4faaff4cadff49',
    'b0ff46b3ff42b7ff3fbaff3cbdff39c0ff36c3ff32c7ff2fcaff2ccdff29d0ff25d4ff22d7ff1fdaff1cddff18e0ff15',
    'e4ff12e7ff0feaff0cedff08f1fc05f4f802f7f400faf000feed00ffe900ffe500ffe200ffde00ffda00ffd700ffd300',
    'ffcf00ffcb00ffc800ffc400ffc000ffbd00ffb900ffb500ffb100ffae00ffaa00ffa600ffa300ff9f00ff9b00ff9800',
    'ff9400ff9000ff8c00ff8900ff8500ff8100ff7e00ff7a00ff7600ff7300ff6f00ff6b00ff6700ff6400ff6000ff5c00',
    'ff5900ff5500ff5100ff4d00ff4a00ff4600ff4200ff3f00ff3b00ff3700ff3400ff3000ff2c00ff2800ff2500ff2100',
    'ff1d00ff1a00ff1600fe1200fa0f00f50b00f10700ec0300e80000e30000de0000da0000d50000d10000cc0000c80000',
    'c30000bf0000ba0000b60000b10000ac0000a80000a300009f00009a00009600009100008d00008800008400007f0000',
  ].join(''),
  rdbu_r: [
    '05306106326307346608366909386c0a3a6f0b3c720c3e750d40780e437b0f457e114781124984134b87144d8a154f8d',
    '1651901754931856951958981a5a9b1c5c9e1d5ea11e60a41f62a72064aa2166ac2368ad246aae256caf276db0286fb0',
    '2971b12b73b22c75b32d76b42f78b5307ab6317cb7337db8347fb93581b93783ba3884bb3986bc3b88bd3c8abe3d8bbf',
    '3f8dc0408fc14191c24393c34694c44996c54c98c64f9ac7529cc8559ec958a0ca5ba2cb5ea4cc61a6cd65a8ce68aacf',
    '6bacd06eaed171b0d274b2d377b4d57ab6d67db8d780bad884bcd987beda8ac0db8dc2dc90c4dd93c5de95c6df98c8df',
    '9ac9e09dcae19fcbe1a2cde2a4cee3a7cfe4a9d0e4abd2e5aed3e6b0d4e6b3d5e7b5d7e8b8d8e8bad9e9bddaeabfdceb',
    'c2ddebc4deecc7dfedc9e1edcce2eecee3efd1e5f0d2e5f0d3e6f0d5e7f0d6e7f1d8e8f1d9e9f1dbe9f1dceaf2deebf2',
    'dfecf2e1ecf3e2edf3e4eef3e5eef3e7eff4e8f0f4eaf1f4ebf1f4edf2f5eef3f5f0f3f5f1f4f6f3f5f6f4f5f6f6f6f6',
    'f7f6f6f7f5f4f7f4f2f7f3f0f8f2eef8f0ecf8efeaf8eee8f9ede7f9ece5f9ebe3f9eae1f9e9dffae8ddfae7dbfae5d9',
    'fae4d7fbe3d6fbe2d4fbe1d2fbe0d0fcdfcefcdeccfcddcafcdcc8fddbc7fcd8c4fcd6c1fbd4befbd2bcfbd0b9faceb6',
    'faccb4facab1f9c7aef9c5abf9c3a9f8c1a6f8bfa3f8bda1f7bb9ef7b99bf7b799f6b496f6b293f5b090f5ae8ef5ac8b',
    'f4aa88f4a886f4a683f3a380f2a07ef19e7cef9b7aee9878ed9676ec9374eb9072ea8e70e88b6ee7886ce6856ae58368',
    'e48065e27d63e17b61e0785fdf755dde725bdd7059db6d57da6a55d96853d86551d7624fd6604dd45d4bd35a4ad15749',
    'd05447ce5146cd4f45cc4c43ca4942c94641c7433fc6403ec53e3cc33b3bc2383ac03538bf3237be3036bc2d34bb2a33',
    'b92732b82431b6212fb51f2eb41c2db2192bb0172aad162aaa1529a71429a41328a112289e11279b1027991027960f26',
    '930e26900d258d0c258a0b24870a248409238108237e07227b06227805217504217203206f02206c011f69001f67001f',
  ].join(''),
};

const tables = new Map<HeatmapColormap, Uint8Array>();

/** A colormap's table, `[256, 3]` bytes (shared: do not modify). */
export function colormapLut(name: HeatmapColormap): Uint8Array {
  let t = tables.get(name);
  if (t) return t;
  const hex = TABLE_HEX[name];
  if (hex === undefined) throw new Error(`unknown colormap "${name}"`);
  t = new Uint8Array(hex.length / 2);
  for (let i = 0; i < t.length; i++) t[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  tables.set(name, t);
  return t;
}

/** Table entry of a value in [0, 1] as matplotlib picks it (floor(x * 256), clamped; NaN is 0). */
export function lutIndex(x: number): number {
  if (!(x >= 0)) return 0;
  if (x >= 1) return 255;
  return Math.min(255, Math.floor(x * 256));
}

/** `[r, g, b]` of a value in [0, 1]. */
export function colormapRgb(name: HeatmapColormap, x: number): [number, number, number] {
  const t = colormapLut(name);
  const i = lutIndex(x) * 3;
  return [t[i], t[i + 1], t[i + 2]];
}

/** CSS `rgb(...)` of a value in [0, 1] (legends, swatches). */
export function colormapCss(name: HeatmapColormap, x: number): string {
  const [r, g, b] = colormapRgb(name, x);
  return `rgb(${r}, ${g}, ${b})`;
}

/** Options of {@link blendHeatmap}. */
export interface BlendHeatmapOptions {
  /** The image as RGBA bytes `[height, width, 4]` (what a canvas `getImageData` gives). */
  image: ArrayLike<number>;
  /** The heatmap, one value in [0, 1] per pixel (same size as the image). */
  heatmap: ArrayLike<number>;
  /** Weight of the heatmap colour in [0, 1]: out = (1 - alpha) * image + alpha * colour. */
  alpha: number;
  colormap: HeatmapColormap;
}

/**
 * Blends a colour-mapped heatmap over an image, as libs/ml's overlayHeatmap does on the server:
 * each RGB channel is round((1 - alpha) * image + alpha * colour); alpha of the result 255.
 * @returns RGBA bytes, ready for `new ImageData(...)`
 */
export function blendHeatmap(options: BlendHeatmapOptions): Uint8ClampedArray {
  const { image, heatmap, colormap } = options;
  const n = heatmap.length;
  if (image.length !== n * 4)
    throw new Error(`image has ${image.length} values, expected ${n * 4} (RGBA of the heatmap)`);
  const alpha = Math.min(1, Math.max(0, options.alpha));
  const lut = colormapLut(colormap);
  const out = new Uint8ClampedArray(n * 4);
  for (let p = 0; p < n; p++) {
    const c = lutIndex(heatmap[p]) * 3;
    for (let k = 0; k < 3; k++)
      out[p * 4 + k] = Math.round((1 - alpha) * image[p * 4 + k] + alpha * lut[c + k]);
    out[p * 4 + 3] = 255;
  }
  return out;
}

/**
 * Heatmap values in [0, 1] from the RGBA bytes of a decoded 8-bit grayscale PNG (as the
 * explanation pack stores maps): the red channel / 255.
 */
export function heatmapFromRgba(rgba: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rgba.length / 4);
  for (let p = 0; p < out.length; p++) out[p] = rgba[p * 4] / 255;
  return out;
}
