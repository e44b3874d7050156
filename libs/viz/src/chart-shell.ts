import { select } from 'd3';
import type { ScaleLinear, Selection } from 'd3';
import type { ChartHandle } from './line-chart';

export type Svg = Selection<SVGSVGElement, unknown, null, undefined>;
export type Tooltip = Selection<HTMLDivElement, unknown, null, undefined>;
/** An SVG group a chart draws into. */
export type Group = Selection<SVGGElement, unknown, null, undefined>;

/**
 * Shared scaffolding of the chart factories: an `svg[data-chart=kind]` (class
 * `viz-chart <kind>-chart` unless `shell.className` says otherwise) and a hidden tooltip in
 * `container`; `render` redraws everything from the current options (it must clear `svg`).
 */
export function createChart<O>(
  container: HTMLElement,
  kind: string,
  initial: O,
  render: (svg: Svg, tooltip: Tooltip, options: O) => void,
  shell: { className?: string } = {},
): ChartHandle<O> {
  const root = select(container).style('position', 'relative');
  const svg: Svg = root
    .append('svg')
    .attr('data-chart', kind)
    .attr('class', shell.className ?? `viz-chart ${kind}-chart`)
    .attr('role', 'img');
  const tooltip: Tooltip = root
    .append('div')
    .attr('class', 'chart-tooltip')
    .attr('data-chart-tooltip', '')
    .style('position', 'absolute')
    .style('pointer-events', 'none')
    .style('display', 'none');
  let options = initial;
  const draw = () => {
    // A redraw replaces every element: keep keyboard focus on the element with the same
    // `data-focus-key` (e.g. a confusion-matrix cell activated with Enter).
    const focused = focusKeyWithin(svg.node());
    svg.selectAll('*').remove();
    tooltip.style('display', 'none');
    render(svg, tooltip, options);
    if (focused !== null) restoreFocus(svg.node(), focused);
  };
  draw();
  return {
    update(next) {
      options = next;
      draw();
    },
    destroy() {
      svg.remove();
      tooltip.remove();
    },
  };
}

/** The `data-focus-key` of the focused element inside `root`, or null. */
function focusKeyWithin(root: SVGSVGElement | null): string | null {
  const active = root?.ownerDocument.activeElement;
  if (!root || !active || !root.contains(active)) return null;
  return active.getAttribute('data-focus-key');
}

/** Focuses the element of `root` with `data-focus-key` = `key`, when there is one. */
function restoreFocus(root: SVGSVGElement | null, key: string): void {
  const target = [...(root?.querySelectorAll<SVGElement>('[data-focus-key]') ?? [])].find(
    (el) => el.getAttribute('data-focus-key') === key,
  );
  target?.focus({ preventScroll: true });
}

/** Horizontal grid lines across `width` px at `y`'s `ticks` ticks, in a `g.grid`. */
export function drawHorizontalGrid(
  plot: Group,
  y: ScaleLinear<number, number>,
  opts: { ticks: number; width: number },
): void {
  plot
    .append('g')
    .attr('class', 'grid')
    .selectAll('line')
    .data(y.ticks(opts.ticks))
    .join('line')
    .attr('x1', 0)
    .attr('x2', opts.width)
    .attr('y1', (d) => y(d))
    .attr('y2', (d) => y(d));
}

/** Shows `text` in the tooltip next to the pointer (flipped left in the right half of the chart). */
export function showTooltip(tooltip: Tooltip, svg: Svg, event: PointerEvent, text: string): void {
  const node = svg.node();
  const rect = node?.getBoundingClientRect();
  const x = rect ? event.clientX - rect.left : 0;
  const y = rect ? event.clientY - rect.top : 0;
  tooltip.style('display', 'block').text(text);
  const tip = tooltip.node();
  const tipWidth = tip ? tip.offsetWidth : 0;
  const width = rect?.width ?? 0;
  const left = x > width / 2 ? x - tipWidth - 12 : x + 14;
  tooltip.style('left', `${Math.max(0, left)}px`).style('top', `${Math.max(0, y + 14)}px`);
}

/** Approximate rendered width of `text` at `fontSize` px (layout happens before text exists in the DOM). */
export function textWidth(text: string, fontSize = 12): number {
  return text.length * fontSize * 0.6;
}

/**
 * The largest font size in [`min`, `max`] px (whole and half pixels) at which every one of
 * `texts` fits in `width` px less `padding` on each side, so narrow cells (phones) still show
 * whole values ("0.960", not ".96"); `min` when even that is too wide.
 */
export function fitFontSize(
  texts: readonly string[],
  width: number,
  { min = 9, max = 12, padding = 2 }: { min?: number; max?: number; padding?: number } = {},
): number {
  const longest = Math.max(1, ...texts.map((t) => t.length));
  const fit = (width - 2 * padding) / (longest * 0.6);
  return Math.max(min, Math.min(max, Math.floor(fit * 2) / 2));
}

/**
 * A horizontal colour legend: a gradient bar of `width` × 10 px from `colorAt(0)` to `colorAt(1)`
 * at (x, y), with tick labels below. Adds `g.color-legend` to `parent`.
 */
export function drawColorLegend(
  svg: Svg,
  parent: Selection<SVGGElement, unknown, null, undefined>,
  opts: {
    x: number;
    y: number;
    width: number;
    colorAt: (t: number) => string;
    ticks: { t: number; label: string }[];
    title?: string;
    id: string;
  },
): void {
  const gradientId = `${opts.id}-gradient`;
  const defs = svg.append('defs');
  const gradient = defs
    .append('linearGradient')
    .attr('id', gradientId)
    .attr('x1', '0%')
    .attr('x2', '100%');
  for (let i = 0; i <= 10; i++) {
    gradient
      .append('stop')
      .attr('offset', `${i * 10}%`)
      .attr('stop-color', opts.colorAt(i / 10));
  }
  const g = parent
    .append('g')
    .attr('class', 'color-legend')
    .attr('transform', `translate(${opts.x},${opts.y})`);
  if (opts.title)
    g.append('text').attr('class', 'legend-title').attr('x', 0).attr('y', -5).text(opts.title);
  g.append('rect')
    .attr('width', opts.width)
    .attr('height', 10)
    .attr('rx', 2)
    .attr('class', 'legend-bar')
    .attr('fill', `url(#${gradientId})`)
    .attr('stroke', '#cfd4dc');
  for (const tick of opts.ticks) {
    const tx = tick.t * opts.width;
    g.append('line')
      .attr('class', 'legend-tick-line')
      .attr('x1', tx)
      .attr('x2', tx)
      .attr('y1', 10)
      .attr('y2', 14)
      .attr('stroke', '#8a93a3');
    g.append('text')
      .attr('class', 'legend-tick')
      .attr('x', tx)
      .attr('y', 25)
      .attr('text-anchor', tick.t === 0 ? 'start' : tick.t === 1 ? 'end' : 'middle')
      .text(tick.label);
  }
}

let idCounter = 0;
/** A document-unique id prefix for gradients and clip paths. */
export function uniqueId(prefix: string): string {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}
