// The run page's uncertainty section: MC-dropout statistics logged for the seeded run's 200 test
// samples, the most uncertain images (by entropy or mutual information) and per-sample boxplots.
import { DATASET_INFO, evaluationFixture } from './fixtures/dashboard-data';
import { LOG_UNCERTAINTY, uncertaintyFixture } from './fixtures/uncertainty-data';
import { expect, shot, test } from './fixtures';

/** Sample indices by decreasing value, ties by index. */
const ranked = (values: number[]) =>
  values
    .map((v, i) => ({ v, i }))
    .sort((a, b) => b.v - a.v || a.i - b.i)
    .map(({ i }) => i);

test('run page: uncertainty summary, most uncertain images and per-sample boxplots', async ({
  ownerPage: page,
  api,
  seeded,
}, testInfo) => {
  const { labels } = evaluationFixture();
  const C = DATASET_INFO.classNames.length;
  const input = {
    ...uncertaintyFixture(labels, C),
    classNames: DATASET_INFO.classNames,
    clientRequestId: 'e2e-uncertainty',
  };
  await api.gql(LOG_UNCERTAINTY, { runId: seeded.completed, input });
  const byEntropy = ranked(input.entropy);
  const byMi = ranked(input.mutualInformation);

  await page.goto(`/runs/${seeded.completed}`);
  const section = page.locator('[data-testid="uncertainty"]');
  const stats = section.locator('[data-testid="uncertainty-stats"]');
  // MC accuracy and the number of passes.
  await expect(stats).toContainText(`${(input.accuracy * 100).toFixed(2)}%`);
  await expect(stats).toContainText('20');
  const tiles = section.locator('[data-testid="uncertain-tile"]');
  await expect(tiles, '12 most uncertain tiles').toHaveCount(12);
  const shown = await tiles.evaluateAll((els) =>
    els.map((el) => Number(el.getAttribute('data-index'))),
  );
  expect(shown, 'highest entropy first').toEqual(byEntropy.slice(0, 12));
  // Every tile shows its stored image (decoded by the browser; lazy, so scrolled to first).
  await section.locator('[data-testid="uncertain-gallery"]').scrollIntoViewIfNeeded();
  await expect
    .poll(() =>
      tiles
        .locator('img')
        .evaluateAll((els) =>
          (els as HTMLImageElement[]).every((img) => img.complete && img.naturalWidth > 0),
        ),
    )
    .toBe(true);

  // The boxplots show the first (most uncertain) sample: one box per class, medians as stored.
  const chart = section.locator('[data-testid="uncertainty-boxplots"]');
  const rows = chart.locator('svg[data-chart="boxplot"] g.box-row');
  await expect(rows).toHaveCount(C);
  const checkMedians = async (index: number) => {
    await expect(chart, `boxplots of sample ${index}`).toHaveAttribute('data-index', String(index));
    const medians = await rows.evaluateAll((els) =>
      els.map((el) => Number(el.getAttribute('data-median'))),
    );
    const expected = Array.from({ length: C }, (_, c) => input.quantiles[(index * C + c) * 5 + 2]);
    medians.forEach((m, c) =>
      expect(
        Math.abs(m - (expected[c] ?? NaN)),
        `median of class ${c}, sample ${index}`,
      ).toBeLessThan(1e-12),
    );
    await expect(chart.locator('g.box-row.is-true'), 'true class highlighted').toHaveAttribute(
      'data-class',
      String(labels[index]),
    );
  };
  await checkMedians(byEntropy[0] ?? -1);
  await shot(section, testInfo, '12-uncertainty');
  // Clicking another tile shows its boxplots.
  await tiles.nth(3).click();
  await checkMedians(byEntropy[3] ?? -1);
  // Ordered by mutual information instead.
  await section.locator('[data-testid="uncertainty-order"]').selectOption('MI_DESC');
  await expect(
    page.locator('[data-testid="uncertain-gallery"][data-order="MI_DESC"]'),
  ).toBeVisible();
  await expect(tiles.first()).toHaveAttribute('data-index', String(byMi[0]));
  await checkMedians(byMi[0] ?? -1);
});
