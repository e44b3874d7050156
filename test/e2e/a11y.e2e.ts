// Accessibility of the main pages (issue #12): axe (WCAG 2.1 A/AA rules) finds no serious or
// critical violation on any of them at 1280x800 and 390x844, in the light and the dark theme;
// at 390 px no page is wider than the screen. The confusion matrix is a keyboard grid.
// Each page checked is also saved as a full-page screenshot under test-results/screenshots/
// (`<page>-<viewport>-<theme>.png`; CI leaves them in its clone as artifacts) and, with
// UPDATE_SCREENSHOTS=1, under docs/screenshots/ for the README: one page load serves both.
import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from '@playwright/test';
import { freshApi, type TestApi } from './fixtures/api';
import { chromiumMissing } from './fixtures/chromium';
import {
  DATASET_INFO,
  evaluationFixture,
  seedAblationRun,
  seedDashboard,
} from './fixtures/dashboard-data';
import {
  THEMES,
  VIEWPORTS,
  horizontalOverflow,
  openMainPage,
  seedMainPages,
  shownTheme,
  type MainPage,
  type ThemeName,
  type ViewportName,
} from './fixtures/main-pages';
import { expect, signIn, test } from './fixtures';

type AxeResults = Awaited<ReturnType<AxeBuilder['analyze']>>;

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const SCREENSHOT_DIRS = [
  path.join(repoRoot, 'test-results/screenshots'),
  ...(process.env.UPDATE_SCREENSHOTS === '1' ? [path.join(repoRoot, 'docs/screenshots')] : []),
];

/** Saves a full-page screenshot of `page` as `file` in every screenshot folder. */
async function saveScreenshot(page: Page, file: string): Promise<void> {
  await page.mouse.move(0, 0);
  const png = await page.screenshot({ fullPage: true, animations: 'disabled' });
  expect(png.length, `${file} is an image`).toBeGreaterThan(1000);
  for (const dir of SCREENSHOT_DIRS) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, file), png);
  }
}

/** Serious and critical violations, one line per rule and up to three of its elements each. */
function describeViolations(page: string, results: AxeResults): string[] {
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 3)
        .map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1, 2).join('')}`)
        .join('; ');
      return `${page}: [${v.impact}] ${v.id} (${v.nodes.length}×): ${v.help}. ${nodes}`;
    });
}

/** A signed-out page in its own context with the same viewport and colour scheme. */
async function anonymousPage(browser: Browser, viewport: ViewportName, theme: ThemeName) {
  const context = await browser.newContext({
    baseURL: process.env.E2E_WEB_URL,
    viewport: VIEWPORTS[viewport],
    colorScheme: theme,
  });
  return { context, page: await context.newPage() };
}

/** Runs axe (and at phone width the overflow check) on every page; returns what failed. */
async function checkPages(
  page: Page,
  browser: Browser,
  pages: MainPage[],
  viewport: ViewportName,
  theme: ThemeName,
): Promise<{ violations: string[]; overflow: string[] }> {
  const violations: string[] = [];
  const overflow: string[] = [];
  for (const p of pages) {
    const anon = p.anonymous ? await anonymousPage(browser, viewport, theme) : null;
    const target = anon?.page ?? page;
    try {
      await openMainPage(target, p);
      expect(await shownTheme(target), `${p.name} shows the ${theme} theme`).toBe(theme);
      const results = await new AxeBuilder({ page: target })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
        // axe.run in the page itself: the dashboard has no iframes, and the default (runPartial,
        // then finishRun in a new blank page) took 2 to 3 times as long for the same results.
        .setLegacyMode()
        .analyze();
      violations.push(...describeViolations(`${p.name} ${viewport} ${theme}`, results));
      await saveScreenshot(target, `${p.name}-${viewport}-${theme}.png`);
      if (viewport === 'phone') {
        const o = await horizontalOverflow(target);
        if (o.scrollWidth > o.width || o.offenders.length > 0)
          overflow.push(
            `${p.name}: document ${o.scrollWidth} px in ${o.width} px; wider: ${o.offenders.join(', ') || 'none'}`,
          );
      }
    } finally {
      await anon?.context.close();
    }
  }
  return { violations, overflow };
}

// The four viewport/theme checks only read the same pages: they share one API and one seed
// (made before the first of them; a worker restarted after a failure seeds again), each signing
// in on its own page. Seeding the main pages took about a third of each check's time.
test.describe('axe on the main pages', () => {
  let shared: { api: TestApi; pages: MainPage[] } | undefined;

  test.beforeAll(async () => {
    // No browser: no API host either; each test skips (or fails under REQUIRE_BROWSER=1).
    if (chromiumMissing()) return;
    test.setTimeout(240_000);
    const api = await freshApi();
    const seeded = await seedDashboard(api);
    const ablationRun = await seedAblationRun(api);
    shared = { api, pages: await seedMainPages(api, seeded, ablationRun) };
  });

  for (const viewport of Object.keys(VIEWPORTS) as ViewportName[])
    for (const theme of THEMES)
      test(`axe: no serious or critical violation on the main pages at ${viewport} (${VIEWPORTS[viewport].width}px), ${theme} theme`, async ({
        page,
        browser,
      }) => {
        test.setTimeout(360_000);
        if (!shared) throw new Error('the shared seed of the main pages is missing');
        await signIn(page, shared.api);
        await page.setViewportSize(VIEWPORTS[viewport]);
        await page.emulateMedia({ colorScheme: theme });
        const { violations, overflow } = await checkPages(
          page,
          browser,
          shared.pages,
          viewport,
          theme,
        );
        // Soft: a failure lists the overflow too.
        expect.soft(violations, `axe violations:\n${violations.join('\n')}`).toEqual([]);
        expect(overflow, `horizontal overflow at 390 px:\n${overflow.join('\n')}`).toEqual([]);
      });
});

test('confusion matrix: one tab stop, arrow keys move, Enter opens the cell’s samples', async ({
  ownerPage: page,
  seeded,
}) => {
  await page.goto(`/runs/${seeded.completed}`);
  const card = page.locator('[data-testid="confusion-matrix"]');
  const grid = card.getByRole('grid');
  await expect(grid).toBeVisible();
  const { classNames } = DATASET_INFO;
  const matrix = evaluationFixture().report.confusionMatrix;
  await expect(grid.getByRole('row')).toHaveCount(classNames.length);
  await expect(grid.getByRole('gridcell')).toHaveCount(classNames.length ** 2);
  // One tab stop: only one cell is in the tab order.
  await expect(card.locator('[role="gridcell"][tabindex="0"]')).toHaveCount(1);
  const focused = () =>
    page.evaluate(() => {
      const el = document.activeElement;
      return el?.getAttribute('role') === 'gridcell'
        ? `${el.getAttribute('data-row')},${el.getAttribute('data-col')}`
        : `not a cell: ${el?.tagName ?? 'none'}`;
    });
  // Tab from the mode buttons lands on the grid's first cell, and a second Tab leaves the grid.
  await card.locator('button[data-mode="normalized"]').focus();
  await page.keyboard.press('Tab');
  expect(await focused()).toBe('0,0');
  const name = (row: number, col: number) => {
    const counts = matrix[row] ?? [];
    const n = counts[col] ?? 0;
    const total = counts.reduce((a, b) => a + b, 0);
    return `true ${classNames[row]}, predicted ${classNames[col]}: ${n} (${((100 * n) / total).toFixed(1)}%)`;
  };
  await expect(grid.getByRole('gridcell', { name: name(0, 0), exact: true })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  expect(await focused()).toBe('1,2');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp'); // stays on the first row
  expect(await focused()).toBe('0,1');
  await page.keyboard.press('End');
  expect(await focused()).toBe(`0,${classNames.length - 1}`);
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  // Pullover → Pullover (row 2): its accessible name says count and share of the true class.
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  expect(await focused()).toBe('2,2');
  await expect(grid.getByRole('gridcell', { name: name(2, 2), exact: true })).toBeFocused();
  await expect(card.locator('[role="gridcell"][tabindex="0"]')).toHaveAttribute('data-row', '2');
  // Enter opens the drill-down of that cell.
  await page.keyboard.press('Enter');
  const count = matrix[2]?.[2] ?? 0;
  await expect(
    page.locator(`[data-testid="cell-samples"][data-row="2"][data-col="2"][data-total="${count}"]`),
  ).toBeVisible();
  await expect(card.locator('g.confusion-cell.selected')).toHaveAttribute('data-col', '2');
  await page.keyboard.press('Escape');
  await expect(page.locator('[data-testid="cell-samples"]')).toHaveCount(0);
  // Space on another cell opens it too; the tab stop stays where the keyboard left it.
  await grid.getByRole('gridcell', { name: name(2, 4), exact: true }).focus();
  await page.keyboard.press(' ');
  await expect(
    page.locator('[data-testid="cell-samples"][data-row="2"][data-col="4"]'),
  ).toBeVisible();
  await expect(card.locator('[role="gridcell"][tabindex="0"]')).toHaveAttribute('data-col', '4');
});
