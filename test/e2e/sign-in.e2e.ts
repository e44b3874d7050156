// The sign-in flow: an anonymous visitor gets the sign-in prompt (not empty lists) and is sent
// to /login for the settings; the owner's one-time link (the way `npm start`'s operator signs
// in) lands signed in, with an HttpOnly session cookie.
import { expect, shot, test } from './fixtures';

test('anonymous visitor sees the sign-in prompt, not empty lists', async ({
  page,
  seeded,
}, testInfo) => {
  void seeded; // there are runs: the prompt stands in for them
  await page.goto('/');
  const prompt = page.locator('[data-testid="sign-in-prompt"]');
  await expect(prompt).toContainText('Sign in to see your experiments');
  await expect(page.locator('[data-testid="runs-table"]')).toHaveCount(0);
  // Header says nobody is signed in.
  await expect(page.locator('[data-testid="user-menu"]')).toHaveAttribute(
    'data-signed-in',
    'false',
  );
  await shot(page, testInfo, '00-sign-in-prompt');
  // Settings need a session: sent to /login, which comes back to /settings.
  await page.goto('/settings');
  await page.waitForURL(/\/login\?next=%2Fsettings$/);
  await expect(page.locator('[data-testid="login-form"]')).toBeVisible();
  await expect(page.locator('.auth-help')).toContainText('npm start prints a sign-in link');
  // Keyboard: the e-mail field has focus.
  await expect(page.locator('[data-testid="login-email"]')).toBeFocused();
  await shot(page, testInfo, '00b-login');
});

test('sign-in by link lands signed in', async ({ page, api, seeded, baseURL }) => {
  void seeded; // the runs table has rows to wait for
  const link = await api.loginLink();
  // The link is on the dashboard's origin.
  expect(link.startsWith(`${baseURL}/api/auth/magic-link/verify?token=`), link).toBe(true);
  await page.goto(link);
  await page.waitForURL(`${baseURL}/`);
  const menu = page.locator('[data-testid="user-menu"][data-signed-in="true"]');
  await expect(menu.locator('[data-testid="user-identity"]')).toContainText(api.ownerEmail);
  await expect(menu.locator('[data-testid="admin-badge"]')).toHaveCount(1);
  await expect(page.locator('[data-testid="runs-table"] tbody tr').first()).toBeVisible();
  // The cookie is HttpOnly: scripts of the page cannot read it.
  expect(await page.evaluate(() => document.cookie)).not.toContain('convscope.session_token');
  const cookies = await page.context().cookies(baseURL);
  const session = cookies.find((c) => c.name === 'convscope.session_token');
  expect(session, 'session cookie').toMatchObject({ httpOnly: true, sameSite: 'Lax' });
});
