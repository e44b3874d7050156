// Reproducibility on the run page (1280x800): a compact card with the git commit, host and
// versions, the git diff folded in <details>; a "System" section charting the system/* metrics
// apart from the training curves; and compare diffing the reproducibility fields.
import { expect, shot, test } from './fixtures';
import { VIEWPORTS } from './fixtures/main-pages';
import type { Gql } from './fixtures/api';

const SHA_A = 'abc1234def5678abc1234def5678abc1234def56';
const SHA_B = '0123456789abcdef0123456789abcdef01234567';
const HEX = 'e'.repeat(64);

function record(over: Record<string, unknown> = {}) {
  return {
    configFile: {
      path: 'examples/mc-dropout-cnn.yaml',
      text: 'preset: mc-dropout-cnn\n',
      sha256: HEX,
      truncated: false,
    },
    resolvedConfig: { model: { weightDecay: { tau: 0.1 } } },
    git: {
      commit: SHA_A,
      branch: 'main',
      dirty: true,
      diff: 'diff --git a/x.ts b/x.ts\n+const changed = true;\n',
      diffBytes: 48,
      diffTruncated: false,
    },
    command: ['node', 'libs/ml/src/cli/train.cli.ts', '--config', 'examples/mc-dropout-cnn.yaml'],
    host: 'lab-gpu-01',
    os: { platform: 'linux', release: '6.1.0', arch: 'x64' },
    node: 'v22.11.0',
    tfjs: '4.22.0',
    backend: 'wasm',
    dataset: {
      sha256: HEX,
      fileCount: 4,
      bytesRead: 3_000_000,
      truncated: false,
      files: [{ path: 'train-images-idx3-ubyte.gz', bytes: 2_000_000, sha256: HEX }],
    },
    ...over,
  };
}

const CREATE = `mutation($input: CreateRunInput!) { createRun(input: $input) { id } }`;
const LOG = `mutation($runId: ID!, $points: [MetricPointInput!]!) { logMetrics(runId: $runId, points: $points) { accepted } }`;
const FINISH = `mutation($id: ID!) { finishRun(id: $id, status: COMPLETED) { id } }`;

/** A finished run with curves, system metrics every 5 s and a reproducibility record. */
async function seedRun(gql: Gql, name: string, reproducibility: unknown): Promise<string> {
  const { createRun } = await gql<{ createRun: { id: string } }>(CREATE, {
    input: {
      project: 'repro',
      name,
      status: 'RUNNING',
      reproducibility,
      hyperparameters: { lr: 0.001 },
    },
  });
  const points = [];
  for (let e = 1; e <= 4; e++)
    points.push(
      { name: 'loss', step: e, value: 1 / e },
      { name: 'accuracy', step: e, value: 1 - 0.5 / e },
    );
  for (let s = 0; s <= 6; s++)
    points.push(
      { name: 'system/cpu_percent', step: s * 5, value: 40 + s },
      { name: 'system/process_rss_mb', step: s * 5, value: 300 + 10 * s },
      { name: 'system/event_loop_lag_ms', step: s * 5, value: 1 + s / 10 },
    );
  await gql(LOG, { runId: createRun.id, points });
  await gql(FINISH, { id: createRun.id });
  return createRun.id;
}

for (const vp of Object.values(VIEWPORTS)) {
  test.describe(`${vp.width}x${vp.height}`, () => {
    test.use({ viewport: vp });

    test(`run page shows the reproducibility card and the System charts at ${vp.width}`, async ({
      ownerPage: page,
      api,
    }, testInfo) => {
      const id = await seedRun(api.gql, 'repro-a', record());
      await page.goto(`/runs/${id}`);
      const card = page.locator('[data-testid="reproducibility"]');
      await expect(card.locator('[data-testid="repro-git"]')).toHaveText(
        'abc1234def56 (main) · dirty',
      );
      await expect(card.locator('[data-testid="repro-host"]')).toHaveText('lab-gpu-01');
      await expect(card.locator('[data-testid="repro-tfjs"]')).toHaveText('4.22.0');
      await expect(card.locator('[data-testid="repro-dirty"]')).toBeVisible();
      await expect(card.locator('[data-testid="repro-command"]')).toContainText('--config');
      // The diff is folded until asked for.
      const diff = card.locator('[data-testid="repro-diff"]');
      await expect(diff).not.toHaveAttribute('open');
      await expect(diff.locator('pre')).toBeHidden();
      await diff.locator('summary').click();
      await expect(diff.locator('pre')).toContainText('+const changed = true;');

      // System metrics: their own section, one line of 7 samples each, not among the curves.
      const system = page.locator('[data-testid="system-metrics"]');
      await expect(system).toBeVisible();
      const cpu = system.locator('[data-testid="system-cpu_percent"] path.series-line');
      await expect(cpu).toHaveAttribute('data-points', '7');
      await expect(system.locator('[data-testid="system-process_rss_mb"]')).toContainText('360 MB');
      await expect(page.locator('[data-testid="curve-loss"]')).toBeVisible();
      await expect(page.locator('[data-testid^="curve-system"]')).toHaveCount(0);
      await expect(
        page.locator('[data-testid="training-curves"]').getByText('system/', { exact: false }),
      ).toHaveCount(0);
      await shot(page, testInfo, `reproducibility-run-${vp.width}`);
    });

    test(`compare diffs the reproducibility fields at ${vp.width}`, async ({
      ownerPage: page,
      api,
    }, testInfo) => {
      const a = await seedRun(api.gql, 'repro-a', record());
      const b = await seedRun(
        api.gql,
        'repro-b',
        record({
          host: 'lab-cpu-02',
          git: { commit: SHA_B, dirty: false, diffBytes: 0, diffTruncated: false },
        }),
      );
      await page.goto(`/compare?runs=${a},${b}`);
      const row = (key: string) => page.locator(`[data-testid="hp-diff"] tr[data-key="${key}"]`);
      await expect(row('repro.host')).toHaveAttribute('data-differs', 'true');
      await expect(row('repro.host')).toContainText('lab-cpu-02');
      await expect(row('repro.git.commit')).toHaveAttribute('data-differs', 'true');
      await expect(row('repro.git.dirty')).toHaveAttribute('data-differs', 'true');
      // Equal fields show with "show all" only.
      await expect(row('repro.tfjs')).toHaveCount(0);
      await page.locator('[data-testid="hp-show-all"]').check();
      await expect(row('repro.tfjs')).toHaveAttribute('data-differs', 'false');
      await shot(page, testInfo, `reproducibility-compare-${vp.width}`);
    });
  });
}
