import { axisBottom, axisLeft, line, scaleLinear } from 'd3';
import type { ScaleLinear } from 'd3';
import { createChart, drawHorizontalGrid, textWidth, type Svg, type Group } from './chart-shell';
import { rocSeries, type RocInput, type RocSeries } from './evaluation';
import type { ChartHandle } from './line-chart';
import { seriesColor } from './palette';

/** Options of {@link drawRocCurves}. */
export interface RocChartOptions {
  /** One curve per class, in class-index order (colours follow this order). */
  curves: readonly RocInput[];
  width: number;
  height: number;
  ariaLabel?: string;
}

/**
 * Draws one-vs-rest ROC curves on a square plot with the chance diagonal and a legend on the
 * right sorted by AUC ("label (AUC 0.987)"). Hovering a legend entry highlights its curve.
 * Hooks: `svg[data-chart="roc"]`, `path.roc-line[data-series]`, `line.chance`, `g.legend-item[data-series]`.
 */
export function drawRocCurves(
  container: HTMLElement,
  initial: RocChartOptions,
): ChartHandle<RocChartOptions> {
  return createChart(container, 'roc', initial, (svg, _tooltip, o) => renderRoc(svg, o));
}

const MARGIN = { top: 12, right: 12, bottom: 40, left: 48 };

/** One render: the square plot with its axes and curves, and the legend right of it. */
function renderRoc(svg: Svg, o: RocChartOptions): void {
  svg
    .attr('width', o.width)
    .attr('height', o.height)
    .attr('viewBox', `0 0 ${o.width} ${o.height}`)
    .attr('aria-label', o.ariaLabel ?? 'ROC curves');
  const colorOf = new Map(o.curves.map((c, i) => [c.label, seriesColorWide(i)]));
  const series = rocSeries(o.curves);
  const legendW = Math.min(230, Math.max(0, ...series.map((s) => textWidth(s.legend, 12))) + 34);
  const size = Math.max(
    60,
    Math.min(
      o.height - MARGIN.top - MARGIN.bottom,
      o.width - MARGIN.left - MARGIN.right - legendW - 16,
    ),
  );
  const plot = svg
    .append('g')
    .attr('class', 'plot')
    .attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);
  const x = scaleLinear().domain([0, 1]).range([0, size]);
  const y = scaleLinear().domain([0, 1]).range([size, 0]);
  drawAxes(plot, x, y, size);
  const path = line<{ x: number; y: number }>()
    .x((p) => x(p.x))
    .y((p) => y(p.y));
  const lines = plot.append('g').attr('class', 'series');
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
  drawLegend(svg, { series, colorOf, size, lines });
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
  opts: { series: readonly RocSeries[]; colorOf: Map<string, string>; size: number; lines: Group },
): void {
  const { series, colorOf, size, lines } = opts;
  const legend = svg
    .append('g')
    .attr('class', 'legend')
    .attr('transform', `translate(${MARGIN.left + size + 20},${MARGIN.top + 4})`);
  legend.append('text').attr('class', 'legend-title').attr('y', 0).text('class (AUC), best first');
  const step = Math.min(20, (size - 14) / Math.max(1, series.length));
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
