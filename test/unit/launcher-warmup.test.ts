// The warm-up page of `npm start` (tools/launcher/warmup-page.ts): metric points shaped into SVG
// coordinates (checked against values computed by hand), names escaped wherever the page shows
// them, and a CSP nonce on its only script and style.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  WARMUP_HEADER,
  WARMUP_STATUS_PATH,
  escapeHtml,
  formatValue,
  renderWarmupPage,
  shapeChart,
  shapeCharts,
  type WarmupState,
} from '../../tools/launcher/warmup-page';
import { DEMO_METRICS_QUERY } from '../../tools/launcher/warmup-server';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// Drawing area 100 x 50 inside a padding of 5.
const BOX = { width: 110, height: 60, pad: 5 };

describe('shapeChart', () => {
  it('maps steps left to right and values bottom to top over a shared domain', () => {
    const chart = shapeChart(
      'loss',
      [
        {
          name: 'loss',
          points: [
            { step: 10, value: 3 },
            { step: 0, value: 1 },
          ],
        },
        { name: 'val_loss', points: [{ step: 5, value: 2 }] },
      ],
      BOX,
    );
    expect(chart).not.toBeNull();
    expect(chart!.x).toEqual([0, 10]);
    expect(chart!.y).toEqual([1, 3]);
    // Sorted by step: (0, 1) is bottom-left (5, 55), (10, 3) top-right (105, 5).
    expect(chart!.lines[0]).toEqual({
      name: 'loss',
      points: '5,55 105,5',
      last: { x: 105, y: 5 },
      lastValue: 3,
    });
    // (5, 2) in the middle of both domains.
    expect(chart!.lines[1]).toMatchObject({ points: '55,30', last: { x: 55, y: 30 } });
  });

  it('draws a single point in the middle, skips non-finite values and empty series', () => {
    const chart = shapeChart(
      'batch loss',
      [
        {
          name: 'batch_loss',
          points: [
            { step: 3, value: 0 },
            { step: 4, value: Number.NaN },
          ],
        },
        { name: 'empty', points: [] },
      ],
      BOX,
    );
    expect(chart!.lines).toHaveLength(1);
    // x domain 3 +- 1.5, y domain 0 +- 1: the point lands at the centre.
    expect(chart!.x).toEqual([1.5, 4.5]);
    expect(chart!.y).toEqual([-1, 1]);
    expect(chart!.lines[0]!.points).toBe('55,30');
    expect(shapeChart('none', [{ name: 'x', points: [] }], BOX)).toBeNull();
  });

  it('rounds coordinates to 0.1 unit', () => {
    const chart = shapeChart(
      't',
      [
        {
          name: 'a',
          points: [
            { step: 0, value: 0 },
            { step: 3, value: 1 },
            { step: 1, value: 0.5 },
          ],
        },
      ],
      BOX,
    );
    // step 1 of [0, 3]: 5 + 100 / 3 = 38.33... -> 38.3.
    expect(chart!.lines[0]!.points).toBe('5,55 38.3,30 105,5');
  });
});

describe('shapeCharts', () => {
  it('groups the run metrics into the page charts, leaving out charts with no points', () => {
    const charts = shapeCharts([
      { name: 'val_loss', points: [{ step: 1, value: 0.5 }] },
      {
        name: 'batch_loss',
        points: [
          { step: 0, value: 2.3 },
          { step: 20, value: 1.1 },
        ],
      },
      { name: 'loss', points: [{ step: 1, value: 0.6 }] },
      { name: 'accuracy', points: [] },
    ]);
    expect(charts.map((c) => c.title)).toEqual([
      'batch loss (by batch)',
      'loss / val_loss (by epoch)',
    ]);
    // Lines in the chart's order (loss before val_loss), not the API's.
    expect(charts[1]!.lines.map((l) => l.name)).toEqual(['loss', 'val_loss']);
  });
});

describe('warm-up page HTML', () => {
  const hostile = '<img src=x onerror=alert(1)>"\'&';
  const state: WarmupState = {
    build: ['[web] ▲ Next.js 16', `[web] ${hostile}`],
    run: { id: 'r"1', name: hostile, status: 'RUNNING' },
    charts: shapeCharts([
      {
        name: 'batch_loss',
        points: [
          { step: 0, value: 2 },
          { step: 20, value: 1 },
        ],
      },
    ]),
    note: null,
  };
  const html = renderWarmupPage(state, 'n0nce+/=');

  it('escapes run names, ids and build lines', () => {
    expect(escapeHtml(hostile)).toBe('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;');
    expect(html).not.toContain('<img');
    expect(html).toContain('Demo run &lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp; (running)');
    expect(html).toContain('[web] &lt;img src=x');
    expect(html).toContain('data-run-id="r&quot;1"');
  });

  it('draws the curves server-side and refreshes them from the status endpoint', () => {
    // 320 x 140 box, padding 6: loss 2 -> 1 over steps 0 -> 20 runs from top-left to bottom-right.
    expect(html).toContain('points="6,6 314,134"');
    expect(html).toContain('batch_loss 1</li>');
    expect(html).toContain(JSON.stringify(WARMUP_STATUS_PATH));
    expect(html).toContain(JSON.stringify(WARMUP_HEADER));
    // No HTML strings in the script: text goes through textContent only.
    expect(html).not.toContain('innerHTML');
  });

  it('has exactly one script and one style, both with the nonce, and nothing external', () => {
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain('<script nonce="n0nce+/=">');
    expect(html).toContain('<style nonce="n0nce+/=">');
    expect(html).not.toMatch(/src=["']?http|href=["']?http|@import|url\(/);
  });

  it('formats legend values with 4 significant digits', () => {
    expect(formatValue(0.123456)).toBe('0.1235');
    expect(formatValue(2)).toBe('2');
  });
});

describe('the warm-up status endpoint query', () => {
  it('is valid against the API schema (apps/api/schema.graphql)', () => {
    const schema = buildSchema(
      readFileSync(path.join(repoRoot, 'apps/api/schema.graphql'), 'utf8'),
    );
    expect(validate(schema, parse(DEMO_METRICS_QUERY))).toEqual([]);
  });
});
