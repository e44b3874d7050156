/**
 * Public surface of @convscope/colormap: matplotlib's viridis, magma, jet and RdBu_r lookup
 * tables (one copy for the server's PNG heatmaps and the browser's canvases) and the lookup.
 */
export {
  COLORMAP_NAMES,
  applyColormap,
  colormapColor,
  colormapCss,
  colormapIndex,
  colormapTable,
  valueRange,
} from './colormap';
export type { ApplyColormapOptions, ColormapName, Rgb } from './colormap';
