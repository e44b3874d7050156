// Full-page screenshots of the main pages at 1280x800 and 390x844, light and dark, for review:
// saved under test-results/screenshots/ (CI keeps them as artifacts) and, with
// UPDATE_SCREENSHOTS=1, also under docs/screenshots/ for the README.
import fs from 'node:fs';
import path from 'node:path';
import {
  THEMES,
  VIEWPORTS,
  openMainPage,
  seedMainPages,
  shownTheme,
  type ViewportName,
} from './fixtures/main-pages';
import { expect, test } from './fixtures';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const OUT_DIRS = [
  path.join(repoRoot, 'test-results/screenshots'),
  ...(process.env.UPDATE_SCREENSHOTS === '1' ? [path.join(repoRoot, 'docs/screenshots')] : []),
];

test('screenshots of the main pages: two viewports, light and dark', async ({
  ownerPage: page,
  browser,
  api,
  seeded,
  ablationRun,
}) => {
  test.setTimeout(600_000);
  const pages = await seedMainPages(api, seeded, ablationRun);
  for (const dir of OUT_DIRS) fs.mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const viewport of Object.keys(VIEWPORTS) as ViewportName[])
    for (const theme of THEMES)
      for (const p of pages) {
        const context = p.anonymous
          ? await browser.newContext({
              baseURL: process.env.E2E_WEB_URL,
              viewport: VIEWPORTS[viewport],
              colorScheme: theme,
            })
          : null;
        const target = context ? await context.newPage() : page;
        try {
          if (!context) {
            await target.setViewportSize(VIEWPORTS[viewport]);
            await target.emulateMedia({ colorScheme: theme });
          }
          await openMainPage(target, p);
          expect(await shownTheme(target), `${p.name} in the ${theme} theme`).toBe(theme);
          await target.mouse.move(0, 0);
          const file = `${p.name}-${viewport}-${theme}.png`;
          const png = await target.screenshot({ fullPage: true, animations: 'disabled' });
          for (const dir of OUT_DIRS) fs.writeFileSync(path.join(dir, file), png);
          written.push(file);
        } finally {
          await context?.close();
        }
      }
  expect(written).toHaveLength(pages.length * 4);
  for (const file of written)
    expect(
      fs.statSync(path.join(OUT_DIRS[0] ?? '', file)).size,
      `${file} is an image`,
    ).toBeGreaterThan(1000);
});
