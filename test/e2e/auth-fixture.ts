// Browser checks of dashboard sessions and /settings. `signInTests` run first: an anonymous
// visitor gets the sign-in prompt, then the browser signs in with the owner's one-time link (the
// way `npm start`'s operator does), so every later step runs signed in. `settingsTests` run
// last: an API key created (its secret shown once) and revoked, a user created by the admin with
// a login link, members and visibility of a project, and the public project read by a fresh
// anonymous browser, which then signs in with a password and with the new user's link.
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';

function check(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

/** What the tests need from the dashboard test's setup. */
export interface AuthContext {
  page: Page;
  /** Dashboard origin (the API's webOrigin). */
  base: () => string;
  /** API origin and its admin key (to check what a created key may do). */
  apiOrigin: () => string;
  apiKey: () => string;
  /** One-time login link (owner by default). */
  loginLink: (email?: string) => Promise<string>;
  ownerEmail: () => string;
  /** A new browser profile: no cookies, nobody signed in. */
  anonymousContext: () => Promise<BrowserContext>;
  shotsDir: string;
}

const NEW_USER = { email: 'alice@lab.example', name: 'Alice Example' };
const PASSWORD_USER = {
  email: 'bob@lab.example',
  name: 'Bob Example',
  password: 'correct horse 42',
};

/** GraphQL answer of the API for `authorization` (a key) or none. */
async function apiGql(
  ctx: AuthContext,
  query: string,
  variables: Record<string, unknown> = {},
  key: string | null = ctx.apiKey(),
): Promise<{
  status: number;
  data?: Record<string, unknown>;
  errors?: { message: string; extensions?: { code?: string } }[];
}> {
  const res = await fetch(`${ctx.apiOrigin()}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as {
    data?: Record<string, unknown>;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  return { status: res.status, ...body };
}

async function shot(page: Page, ctx: AuthContext, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ctx.shotsDir, `${name}.png`), fullPage: true });
  console.log(`[e2e] screenshot test-results/e2e/${name}.png`);
}

/** Before the other steps: anonymous prompt, then signed in by the owner's login link. */
export function signInTests(ctx: AuthContext): [string, () => Promise<void>][] {
  return [
    [
      'anonymous visitor sees the sign-in prompt, not empty lists',
      async () => {
        const { page } = ctx;
        await page.goto(`${ctx.base()}/`);
        const prompt = page.locator('[data-testid="sign-in-prompt"]');
        await prompt.waitFor();
        check(
          (await prompt.innerText()).includes('Sign in to see your experiments'),
          'prompt title',
        );
        check((await page.locator('[data-testid="runs-table"]').count()) === 0, 'no runs table');
        check(
          (await page.locator('[data-testid="user-menu"]').getAttribute('data-signed-in')) ===
            'false',
          'header says nobody is signed in',
        );
        await shot(page, ctx, '00-sign-in-prompt');
        // Settings need a session: sent to /login, which comes back to /settings.
        await page.goto(`${ctx.base()}/settings`);
        await page.waitForURL(/\/login\?next=%2Fsettings$/);
        await page.locator('[data-testid="login-form"]').waitFor();
        const help = await page.locator('.auth-help').innerText();
        check(help.includes('npm start prints a sign-in link'), `link explained (${help})`);
        // Keyboard: the e-mail field has focus, Tab reaches the password.
        await page.locator('[data-testid="login-email"]').waitFor();
        check(
          await page.evaluate(
            () => document.activeElement?.getAttribute('data-testid') === 'login-email',
          ),
          'e-mail field focused',
        );
        await shot(page, ctx, '00b-login');
      },
    ],
    [
      'sign-in by link lands signed in',
      async () => {
        const { page } = ctx;
        const link = await ctx.loginLink();
        check(
          link.startsWith(`${ctx.base()}/api/auth/magic-link/verify?token=`),
          `link on the dashboard's origin (${link})`,
        );
        await page.goto(link);
        await page.waitForURL(`${ctx.base()}/`);
        const menu = page.locator('[data-testid="user-menu"][data-signed-in="true"]');
        await menu.waitFor();
        check(
          (await menu.locator('[data-testid="user-identity"]').innerText()).includes(
            ctx.ownerEmail(),
          ),
          'owner shown in the header',
        );
        check((await menu.locator('[data-testid="admin-badge"]').count()) === 1, 'admin badge');
        await page.locator('[data-testid="runs-table"] tbody tr').first().waitFor();
        // The cookie is HttpOnly: scripts of the page cannot read it.
        check(
          !(await page.evaluate(() => document.cookie)).includes('convscope.session_token'),
          'session cookie is HttpOnly',
        );
        const cookies = await page.context().cookies(ctx.base());
        const session = cookies.find((c) => c.name === 'convscope.session_token');
        check(session?.httpOnly && session.sameSite === 'Lax', 'HttpOnly, SameSite=Lax cookie');
      },
    ],
  ];
}

/** After the other steps: settings, and a public project seen by a fresh anonymous browser. */
export function settingsTests(ctx: AuthContext): [string, () => Promise<void>][] {
  let aliceLink = '';
  return [
    [
      'settings: create an API key (secret shown once), then revoke it',
      async () => {
        const { page } = ctx;
        await page.goto(`${ctx.base()}/`);
        await page.locator('[data-testid="settings-link"]').click();
        await page.waitForURL(`${ctx.base()}/settings`);
        const section = page.locator('[data-testid="api-keys"]');
        await section.waitFor();
        await section.locator('[data-testid="key-name"]').fill('e2e worker');
        await section.locator('[data-testid="key-role"]').selectOption('editor');
        await section
          .locator('[data-testid="key-projects"] label', { hasText: 'fashion-mnist' })
          .first()
          .locator('input')
          .check();
        await section.locator('[data-testid="create-key"]').click();
        const box = section.locator('[data-testid="new-key"]');
        await box.waitFor();
        const secret = await box.locator('[data-testid="new-key-value"]').inputValue();
        check(/^cs_\S{20,}$/.test(secret), `secret shown (${secret.slice(0, 6)}…)`);
        const note = await box.innerText();
        check(
          note.includes('export CONVSCOPE_API_KEY=') && note.includes('--api-key'),
          'usage note',
        );
        check(
          await page.evaluate(
            () => document.activeElement?.getAttribute('data-testid') === 'new-key-value',
          ),
          'focus on the new secret',
        );
        await shot(page, ctx, '30-settings-new-key');

        // The key works against the API, with the role it was given.
        const me = await apiGql(ctx, '{ me { email keyRole } }', {}, secret);
        const meData = me.data?.me as { email: string; keyRole: string } | undefined;
        check(
          meData?.email === ctx.ownerEmail() && meData.keyRole === 'editor',
          `key acts as the owner with role editor (${JSON.stringify(me)})`,
        );

        // Listed by its first characters; once dismissed (or reloaded) the secret is gone.
        const row = section.locator('[data-testid="api-keys-table"] tbody tr', {
          hasText: 'e2e worker',
        });
        const start = (await row.locator('[data-testid="key-start"]').innerText()).replace('…', '');
        check(start.length >= 4 && secret.startsWith(start), `first characters (${start})`);
        check(
          (await row.innerText()).includes('fashion-mnist') &&
            (await row.innerText()).includes('editor'),
          'row shows role and project',
        );
        await box.getByRole('button', { name: 'Done' }).click();
        await box.waitFor({ state: 'detached' });
        check(!(await page.content()).includes(secret), 'secret gone from the page');
        await page.reload();
        await section.locator('[data-testid="api-keys-table"]').waitFor();
        check(!(await page.content()).includes(secret), 'secret never shown again');
        check(
          (await row.locator('[data-testid="key-start"]').innerText()).startsWith(start),
          'still listed by its first characters',
        );

        // Revoke: a confirmation first; Cancel keeps it.
        await row.locator('[data-testid="revoke-key"]').click();
        await row.locator('[data-testid="revoke-confirm"]').waitFor();
        await row.getByRole('button', { name: 'Cancel' }).click();
        await row.locator('[data-testid="revoke-confirm"]').waitFor({ state: 'detached' });
        check((await row.getAttribute('data-status')) === 'active', 'cancel keeps the key');
        await row.locator('[data-testid="revoke-key"]').click();
        await row.locator('[data-testid="revoke-confirm-button"]').click();
        await section
          .locator('[data-testid="api-keys-table"] tbody tr[data-status="revoked"]', {
            hasText: 'e2e worker',
          })
          .waitFor();
        // Refused by the API within its key cache time (10 s).
        let refused = false;
        for (let i = 0; i < 24 && !refused; i++) {
          const r = await apiGql(ctx, '{ me { email } }', {}, secret);
          refused = r.status === 401 || r.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED';
          if (!refused) await new Promise((res) => setTimeout(res, 500));
        }
        check(refused, 'revoked key refused by the API');
      },
    ],
    [
      'settings: an admin creates a user and gets a one-time login link',
      async () => {
        const { page } = ctx;
        await page.goto(`${ctx.base()}/settings#users`);
        const users = page.locator('[data-testid="users"]');
        await users.waitFor();
        check(
          (await users.locator(`tr[data-user-email="${ctx.ownerEmail()}"]`).innerText()).includes(
            'Admin',
          ),
          'owner listed as admin',
        );
        await users.locator('[data-testid="user-email"]').fill(NEW_USER.email);
        await users.locator('[data-testid="user-name"]').fill(NEW_USER.name);
        await users.locator('[data-testid="create-user"]').click();
        const box = users.locator('[data-testid="login-link"]');
        await box.waitFor();
        aliceLink = await box.locator('[data-testid="login-link-value"]').inputValue();
        check(
          aliceLink.startsWith(`${ctx.base()}/api/auth/magic-link/verify?token=`),
          `login link on the dashboard (${aliceLink})`,
        );
        const alice = users.locator(`tr[data-user-email="${NEW_USER.email}"]`);
        await alice.waitFor();
        check((await alice.innerText()).includes(NEW_USER.name), 'new user listed');
        // A duplicate is refused inline.
        await users.locator('[data-testid="user-email"]').fill(NEW_USER.email);
        await users.locator('[data-testid="user-name"]').fill('Someone Else');
        await users.locator('[data-testid="create-user"]').click();
        await users.locator('[data-testid="create-user-error"]').waitFor();
        await users.locator('[data-testid="user-email"]').fill('');
        await users.locator('[data-testid="user-name"]').fill('');
        // A user with a password, for the password sign-in below (created over the API).
        const created = await apiGql(
          ctx,
          'mutation($input: CreateUserInput!) { createUser(input: $input) { id } }',
          { input: PASSWORD_USER },
        );
        check(!created.errors, `password user created (${JSON.stringify(created.errors)})`);
      },
    ],
    [
      'settings: an admin makes a user admin and back',
      async () => {
        const { page } = ctx;
        await page.goto(`${ctx.base()}/settings#users`);
        const alice = page.locator(`[data-testid="users"] tr[data-user-email="${NEW_USER.email}"]`);
        await alice.waitFor();
        await alice.locator('[data-testid="user-toggle-admin"]').click();
        await Promise.race([
          alice.locator('.badge-admin').waitFor(),
          alice
            .locator('[role="alert"]')
            .waitFor()
            .then(async () => {
              throw new Error(`inline error: ${await alice.locator('[role="alert"]').innerText()}`);
            }),
        ]);
        await alice.locator('[data-testid="user-toggle-admin"]').click();
        await alice.locator('.badge-admin').waitFor({ state: 'detached' });
        // The signed-in admin cannot drop their own admin role from here.
        check(
          await page
            .locator(
              `[data-testid="users"] tr[data-user-email="${ctx.ownerEmail()}"] [data-testid="user-toggle-admin"]`,
            )
            .isDisabled(),
          'own admin toggle disabled',
        );
      },
    ],
    [
      'settings: project members and visibility; a public project is readable anonymously',
      async () => {
        const { page } = ctx;
        await page.goto(`${ctx.base()}/settings#projects`);
        const card = page.locator(
          '[data-testid="project-access-card"][data-project="fashion-mnist"]',
        );
        await card.waitFor();
        check((await card.getAttribute('data-visibility')) === 'private', 'private by default');
        // Add Alice as viewer, then make her editor with the row's selector.
        await card.locator('[data-testid="member-email"]').fill(NEW_USER.email);
        await card.locator('[data-testid="member-new-role"]').selectOption('viewer');
        await card.locator('[data-testid="member-add"]').click();
        const aliceRow = card.locator(`tr[data-member-email="${NEW_USER.email}"]`);
        await aliceRow.waitFor();
        await aliceRow.locator('[data-testid="member-role"]').selectOption('editor');
        await page.waitForFunction(
          (email) =>
            (
              document.querySelector(
                `[data-project="fashion-mnist"] tr[data-member-email="${email}"] select`,
              ) as HTMLSelectElement | null
            )?.disabled === false,
          NEW_USER.email,
        );
        // An unknown e-mail is refused inline.
        await card.locator('[data-testid="member-email"]').fill('nobody@lab.example');
        await card.locator('[data-testid="member-add"]').click();
        await card.locator('[data-testid="add-member-error"]').waitFor();
        // Public, by keyboard: focus the radio group and press the arrow key.
        await card.locator('[data-testid="visibility-private"]').focus();
        await page.keyboard.press('ArrowRight');
        await page
          .locator(
            '[data-testid="project-access-card"][data-project="fashion-mnist"][data-visibility="public"]',
          )
          .waitFor();
        await page.reload();
        await card.waitFor();
        check((await card.getAttribute('data-visibility')) === 'public', 'public after reload');
        check(
          (await aliceRow.locator('[data-testid="member-role"]').inputValue()) === 'editor',
          'role change stored',
        );
        await page.mouse.move(0, 0);
        await shot(page, ctx, '31-settings');

        // A fresh browser, nobody signed in: the public project and its runs, nothing private.
        const anon = await ctx.anonymousContext();
        try {
          const p = anon.pages()[0] ?? (await anon.newPage());
          p.setDefaultTimeout(15_000);
          await p.goto(`${ctx.base()}/`);
          await p.locator('[data-testid="runs-table"] tbody tr').first().waitFor();
          const projects = await p.locator('[data-testid="project-list"]').innerText();
          check(
            projects.includes('fashion-mnist') &&
              !projects.includes('cifar-sanity') &&
              !projects.includes('fashion-ablation'),
            `only the public project (${projects.replace(/\s+/g, ' ')})`,
          );
          check(
            (await p.locator('[data-testid="user-menu"]').getAttribute('data-signed-in')) ===
              'false',
            'anonymous header',
          );
          await p.goto(`${ctx.base()}/projects/fashion-mnist`);
          await p.locator('[data-testid="runs-table"] tbody tr').first().waitFor();
          await shot(p, ctx, '32-public-anonymous');
          // A private project is "not found", with a sign-in offer that comes back here.
          await p.goto(`${ctx.base()}/projects/cifar-sanity`);
          await p.locator('[data-testid="project-not-found"]').waitFor();
          const hint = p.locator('[data-testid="sign-in-hint"] a');
          check(
            (await hint.getAttribute('href')) === '/login?next=%2Fprojects%2Fcifar-sanity',
            `sign-in hint (${await hint.getAttribute('href')})`,
          );

          // Password sign-in: a wrong password is said inline, the right one goes back.
          await hint.click();
          await p.waitForURL(/\/login\?next=/);
          await p.locator('[data-testid="login-email"]').fill(PASSWORD_USER.email);
          await p.locator('[data-testid="login-password"]').fill('not the password');
          await p.locator('[data-testid="login-password"]').press('Enter');
          const error = p.locator('[data-testid="login-error"]');
          await error.waitFor();
          check(
            (await error.innerText()).includes('Wrong e-mail or password'),
            `inline error (${await error.innerText()})`,
          );
          check(
            await p.evaluate(
              () => document.activeElement?.getAttribute('data-testid') === 'login-password',
            ),
            'focus back on the password',
          );
          await shot(p, ctx, '33-login-error');
          await p.locator('[data-testid="login-password"]').fill(PASSWORD_USER.password);
          await p.locator('[data-testid="login-submit"]').click();
          await p.waitForURL(`${ctx.base()}/projects/cifar-sanity`);
          // Bob is no member of cifar-sanity: still not found, now without the sign-in offer.
          await p.locator('[data-testid="project-not-found"]').waitFor();
          check((await p.locator('[data-testid="sign-in-hint"]').count()) === 0, 'no sign-in hint');
          check(
            (await p.locator('[data-testid="user-identity"]').innerText()).includes(
              PASSWORD_USER.name,
            ),
            'Bob signed in',
          );
          await p.locator('[data-testid="sign-out"]').click();
          await p.waitForURL(`${ctx.base()}/`);
          await p.locator('[data-testid="user-menu"][data-signed-in="false"]').waitFor();

          // Alice's link (created by the admin above) signs her in; she is no admin.
          check(aliceLink, 'the user test made a link');
          await p.goto(aliceLink);
          await p.waitForURL(`${ctx.base()}/`);
          const menu = p.locator('[data-testid="user-menu"][data-signed-in="true"]');
          await menu.waitFor();
          check((await menu.innerText()).includes(NEW_USER.name), 'Alice signed in');
          check(
            (await menu.locator('[data-testid="admin-badge"]').count()) === 0,
            'no admin badge',
          );
          await p.goto(`${ctx.base()}/settings`);
          await p.locator('[data-testid="api-keys"]').waitFor();
          check((await p.locator('[data-testid="users"]').count()) === 0, 'no Users section');
          check(
            (await p.locator('[data-testid="project-access"]').innerText()).includes(
              'You own no projects',
            ),
            'editor owns nothing',
          );
        } finally {
          await anon.close();
        }
      },
    ],
  ];
}
