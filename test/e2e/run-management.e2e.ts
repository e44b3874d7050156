// Run management on the run page, at a desktop and a phone viewport: rename inline, add and
// remove a tag, edit notes (markdown shown as typed, never as HTML), archive (badge; hidden
// from the project's runs until "Show archived") and unarchive, then delete with a confirmation
// that names the run: the page goes to the project, where the run is gone.
import type { Page } from '@playwright/test';
import type { TestApi } from './fixtures/api';
import { expect, test } from './fixtures';

const PROJECT = 'mgmt-e2e';

/** A finished run to manage and a second one that stays, both in {@link PROJECT}. */
async function seedRuns(api: TestApi): Promise<{ id: string; other: string }> {
  const make = async (name: string, tags: string[]) => {
    const d = await api.gql<{ createRun: { id: string } }>(
      'mutation($i: CreateRunInput!) { createRun(input: $i) { id } }',
      { i: { project: PROJECT, name, tags, status: 'RUNNING' } },
    );
    await api.gql('mutation($id: ID!) { finishRun(id: $id, status: COMPLETED) { id } }', {
      id: d.createRun.id,
    });
    return d.createRun.id;
  };
  return { id: await make('to-manage', ['baseline']), other: await make('stays-active', []) };
}

/** The run links of the project page's table with this text. */
const runLink = (page: Page, name: string) =>
  page.locator('[data-testid="run-link"]', { hasText: name });

for (const viewport of [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
]) {
  test.describe(`run management at ${viewport.width}x${viewport.height}`, () => {
    test.use({ viewport });

    test('rename, tags, notes, archive/unarchive and delete with confirmation', async ({
      ownerPage: page,
      api,
      baseURL,
    }) => {
      const { id } = await seedRuns(api);
      const run = async () =>
        (
          await api.gql<{ run: { name: string; tags: string[]; notes: string | null } | null }>(
            'query($id: ID!) { run(id: $id) { name tags notes } }',
            { id },
          )
        ).run;
      await page.goto(`/runs/${id}`);
      const header = page.locator('[data-testid="run-header"]');
      await expect(header.locator('[data-testid="run-actions"]')).toBeVisible();

      // Rename: click the title, type, Enter.
      await header.locator('[data-testid="run-name"] button').click();
      const input = header.locator('[data-testid="rename-input"]');
      await expect(input).toBeFocused();
      await input.fill('renamed-run');
      await input.press('Enter');
      await expect(header.locator('[data-testid="run-name"]')).toHaveText('renamed-run');
      await expect.poll(async () => (await run())?.name).toBe('renamed-run');

      // Tags: add one, remove the seeded one.
      const tags = header.locator('[data-testid="run-tags"]');
      await tags.locator('[data-testid="add-tag-input"]').fill('e2e-tag');
      await tags.locator('[data-testid="add-tag-input"]').press('Enter');
      await expect(tags.locator('.chip', { hasText: 'e2e-tag' })).toBeVisible();
      await tags.getByRole('button', { name: 'Remove tag baseline' }).click();
      await expect(tags.locator('.chip', { hasText: 'baseline' })).toHaveCount(0);
      await expect.poll(async () => (await run())?.tags).toEqual(['e2e-tag']);

      // Notes: markdown and HTML stay text.
      await header.locator('[data-testid="edit-notes"]').click();
      const notes = '# Findings\n<b>lr too high</b> after epoch 3';
      await header.locator('[data-testid="notes-input"]').fill(notes);
      await header.locator('[data-testid="save-notes"]').click();
      const shown = header.locator('[data-testid="run-notes"]');
      await expect(shown).toContainText('<b>lr too high</b>');
      await expect(shown.locator('b, h1')).toHaveCount(0);
      await expect.poll(async () => (await run())?.notes).toBe(notes);

      // Archive: badge, hidden from the project's runs unless "Show archived".
      await header.locator('[data-testid="archive-run"]').click();
      await expect(header.locator('[data-testid="archived-badge"]')).toHaveText('Archived');
      await page.goto(`/projects/${PROJECT}`);
      await expect(runLink(page, 'stays-active')).toBeVisible();
      await expect(runLink(page, 'renamed-run')).toHaveCount(0);
      // The box follows the URL (?archived=all): it is checked once the page has moved there.
      const showArchived = page.locator('[data-testid="show-archived"]');
      await showArchived.click();
      await page.waitForURL(/[?&]archived=all/);
      await expect(showArchived).toBeChecked();
      await expect(runLink(page, 'renamed-run')).toBeVisible();
      await page.goto(`/runs/${id}`);
      await expect(header.locator('[data-testid="archived-badge"]')).toBeVisible();
      await header.locator('[data-testid="unarchive-run"]').click();
      await expect(header.locator('[data-testid="archived-badge"]')).toHaveCount(0);
      await expect(header.locator('[data-testid="archive-run"]')).toBeVisible();

      // Delete: the dialog names the run; Delete works once the name is typed.
      await header.locator('[data-testid="delete-run"]').click();
      const dialog = page.locator('[data-testid="delete-dialog"]');
      await expect(dialog).toContainText('renamed-run');
      const confirm = dialog.locator('[data-testid="delete-confirm"]');
      await expect(confirm).toBeDisabled();
      await dialog.locator('[data-testid="delete-confirm-input"]').fill('renamed-ru');
      await expect(confirm).toBeDisabled();
      await dialog.locator('[data-testid="delete-confirm-input"]').fill('renamed-run');
      await expect(confirm).toBeEnabled();
      await confirm.click();
      await page.waitForURL(`${baseURL}/projects/${PROJECT}`);
      await expect(runLink(page, 'stays-active')).toBeVisible();
      await expect(runLink(page, 'renamed-run')).toHaveCount(0);
      expect(await run()).toBeNull();
    });
  });
}

test('a project reader sees no management controls', async ({ page, api }) => {
  const { id } = await seedRuns(api);
  await api.gql(
    'mutation($p: String!) { setProjectVisibility(project: $p, visibility: PUBLIC) { id } }',
    {
      p: PROJECT,
    },
  );
  // Anonymous visitors read public projects only.
  await page.goto(`/runs/${id}`);
  await expect(page.locator('[data-testid="run-name"]')).toHaveText('to-manage');
  await expect(page.locator('[data-testid="run-tags"]')).toContainText('baseline');
  await expect(page.locator('[data-testid="run-actions"]')).toHaveCount(0);
  await expect(page.locator('[data-testid="rename-run"]')).toHaveCount(0);
  await expect(page.locator('[data-testid="add-tag-input"]')).toHaveCount(0);
});
