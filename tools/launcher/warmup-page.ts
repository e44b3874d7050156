// The warm-up page `npm start` serves on the dashboard's port while the dashboard is built: the
// build's progress lines and the demo run's curves as inline SVG. Pure: the data shaping
// (metric points -> SVG coordinates) and the HTML, so both are unit-tested; warmup-server.ts
// serves them. The page is the launcher's own (no external script, style or font), and nothing
// it shows is inserted as HTML unescaped: the server escapes, the page's script uses textContent.

/** One stored point of a metric. */
export interface MetricPointIn {
  step: number;
  value: number;
}

/** One metric of the demo run, as the API returns it. */
export interface MetricSeriesIn {
  name: string;
  points: MetricPointIn[];
}

/** One line of a chart, in SVG coordinates. */
export interface LineView {
  name: string;
  /** The polyline's `points` attribute ("x,y x,y ..."); one pair when the series has one point. */
  points: string;
  /** The last point, drawn as a dot (a single point draws no polyline). */
  last: { x: number; y: number };
  /** Last value, for the legend. */
  lastValue: number;
}

/** One chart: lines sharing an x (step) and a y (value) domain. */
export interface ChartView {
  title: string;
  lines: LineView[];
  /** Value domain [min, max] of the chart (for the axis labels). */
  y: [number, number];
  /** Step domain [min, max]. */
  x: [number, number];
}

/** Size of each chart's drawing area, in SVG user units (the viewBox). */
export const CHART_BOX = { width: 320, height: 140, pad: 6 } as const;

/** The charts of the warm-up page and the metrics each draws (names as the training logs them). */
export const WARMUP_CHARTS: readonly { title: string; metrics: readonly string[] }[] = [
  { title: 'batch loss (by batch)', metrics: ['batch_loss'] },
  { title: 'loss / val_loss (by epoch)', metrics: ['loss', 'val_loss'] },
  { title: 'accuracy / val_accuracy (by epoch)', metrics: ['accuracy', 'val_accuracy'] },
];

/** Every metric name the warm-up page asks the API for. */
export const WARMUP_METRICS: readonly string[] = WARMUP_CHARTS.flatMap((c) => c.metrics);

/** Rounds to 0.1 user unit: enough for a 320-unit chart, and short strings. */
function round1(v: number): number {
  return Math.round(v * 10) / 10;
}

/** [min, max] of `values`, widened around a constant so it never has zero width. */
function domain(values: number[]): [number, number] {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (lo === hi) {
    // A single point (or a flat line) is drawn in the middle, not on the border.
    const half = lo === 0 ? 1 : Math.abs(lo) / 2;
    lo -= half;
    hi += half;
  }
  return [lo, hi];
}

/**
 * Shapes the series of one chart into SVG polylines over a shared domain: x = step (left to
 * right), y = value (up is larger), inside `box` less its padding. Non-finite values are
 * skipped; series without points are left out; null when no series has a point.
 */
export function shapeChart(
  title: string,
  series: readonly MetricSeriesIn[],
  box: { width: number; height: number; pad: number } = CHART_BOX,
): ChartView | null {
  const clean = series
    .map((s) => ({
      name: s.name,
      points: s.points
        .filter((p) => Number.isFinite(p.step) && Number.isFinite(p.value))
        .sort((a, b) => a.step - b.step),
    }))
    .filter((s) => s.points.length > 0);
  if (clean.length === 0) return null;
  const all = clean.flatMap((s) => s.points);
  const x = domain(all.map((p) => p.step));
  const y = domain(all.map((p) => p.value));
  const w = box.width - 2 * box.pad;
  const h = box.height - 2 * box.pad;
  const sx = (step: number) => round1(box.pad + ((step - x[0]) / (x[1] - x[0])) * w);
  const sy = (value: number) => round1(box.pad + (1 - (value - y[0]) / (y[1] - y[0])) * h);
  const lines = clean.map((s): LineView => {
    const xy = s.points.map((p) => ({ x: sx(p.step), y: sy(p.value) }));
    const last = xy[xy.length - 1]!;
    return {
      name: s.name,
      points: xy.map((p) => `${p.x},${p.y}`).join(' '),
      last,
      lastValue: s.points[s.points.length - 1]!.value,
    };
  });
  return { title, lines, x, y };
}

/** The page's charts from the run's series ({@link WARMUP_CHARTS}; charts without points left out). */
export function shapeCharts(series: readonly MetricSeriesIn[]): ChartView[] {
  return WARMUP_CHARTS.flatMap(({ title, metrics }) => {
    const chart = shapeChart(
      title,
      metrics.flatMap((m) => series.filter((s) => s.name === m)),
    );
    return chart ? [chart] : [];
  });
}

/** `text` safe inside HTML text and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

/** What the warm-up page shows (also the JSON of its status endpoint). */
export interface WarmupState {
  /** The latest `[web]` build lines (oldest first, bounded by the server). */
  build: string[];
  /** The demo run once it exists. */
  run: { id: string; name: string; status: string } | null;
  /** Its curves so far. */
  charts: ChartView[];
  /** Why there are no curves (no demo, API error), when there are none. */
  note: string | null;
}

/** Path of the page's status endpoint (the metrics proxy), same origin as the page. */
export const WARMUP_STATUS_PATH = '/__convscope_warmup/status';
/** Header every warm-up response carries: a response without it comes from the dashboard. */
export const WARMUP_HEADER = 'x-convscope-warmup';

/** Line colours (the dashboard's palette would need its CSS; these read on white and dark). */
const COLORS = ['#2563eb', '#ea580c', '#16a34a', '#9333ea'];

/** Server-side HTML of one chart (escaped): the same markup the page's script builds. */
function chartHtml(chart: ChartView): string {
  const { width, height } = CHART_BOX;
  const lines = chart.lines
    .map(
      (l, i) =>
        `<polyline fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="1.5" points="${escapeHtml(l.points)}"></polyline>` +
        `<circle r="2.5" fill="${COLORS[i % COLORS.length]}" cx="${l.last.x}" cy="${l.last.y}"></circle>`,
    )
    .join('');
  const legend = chart.lines
    .map(
      (l, i) =>
        `<li><span class="sw c${i % COLORS.length}"></span>${escapeHtml(l.name)} ${escapeHtml(formatValue(l.lastValue))}</li>`,
    )
    .join('');
  return (
    `<figure><figcaption>${escapeHtml(chart.title)}</figcaption>` +
    `<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(chart.title)}">${lines}</svg>` +
    `<ul class="legend">${legend}</ul></figure>`
  );
}

/** A metric value for the legend: 4 significant digits. */
export function formatValue(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v);
}

/**
 * The whole warm-up page: the current state rendered server-side (escaped), and a script (run
 * under `nonce` by the page's CSP) that refreshes it from {@link WARMUP_STATUS_PATH} every 2 s
 * and, once a response comes without {@link WARMUP_HEADER} (the dashboard took the port over),
 * navigates from `/` to the demo run's page (home without one), and from any other address
 * (a dashboard link, the one-time sign-in link) to that same address, now the dashboard's.
 */
export function renderWarmupPage(state: WarmupState, nonce: string): string {
  const n = escapeHtml(nonce);
  const runText = state.run
    ? `Demo run ${state.run.name} (${state.run.status.toLowerCase()})`
    : 'Waiting for the demo run…';
  const colorCss = COLORS.map((c, i) => `.c${i}{background:${c}}`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>convscope: building the dashboard…</title>
<style nonce="${n}">
body{font:14px/1.4 system-ui,sans-serif;margin:0;padding:16px;color:#111;background:#fff}
@media (prefers-color-scheme:dark){body{color:#eee;background:#111}svg{background:#1b1b1b!important}}
h1{font-size:18px;margin:0 0 4px}p{margin:4px 0}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:12px;margin:12px 0}
figure{margin:0}figcaption{font-weight:600;margin-bottom:2px}
svg{width:100%;height:auto;background:#f6f6f6;border-radius:4px;display:block}
.legend{list-style:none;padding:0;margin:2px 0;display:flex;gap:12px;flex-wrap:wrap;font-size:12px}
.sw{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px}${colorCss}
pre{background:#f0f0f0;color:#222;padding:8px;overflow-x:auto;font-size:12px;max-height:40vh;white-space:pre-wrap;word-break:break-word}
</style></head><body data-run-id="${escapeHtml(state.run?.id ?? '')}">
<h1>The dashboard is being built</h1>
<p>It opens here by itself once it is ready; meanwhile the demo run trains and its curves appear below.</p>
<p id="run">${escapeHtml(runText)}</p>
<p id="note">${escapeHtml(state.note ?? '')}</p>
<div class="charts" id="charts">${state.charts.map(chartHtml).join('')}</div>
<h2>Build progress</h2>
<pre id="build">${escapeHtml(state.build.join('\n'))}</pre>
<script nonce="${n}">${PAGE_SCRIPT}</script>
</body></html>
`;
}

// The page's script: plain ES2017, DOM built with createElementNS/textContent only (no HTML
// strings), so run names and build lines are never parsed as markup.
const PAGE_SCRIPT = `(function(){
var STATUS=${JSON.stringify(WARMUP_STATUS_PATH)},HEADER=${JSON.stringify(WARMUP_HEADER)};
var COLORS=${JSON.stringify(COLORS)},W=${CHART_BOX.width},H=${CHART_BOX.height};
var runId=document.body.getAttribute('data-run-id')||null,lost=false;
var NS='http://www.w3.org/2000/svg';
function el(ns,tag,attrs,text){var e=ns?document.createElementNS(ns,tag):document.createElement(tag);
for(var k in attrs)e.setAttribute(k,attrs[k]);if(text!=null)e.textContent=text;return e;}
function fmt(v){return String(Number(v.toPrecision(4)));}
function draw(charts){var box=document.getElementById('charts');var out=document.createDocumentFragment();
charts.forEach(function(c){var f=el(null,'figure',{});f.appendChild(el(null,'figcaption',{},c.title));
var svg=el(NS,'svg',{viewBox:'0 0 '+W+' '+H,role:'img','aria-label':c.title});
var ul=el(null,'ul',{'class':'legend'});
c.lines.forEach(function(l,i){var col=COLORS[i%COLORS.length];
svg.appendChild(el(NS,'polyline',{fill:'none',stroke:col,'stroke-width':'1.5',points:l.points}));
svg.appendChild(el(NS,'circle',{r:'2.5',fill:col,cx:String(l.last.x),cy:String(l.last.y)}));
var li=el(null,'li',{});li.appendChild(el(null,'span',{'class':'sw c'+(i%COLORS.length)}));
li.appendChild(document.createTextNode(l.name+' '+fmt(l.lastValue)));ul.appendChild(li);});
f.appendChild(svg);f.appendChild(ul);out.appendChild(f);});
box.replaceChildren(out);}
function show(s){if(s.run){runId=s.run.id;document.getElementById('run').textContent='Demo run '+s.run.name+' ('+s.run.status.toLowerCase()+')';}
document.getElementById('note').textContent=s.note||'';draw(s.charts);
var pre=document.getElementById('build');pre.textContent=s.build.join('\\n');pre.scrollTop=pre.scrollHeight;}
function tick(){fetch(STATUS,{cache:'no-store'}).then(function(res){
if(!res.headers.get(HEADER)){location.assign(location.pathname==='/'&&runId?'/runs/'+encodeURIComponent(runId):location.href);return;}
lost=false;return res.json().then(show);}).catch(function(){
if(!lost){lost=true;document.getElementById('note').textContent='The dashboard is starting…';}})
.then(function(){setTimeout(tick,2000);});}
setTimeout(tick,2000);
})();`;
