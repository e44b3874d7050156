// Dark mode (issue #12): the dashboard follows the system's colour scheme, the header's theme
// selector overrides it (stored, applied before the first paint on every page), and charts
// follow the theme (axis text, empty heatmap cells, tooltips).
import type { Page } from '@playwright/test';
import { VIEWPORTS, shownTheme } from './fixtures/main-pages';
import { expect, test } from './fixtures';

/** Relative luminance (0 dark … 1 light, sRGB weights) of a computed `rgb(…)` colour. */
const luminance = (rgb: string): number => {
  const m = /rgba?\((\d+), (\d+), (\d+)/.exec(rgb);
  if (!m) throw new Error(`not an rgb() colour: ${rgb}`);
  const [r, g, b] = m.slice(1, 4).map(Number) as [number, number, number];
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
};

/** Computed style `property` of the first element matching `selector`. */
const styleOf = (page: Page, selector: string, property: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((el, prop) => getComputedStyle(el).getPropertyValue(prop), property);

for (const [viewport, size] of Object.entries(VIEWPORTS))
  test(`theme at ${viewport}: system dark, charts follow, the choice persists across reloads`, async ({
    ownerPage: page,
    seeded,
  }) => {
    await page.setViewportSize(size);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`/runs/${seeded.completed}`);
    const toggle = page.getByTestId('theme-toggle');
    await expect(toggle, 'follows the system by default').toHaveValue('system');
    await expect(toggle).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.dataset.theme ?? null)).toBeNull();
    expect(await shownTheme(page), 'system dark → dark page').toBe('dark');
    expect(luminance(await styleOf(page, 'body', 'background-color'))).toBeLessThan(0.15);
    expect(luminance(await styleOf(page, 'body', 'color'))).toBeGreaterThan(0.7);

    // Charts: axis text is light on the dark card, empty confusion cells are not white.
    const axisText = '[data-testid="topk-curve"] svg .axis text';
    await expect(page.locator(axisText).first()).toBeVisible();
    const darkAxis = luminance(await styleOf(page, axisText, 'fill'));
    expect(darkAxis, 'axis text is light in dark mode').toBeGreaterThan(0.5);
    const emptyCell = '[data-testid="confusion-matrix"] g.confusion-cell.empty rect.cell-rect';
    expect(luminance(await styleOf(page, emptyCell, 'fill')), 'empty cells dark').toBeLessThan(0.2);
    // The tooltip of a hovered cell has a dark background too.
    await page.locator('[data-testid="confusion-matrix"] g.confusion-cell').first().hover();
    const tip = '[data-testid="confusion-matrix"] .chart-tooltip';
    await expect(page.locator(tip)).toBeVisible();
    expect(luminance(await styleOf(page, tip, 'background-color'))).toBeLessThan(0.2);
    expect(luminance(await styleOf(page, tip, 'color'))).toBeGreaterThan(0.7);

    // Light chosen in the header wins over the system's dark, and is kept across a reload,
    // applied before the page's scripts run (no flash of the dark theme).
    await toggle.selectOption('light');
    expect(await shownTheme(page)).toBe('light');
    expect(
      luminance(await styleOf(page, axisText, 'fill')),
      'axis text dark on light',
    ).toBeLessThan(0.5);
    await page.reload({ waitUntil: 'commit' });
    await page.waitForSelector('body');
    expect(
      await page.evaluate(() => document.documentElement.dataset.theme ?? null),
      'set by the inline script in <head>',
    ).toBe('light');
    expect(await shownTheme(page)).toBe('light');
    await expect(page.getByTestId('theme-toggle')).toHaveValue('light');
    // Another page keeps it too.
    await page.goto('/');
    expect(await shownTheme(page)).toBe('light');

    // Dark chosen while the system is light; "System" hands back to the system.
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByTestId('theme-toggle').selectOption('dark');
    expect(await shownTheme(page)).toBe('dark');
    await page.reload();
    expect(await shownTheme(page)).toBe('dark');
    await page.getByTestId('theme-toggle').selectOption('system');
    expect(await shownTheme(page)).toBe('light');
    expect(await page.evaluate(() => localStorage.getItem('convscope-theme'))).toBeNull();
  });
