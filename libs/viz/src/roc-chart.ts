import { axisBottom, axisLeft, line, scaleLinear } from 'd3';
import type { ScaleLinear } from 'd3';
import {
  createChart,
  drawHorizontalGrid,
  textWidth,
  uniqueId,
  type Svg,
  type Group,
} from './chart-shell';
import { rocSeries, type RocInput, type RocSeries } from './evaluation';
import { attachBrushX, type ChartHandle } from './line-chart';
import { seriesColor } from './palette';
import type { Extent } from './types';
import { isZoomed, monotoneYDomain, visibleDomain } from './zoom';

/** Options of {@link drawRocCurves}. */
export interface RocChartOptions {
  /** One curve per class, in class-index order (colours follow this order). */
  curves: readonly RocInput[];
  width: number;
  height: number;
  ariaLabel?: string;
  /**
   * Zoomed false-positive-rate range (the y axis then fits the curves inside it). Leave
   * undefined to let the chart keep its own zoom (drag to zoom, double-click to reset); pass a
   * range or null, with `onZoom`, to control it from outside.
   */
  xDomain?: Extent | null;
  /** Called with the range a drag selected, or null on double-click (reset). */
  onZoom?: (domain: Extent | null) => void;
}

/**
 * Draws one-vs-rest ROC curves on a square plot with the chance diagonal and a legend on the
 * right sorted by AUC ("label (AUC 0.987)"), or under the plot when the width is too small for
 * both (`svg[data-legend="below"]`, taller than `height`). Hovering a legend entry highlights
 * its curve. Dragging across the plot zooms into that false-positive-rate range (ten curves
 * crowd the top-left corner); double-click resets.
 * Hooks: `svg[data-chart="roc"][data-x-domain]`, `path.roc-line[data-series]`, `line.chance`,
 * `g.legend-item[data-series]`, `rect.hover-target` (the drag area).
 */
export function drawRocCurves(
  container: HTMLElement,
  initial: RocChartOptions,
): ChartHandle<RocChartOptions> {
  let own: Extent | null = null;
  let current = initial;
  const onZoom = (domain: Extent | null) => {
    current.onZoom?.(domain);
    if (current.xDomain === undefined) {
      own = domain;
      handle.update(current);
    }
  };
  const handle = createChart(container, 'roc', initial, (svg, _tooltip, o) => {
    current = o;
    renderRoc(svg, o, { zoom: o.xDomain !== undefined ? o.xDomain : own, onZoom });
  });
  return handle;
}

const MARGIN = { top: 12, right: 12, bottom: 40, left: 48 };

/** Below this plot side (px) the legend goes under the plot instead of beside it (phones). */
const MIN_SIDE_BY_SIDE = 200;
/** Height of one legend entry when the legend is stacked under the plot. */
const STACKED_STEP = 18;

/**
 * One render: the square plot with its axes and curves, and the legend right of it, or under it
 * (the SVG then grows taller) when beside it the plot would be narrower than 200 px.
 */
function renderRoc(
  svg: Svg,
  o: RocChartOptions,
  zoom: { zoom: Extent | null; onZoom: (domain: Extent | null) => void },
): void {
  const colorOf = new Map(o.curves.map((c, i) => [c.label, seriesColorWide(i)]));
  const series = rocSeries(o.curves);
  const legendW = Math.min(230, Math.max(0, ...series.map((s) => textWidth(s.legend, 12))) + 34);
  const sideBySide = o.width - MARGIN.left - MARGIN.right - legendW - 16;
  const stacked = sideBySide < MIN_SIDE_BY_SIDE;
  const size = Math.max(
    60,
    Math.min(
      o.height - MARGIN.top - MARGIN.bottom,
      stacked ? o.width - MARGIN.left - MARGIN.right : sideBySide,
    ),
  );
  const height = stacked
    ? MARGIN.top + size + MARGIN.bottom + 12 + (series.length + 1) * STACKED_STEP
    : o.height;
  svg
    .attr('width', o.width)
    .attr('height', height)
    .attr('viewBox', `0 0 ${o.width} ${height}`)
    .attr('data-legend', stacked ? 'below' : 'right')
    .attr('aria-label', o.ariaLabel ?? 'ROC curves');
  const plot = svg
    .append('g')
    .attr('class', 'plot')
    .attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);
  const xDomain = visibleDomain([0, 1], zoom.zoom);
  const zoomed = isZoomed([0, 1], xDomain);
  svg.attr('data-x-domain', xDomain.join(','));
  const x = scaleLinear().domain(xDomain).range([0, size]);
  const y = scaleLinear()
    .domain(
      zoomed
        ? monotoneYDomain(
            series.map((s) => s.points),
            xDomain,
          )
        : [0, 1],
    )
    .range([size, 0]);
  const clipId = squareClip(svg, size);
  drawAxes(plot, x, y, size);
  plot.select('line.chance').attr('clip-path', `url(#${clipId})`);
  const path = line<{ x: number; y: number }>()
    .x((p) => x(p.x))
    .y((p) => y(p.y));
  const lines = plot.append('g').attr('class', 'series').attr('clip-path', `url(#${clipId})`);
  // Draw the best curves last so they sit on top.
  for (const s of [...series].reverse()) {
    lines
      .append('path')
      .attr('class', 'roc-line')
      .attr('data-series', s.label)
      .attr('data-points', s.points.length)
      .attr('fill', 'none')
      .attr('stroke', colorOf.get(s.label) ?? '#6b7785')
      .attr('stroke-width', 1.75)
      .attr('stroke-linejoin', 'round')
      .attr('d', path(s.points) ?? '');
  }
  const at = stacked
    ? { x: MARGIN.left, y: MARGIN.top + size + MARGIN.bottom + 12, step: STACKED_STEP }
    : { x: MARGIN.left + size + 20, y: MARGIN.top + 4, step: undefined };
  drawLegend(svg, { series, colorOf, size, lines, at });
  const target = plot
    .append('rect')
    .attr('class', 'hover-target')
    .attr('width', size)
    .attr('height', size)
    .attr('fill', 'transparent');
  attachBrushX(plot, target, { x, innerW: size, innerH: size, onZoom: zoom.onZoom });
}

/** A clip path of the `size` px plot square (zoomed curves end at its edges); returns its id. */
function squareClip(svg: Svg, size: number): string {
  const id = uniqueId('roc-clip');
  svg
    .append('defs')
    .append('clipPath')
    .attr('id', id)
    .append('rect')
    .attr('width', size)
    .attr('height', size);
  return id;
}

/** Grid, both axes with their labels, and the chance diagonal on the `size` px square. */
function drawAxes(
  plot: Group,
  x: ScaleLinear<number, number>,
  y: ScaleLinear<number, number>,
  size: number,
): void {
  drawHorizontalGrid(plot, y, { ticks: 5, width: size });
  plot
    .append('g')
    .attr('class', 'axis x-axis')
    .attr('transform', `translate(0,${size})`)
    .call(axisBottom(x).ticks(5).tickSizeOuter(0));
  plot.append('g').attr('class', 'axis y-axis').call(axisLeft(y).ticks(5).tickSizeOuter(0));
  plot
    .append('text')
    .attr('class', 'axis-label')
    .attr('x', size)
    .attr('y', size + 32)
    .attr('text-anchor', 'end')
    .text('false-positive rate');
  plot
    .append('text')
    .attr('class', 'axis-label')
    .attr('transform', 'rotate(-90)')
    .attr('x', 0)
    .attr('y', -36)
    .attr('text-anchor', 'end')
    .text('true-positive rate');
  plot
    .append('line')
    .attr('class', 'chance')
    .attr('x1', x(0))
    .attr('y1', y(0))
    .attr('x2', x(1))
    .attr('y2', y(1))
    .attr('stroke', '#8a93a3')
    .attr('stroke-dasharray', '4 4');
}

/** The legend, best AUC first; hovering an entry fades every other curve in `lines`. */
function drawLegend(
  svg: Svg,
  opts: {
    series: readonly RocSeries[];
    colorOf: Map<string, string>;
    size: number;
    lines: Group;
    /** Top-left of the legend, and a fixed entry height (else fitted to the plot's height). */
    at: { x: number; y: number; step: number | undefined };
  },
): void {
  const { series, colorOf, size, lines, at } = opts;
  const legend = svg
    .append('g')
    .attr('class', 'legend')
    .attr('transform', `translate(${at.x},${at.y})`);
  legend.append('text').attr('class', 'legend-title').attr('y', 0).text('class (AUC), best first');
  const step = at.step ?? Math.min(20, (size - 14) / Math.max(1, series.length));
  series.forEach((s, i) => {
    const item = legend
      .append('g')
      .attr('class', 'legend-item')
      .attr('data-series', s.label)
      .attr('transform', `translate(0,${16 + i * step})`)
      .style('cursor', 'default');
    item
      .append('line')
      .attr('x1', 0)
      .attr('x2', 16)
      .attr('stroke', colorOf.get(s.label) ?? '#6b7785')
      .attr('stroke-width', 2.5);
    item.append('text').attr('x', 22).attr('dy', '0.35em').text(s.legend);
    item
      .on('pointerenter', () => {
        lines.selectAll<SVGPathElement, unknown>('path.roc-line').attr('opacity', function () {
          return this.getAttribute('data-series') === s.label ? 1 : 0.15;
        });
      })
      .on('pointerleave', () => lines.selectAll('path.roc-line').attr('opacity', 1));
  });
}

/** Ten distinguishable colours: the palette, then four more. */
const EXTRA = ['#b8860b', '#2f8f3a', '#d0559b', '#1f9ec1'];
function seriesColorWide(i: number): string {
  return i < 6 ? seriesColor(i) : (EXTRA[(i - 6) % EXTRA.length] ?? seriesColor(i));
}
