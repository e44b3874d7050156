// `npm run keys -- <command>`: the server operator's tool for API keys, users and login links,
// working on the database directly (no running API needed). Keys are printed once, on stdout.
//   create --name NAME [--project P ...] [--role viewer|editor|owner] [--user EMAIL] [--expires-days N]
//   list [--user EMAIL]
//   revoke ID
//   create-user --email E --name N [--admin]
//   login-link [--email E]
import path from 'node:path';
import { parseArgs } from 'node:util';
import { applyMigrations, DEFAULT_DATABASE_URL, repoRoot } from '@convscope/prisma';
import { authSecret } from '../auth/bootstrap';
import { OWNER_EMAIL } from '../auth/identity.service';
import { parseKeyCap, parseRole } from '../auth/roles';
import { createApp } from '../common/context';
import { createDatabase } from '../db/prisma';

const USAGE = `Usage: npm run keys -- <command> [options]
  create --name NAME [--project P]... [--role viewer|editor|owner] [--user EMAIL] [--expires-days N]
                    prints a new API key on stdout (shown once; stored hashed)
  list [--user EMAIL]                  lists keys (never the secrets)
  revoke ID                            disables a key (within 10 s on running servers)
  create-user --email E --name N [--admin] [--password P]
  login-link [--email E]               a one-time dashboard login link (15 minutes)
Environment: DATABASE_URL (default ${DEFAULT_DATABASE_URL}), CONVSCOPE_KEY_FILE, WEB_ORIGIN.`;

function fail(message: string): never {
  console.error(`keys: ${message}\n\n${USAGE}`);
  process.exit(2);
}

const OPTIONS = {
  name: { type: 'string' },
  project: { type: 'string', multiple: true },
  role: { type: 'string' },
  user: { type: 'string' },
  email: { type: 'string' },
  password: { type: 'string' },
  admin: { type: 'boolean' },
  'expires-days': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The arguments, strictly: an unknown flag or a flag without its value is a usage error (exit 2). */
function parseCommandLine() {
  try {
    return parseArgs({ allowPositionals: true, strict: true, options: OPTIONS });
  } catch (err) {
    // parseArgs names the flag ("Unknown option '--nmae'").
    fail((err as Error).message);
  }
}

type App = ReturnType<typeof createApp>;
type Values = ReturnType<typeof parseCommandLine>['values'];
type User = Awaited<ReturnType<App['services']['identity']['ensureOwner']>>;

/** What a command works with: the app's services, the flags, and users by e-mail. */
interface CommandContext {
  app: App;
  values: Values;
  /** The user with this e-mail (the owner when none is given); exits 2 when there is none. */
  userByEmail(email: string | undefined): Promise<User>;
}

/** `create`: a new API key, printed once on stdout. */
async function createKey({ app, values, userByEmail }: CommandContext): Promise<void> {
  const identity = app.services.identity;
  if (!values.name) fail('create needs --name');
  const role = parseRole(values.role ?? 'editor');
  if (!role) fail(`--role must be viewer, editor or owner, got ${values.role}`);
  const user = await userByEmail(values.user);
  let projectIds: string[] | null = null;
  if (values.project?.length) {
    projectIds = [];
    for (const name of values.project) {
      const p = await app.services.project.findByName(name);
      if (!p) fail(`no project named ${name}`);
      projectIds.push(p.id);
    }
  }
  const days = values['expires-days'] ? Number(values['expires-days']) : null;
  const created = await identity.createApiKey({
    userId: user.id,
    name: values.name,
    role,
    projectIds,
    expiresInDays: days,
  });
  console.error(
    `created key ${created.apiKey.id} "${values.name}" for ${user.email}: role ${role}, ${projectIds ? `projects ${values.project!.join(', ')}` : 'every project of the user'} (shown once):`,
  );
  console.log(created.key);
}

/** `list`: the keys (of one user with --user), never their secrets. */
async function listKeys({ app, values, userByEmail }: CommandContext): Promise<void> {
  const user = values.user ? await userByEmail(values.user) : null;
  for (const k of await app.services.identity.listApiKeys(user?.id ?? null)) {
    const cap = parseKeyCap(k.metadata);
    console.log(
      [
        k.id,
        JSON.stringify(k.name ?? ''),
        `${k.start ?? ''}…`,
        cap.role,
        cap.projectIds ? `projects:${cap.projectIds.length}` : 'all-projects',
        k.enabled === false ? 'REVOKED' : 'active',
        `last-used:${k.lastRequest?.toISOString() ?? 'never'}`,
      ].join('\t'),
    );
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseCommandLine();
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return;
  }
  const databaseUrl = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const keyFile = path.resolve(repoRoot, process.env.CONVSCOPE_KEY_FILE ?? './data/local-api-key');
  const webOrigin = process.env.WEB_ORIGIN ?? `http://localhost:${process.env.WEB_PORT ?? 3000}`;
  await applyMigrations(databaseUrl);
  const db = createDatabase(databaseUrl);
  try {
    const app = createApp(db.prisma, db.kind, {
      artifactsDir: path.resolve(repoRoot, process.env.ARTIFACTS_DIR ?? './data/artifacts'),
      maxArtifactBytes: 1,
      publicUrl: () => '',
      auth: {
        secret: authSecret(path.join(path.dirname(keyFile), 'auth-secret')),
        baseUrl: webOrigin,
        trustedOrigins: [webOrigin],
      },
    });
    const identity = app.services.identity;
    const owner = await identity.ensureOwner();
    const userByEmail = async (email: string | undefined) => {
      if (!email) return owner;
      const u = await identity.userByEmail(email);
      if (!u) fail(`no user with e-mail ${email}`);
      return u;
    };
    const ctx: CommandContext = { app, values, userByEmail };
    switch (command) {
      case 'create':
        await createKey(ctx);
        break;
      case 'list':
        await listKeys(ctx);
        break;
      case 'revoke': {
        const id = rest[0];
        if (!id) fail('revoke needs the key id (see `list`)');
        await identity.revokeApiKey(id, { userId: owner.id, isAdmin: true });
        console.error(`revoked ${id}`);
        break;
      }
      case 'create-user': {
        if (!values.email || !values.name) fail('create-user needs --email and --name');
        const u = await identity.createUser({
          email: values.email,
          name: values.name,
          password: values.password ?? null,
          admin: values.admin ?? false,
        });
        console.error(
          `created user ${u.email}${u.role === 'admin' ? ' (admin)' : ''}; sign-in link:`,
        );
        console.log(await identity.loginLink(u.email));
        break;
      }
      case 'login-link':
        console.log(await identity.loginLink(values.email ?? owner.email ?? OWNER_EMAIL));
        break;
      default:
        fail(`unknown command ${command}`);
    }
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  const e = err as { message?: string; extensions?: { code?: string } };
  console.error(
    `keys: ${e.extensions?.code ? `${e.extensions.code}: ` : ''}${e.message ?? String(err)}`,
  );
  process.exit(1);
});
