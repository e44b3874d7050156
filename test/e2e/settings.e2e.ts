// The settings page (/settings): API keys (the secret shown once, then revoked), users created by
// an admin with a one-time login link, the admin role, project members and visibility; and a
// public project as a fresh anonymous browser sees it, which then signs in with a password and
// with a user's link.
import type { Browser, TestInfo } from '@playwright/test';
import { apiGql, createUser, NEW_USER, PASSWORD_USER } from './fixtures/auth';
import type { TestApi } from './fixtures/api';
import { expect, shot, test } from './fixtures';

test('settings: create an API key (secret shown once), then revoke it', async ({
  ownerPage: page,
  api,
  seeded,
  baseURL,
}, testInfo) => {
  void seeded; // the key is limited to the seeded project fashion-mnist
  await page.goto('/');
  await page.locator('[data-testid="settings-link"]').click();
  await page.waitForURL(`${baseURL}/settings`);
  const section = page.locator('[data-testid="api-keys"]');
  await section.locator('[data-testid="key-name"]').fill('e2e worker');
  await section.locator('[data-testid="key-role"]').selectOption('editor');
  await section
    .locator('[data-testid="key-projects"] label', { hasText: 'fashion-mnist' })
    .first()
    .locator('input')
    .check();
  await section.locator('[data-testid="create-key"]').click();
  const box = section.locator('[data-testid="new-key"]');
  const value = box.locator('[data-testid="new-key-value"]');
  await expect(value, 'secret shown').toHaveValue(/^cs_\S{20,}$/);
  const secret = await value.inputValue();
  // Usage note.
  await expect(box).toContainText('export CONVSCOPE_API_KEY=');
  await expect(box).toContainText('--api-key');
  await expect(value, 'focus on the new secret').toBeFocused();
  await shot(page, testInfo, '30-settings-new-key');

  // The key works against the API: it acts as the owner, with the role it was given.
  const me = await apiGql(api, '{ me { email keyRole } }', { key: secret });
  expect(me.data?.me, JSON.stringify(me)).toEqual({ email: api.ownerEmail, keyRole: 'EDITOR' });

  // Listed by its first characters; once dismissed (or reloaded) the secret is gone.
  const row = section.locator('[data-testid="api-keys-table"] tbody tr', { hasText: 'e2e worker' });
  const start = (await row.locator('[data-testid="key-start"]').innerText()).replace('…', '');
  expect(start.length, `first characters (${start})`).toBeGreaterThanOrEqual(4);
  expect(secret.startsWith(start), `the secret starts with ${start}`).toBe(true);
  // The row shows role and project.
  await expect(row).toContainText('fashion-mnist');
  await expect(row).toContainText('editor');
  await box.getByRole('button', { name: 'Done' }).click();
  await expect(box).toHaveCount(0);
  expect(await page.content(), 'secret gone from the page').not.toContain(secret);
  await page.reload();
  await expect(section.locator('[data-testid="api-keys-table"]')).toBeVisible();
  expect(await page.content(), 'secret never shown again').not.toContain(secret);
  await expect(
    row.locator('[data-testid="key-start"]'),
    'still listed by its first characters',
  ).toContainText(start);

  // Revoke: a confirmation first; Cancel keeps it.
  await row.locator('[data-testid="revoke-key"]').click();
  await expect(row.locator('[data-testid="revoke-confirm"]')).toBeVisible();
  await row.getByRole('button', { name: 'Cancel' }).click();
  await expect(row.locator('[data-testid="revoke-confirm"]')).toHaveCount(0);
  await expect(row, 'cancel keeps the key').toHaveAttribute('data-status', 'active');
  await row.locator('[data-testid="revoke-key"]').click();
  await row.locator('[data-testid="revoke-confirm-button"]').click();
  await expect(
    section.locator('[data-testid="api-keys-table"] tbody tr[data-status="revoked"]', {
      hasText: 'e2e worker',
    }),
  ).toBeVisible();
  // Refused by the API within its key cache time (10 s).
  await expect
    .poll(
      async () => {
        const r = await apiGql(api, '{ me { email } }', { key: secret });
        return r.status === 401 || r.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED';
      },
      { message: 'revoked key refused by the API', timeout: 12_000, intervals: [500] },
    )
    .toBe(true);
});

test('settings: an admin creates a user and gets a one-time login link', async ({
  ownerPage: page,
  api,
  baseURL,
}) => {
  await page.goto('/settings#users');
  const users = page.locator('[data-testid="users"]');
  await expect(
    users.locator(`tr[data-user-email="${api.ownerEmail}"]`),
    'owner listed as admin',
  ).toContainText('Admin');
  await users.locator('[data-testid="user-email"]').fill(NEW_USER.email);
  await users.locator('[data-testid="user-name"]').fill(NEW_USER.name);
  await users.locator('[data-testid="create-user"]').click();
  const link = users.locator('[data-testid="login-link"] [data-testid="login-link-value"]');
  // The login link is on the dashboard.
  await expect(link).toHaveValue(/\/api\/auth\/magic-link\/verify\?token=/);
  expect((await link.inputValue()).startsWith(`${baseURL}/api/auth/magic-link/verify?token=`)).toBe(
    true,
  );
  await expect(
    users.locator(`tr[data-user-email="${NEW_USER.email}"]`),
    'new user listed',
  ).toContainText(NEW_USER.name);
  // A duplicate is refused inline.
  await users.locator('[data-testid="user-email"]').fill(NEW_USER.email);
  await users.locator('[data-testid="user-name"]').fill('Someone Else');
  await users.locator('[data-testid="create-user"]').click();
  await expect(users.locator('[data-testid="create-user-error"]')).toBeVisible();
});

test('settings: an admin makes a user admin and back', async ({ ownerPage: page, api }) => {
  await createUser(api, NEW_USER);
  await page.goto('/settings#users');
  const alice = page.locator(`[data-testid="users"] tr[data-user-email="${NEW_USER.email}"]`);
  const badge = alice.locator('.badge-admin');
  const inlineError = alice.locator('[role="alert"]');
  await alice.locator('[data-testid="user-toggle-admin"]').click();
  await expect(badge.or(inlineError)).toBeVisible();
  await expect(inlineError, 'no inline error').toHaveCount(0);
  await alice.locator('[data-testid="user-toggle-admin"]').click();
  await expect(badge).toHaveCount(0);
  // The signed-in admin cannot drop their own admin role from here.
  await expect(
    page.locator(
      `[data-testid="users"] tr[data-user-email="${api.ownerEmail}"] [data-testid="user-toggle-admin"]`,
    ),
    'own admin toggle disabled',
  ).toBeDisabled();
});

test('settings: project members and visibility; a public project is readable anonymously', async ({
  ownerPage: page,
  api,
  seeded,
  ablationRun,
  browser,
  baseURL,
}, testInfo) => {
  void [seeded, ablationRun]; // private projects beside fashion-mnist: cifar-sanity, fashion-ablation
  await createUser(api, NEW_USER);
  // A user with a password, for the password sign-in below.
  await createUser(api, PASSWORD_USER);
  await page.goto('/settings#projects');
  const card = page.locator('[data-testid="project-access-card"][data-project="fashion-mnist"]');
  await expect(card, 'private by default').toHaveAttribute('data-visibility', 'private');
  // Add Alice as viewer, then make her editor with the row's selector.
  await card.locator('[data-testid="member-email"]').fill(NEW_USER.email);
  await card.locator('[data-testid="member-new-role"]').selectOption('viewer');
  await card.locator('[data-testid="member-add"]').click();
  const aliceRow = card.locator(`tr[data-member-email="${NEW_USER.email}"]`);
  const aliceRole = aliceRow.locator('[data-testid="member-role"]');
  await aliceRole.selectOption('editor');
  await expect(aliceRole).toBeEnabled();
  // An unknown e-mail is refused inline.
  await card.locator('[data-testid="member-email"]').fill('nobody@lab.example');
  await card.locator('[data-testid="member-add"]').click();
  await expect(card.locator('[data-testid="add-member-error"]')).toBeVisible();
  // Public, by keyboard: focus the radio group and press the arrow key.
  await card.locator('[data-testid="visibility-private"]').focus();
  await page.keyboard.press('ArrowRight');
  await expect(card).toHaveAttribute('data-visibility', 'public');
  await page.reload();
  await expect(card, 'public after reload').toHaveAttribute('data-visibility', 'public');
  await expect(aliceRole, 'role change stored').toHaveValue('editor');
  await page.mouse.move(0, 0);
  await shot(page, testInfo, '31-settings');

  await anonymousVisit({ browser, api, baseURL: baseURL ?? '', testInfo });
});

/**
 * A fresh browser, nobody signed in: the public project and its runs, nothing private; then a
 * password sign-in (Bob, no member of a private project) and Alice's login link (an editor).
 */
async function anonymousVisit({
  browser,
  api,
  baseURL,
  testInfo,
}: {
  browser: Browser;
  api: TestApi;
  baseURL: string;
  testInfo: TestInfo;
}): Promise<void> {
  const anon = await browser.newContext();
  try {
    const p = await anon.newPage();
    await p.goto(`${baseURL}/`);
    await expect(p.locator('[data-testid="runs-table"] tbody tr').first()).toBeVisible();
    // Only the public project.
    const projects = p.locator('[data-testid="project-list"]');
    await expect(projects).toContainText('fashion-mnist');
    await expect(projects).not.toContainText('cifar-sanity');
    await expect(projects).not.toContainText('fashion-ablation');
    await expect(p.locator('[data-testid="user-menu"]'), 'anonymous header').toHaveAttribute(
      'data-signed-in',
      'false',
    );
    await p.goto(`${baseURL}/projects/fashion-mnist`);
    await expect(p.locator('[data-testid="runs-table"] tbody tr').first()).toBeVisible();
    await shot(p, testInfo, '32-public-anonymous');
    // A private project is "not found", with a sign-in offer that comes back here.
    await p.goto(`${baseURL}/projects/cifar-sanity`);
    await expect(p.locator('[data-testid="project-not-found"]')).toBeVisible();
    const hint = p.locator('[data-testid="sign-in-hint"] a');
    await expect(hint, 'sign-in hint').toHaveAttribute(
      'href',
      '/login?next=%2Fprojects%2Fcifar-sanity',
    );

    // Password sign-in: a wrong password is said inline, the right one goes back.
    await hint.click();
    await p.waitForURL(/\/login\?next=/);
    await p.locator('[data-testid="login-email"]').fill(PASSWORD_USER.email);
    await p.locator('[data-testid="login-password"]').fill('not the password');
    await p.locator('[data-testid="login-password"]').press('Enter');
    await expect(p.locator('[data-testid="login-error"]'), 'inline error').toContainText(
      'Wrong e-mail or password',
    );
    await expect(
      p.locator('[data-testid="login-password"]'),
      'focus back on the password',
    ).toBeFocused();
    await shot(p, testInfo, '33-login-error');
    await p.locator('[data-testid="login-password"]').fill(PASSWORD_USER.password);
    await p.locator('[data-testid="login-submit"]').click();
    await p.waitForURL(`${baseURL}/projects/cifar-sanity`);
    // Bob is no member of cifar-sanity: still not found, now without the sign-in offer.
    await expect(p.locator('[data-testid="project-not-found"]')).toBeVisible();
    await expect(p.locator('[data-testid="sign-in-hint"]'), 'no sign-in hint').toHaveCount(0);
    await expect(p.locator('[data-testid="user-identity"]'), 'Bob signed in').toContainText(
      PASSWORD_USER.name,
    );
    await p.locator('[data-testid="sign-out"]').click();
    await p.waitForURL(`${baseURL}/`);
    await expect(p.locator('[data-testid="user-menu"][data-signed-in="false"]')).toBeVisible();

    // Alice's one-time link signs her in; she is no admin.
    await p.goto(await api.loginLink(NEW_USER.email));
    await p.waitForURL(`${baseURL}/`);
    const menu = p.locator('[data-testid="user-menu"][data-signed-in="true"]');
    await expect(menu, 'Alice signed in').toContainText(NEW_USER.name);
    await expect(menu.locator('[data-testid="admin-badge"]'), 'no admin badge').toHaveCount(0);
    await p.goto(`${baseURL}/settings`);
    await expect(p.locator('[data-testid="api-keys"]')).toBeVisible();
    await expect(p.locator('[data-testid="users"]'), 'no Users section').toHaveCount(0);
    await expect(p.locator('[data-testid="project-access"]'), 'editor owns nothing').toContainText(
      'You own no projects',
    );
  } finally {
    await anon.close();
  }
}
