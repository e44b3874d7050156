import { area, line, scaleLinear, select } from 'd3';
import type { Selection } from 'd3';
import { finiteExtent } from './extent';
import type { ChartHandle } from './line-chart';
import type { Point } from './types';

/** Options of {@link drawSparkline}. */
export interface SparklineOptions {
  /** Points to draw, in any order; non-finite values leave gaps. */
  points: readonly Point[];
  /** Width of the SVG in CSS pixels. Default 96. */
  width?: number;
  /** Height of the SVG in CSS pixels. Default 24. */
  height?: number;
  /** Stroke colour. Default a calm blue. */
  color?: string;
  /** Shade the area under the line. Default true. */
  fill?: boolean;
  /** Mark the last finite point with a dot. Default true. */
  markLast?: boolean;
  /** Accessible name of the sparkline (`aria-label`). */
  ariaLabel?: string;
}

/**
 * Draws a small axis-less trend line into `container` as `<svg data-chart="sparkline">` with a
 * `path.sparkline-line`. With fewer than two finite points it draws a flat placeholder rule.
 */
export function drawSparkline(
  container: Element,
  initial: SparklineOptions,
): ChartHandle<SparklineOptions> {
  const svg = select(container)
    .append('svg')
    .attr('data-chart', 'sparkline')
    .attr('class', 'sparkline');
  function render(options: SparklineOptions): void {
    const { width = 96, height = 24 } = options;
    svg.selectAll('*').remove();
    svg
      .attr('width', width)
      .attr('height', height)
      .attr('viewBox', `0 0 ${width} ${height}`)
      .attr('role', 'img')
      .attr('aria-label', options.ariaLabel ?? 'trend');
    const points = options.points.filter(
      (p) => Number.isFinite(p.step) && Number.isFinite(p.value),
    );
    points.sort((a, b) => a.step - b.step);
    if (points.length < 2) drawPlaceholder(svg, width, height);
    else drawTrend(svg, points, options);
  }
  render(initial);
  return {
    update: render,
    destroy() {
      svg.remove();
    },
  };
}

type SparkSvg = Selection<SVGSVGElement, unknown, null, undefined>;

/** Inset of the trend from the SVG edges, so the line and the last dot are not clipped. */
const PAD = 3;

/** The flat dashed rule drawn with fewer than two finite points. */
function drawPlaceholder(svg: SparkSvg, width: number, height: number): void {
  svg
    .append('line')
    .attr('class', 'sparkline-empty')
    .attr('x1', PAD)
    .attr('x2', width - PAD)
    .attr('y1', height / 2)
    .attr('y2', height / 2)
    .attr('stroke', '#d5dae1')
    .attr('stroke-dasharray', '2 3');
}

/** Area, line and last-point dot of at least two finite, step-sorted `points`. */
function drawTrend(svg: SparkSvg, points: readonly Point[], options: SparklineOptions): void {
  const { width = 96, height = 24, color = '#3567c9', fill = true, markLast = true } = options;
  const xExt = finiteExtent(points.map((p) => p.step)) ?? [0, 1];
  const yExt = finiteExtent(points.map((p) => p.value)) ?? [0, 1];
  const x = scaleLinear()
    .domain(xExt)
    .range([PAD, width - PAD]);
  // A constant series sits in the middle instead of on the bottom edge.
  const y = scaleLinear()
    .domain(yExt[0] === yExt[1] ? [yExt[0] - 1, yExt[1] + 1] : yExt)
    .range([height - PAD, PAD]);
  if (fill) {
    svg
      .append('path')
      .attr('class', 'sparkline-area')
      .attr('fill', color)
      .attr('fill-opacity', 0.1)
      .attr(
        'd',
        area<Point>()
          .x((p) => x(p.step))
          .y0(height - PAD)
          .y1((p) => y(p.value))(points),
      );
  }
  svg
    .append('path')
    .attr('class', 'sparkline-line')
    .attr('fill', 'none')
    .attr('stroke', color)
    .attr('stroke-width', 1.5)
    .attr('stroke-linejoin', 'round')
    .attr(
      'd',
      line<Point>()
        .x((p) => x(p.step))
        .y((p) => y(p.value))(points),
    );
  const last = points.at(-1);
  if (markLast && last) {
    svg
      .append('circle')
      .attr('class', 'sparkline-last')
      .attr('r', 2.25)
      .attr('cx', x(last.step))
      .attr('cy', y(last.value))
      .attr('fill', color);
  }
}
