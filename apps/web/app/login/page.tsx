import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { LoginForm } from '../../components/LoginForm';
import { loginLinkError, safeNextPath } from '../../lib/auth';
import { loadViewer } from '../../lib/session';

export const metadata: Metadata = { title: 'Sign in' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * `/login?next=/path`: e-mail and password, then back to `next`. Also explains the one-time
 * sign-in links (`npm start` prints one for the owner; admins make them for new users).
 */
export default async function LoginPage({ searchParams }: Props) {
  const params = await searchParams;
  const next = safeNextPath(params.next);
  // Already signed in (e.g. a second tab): nothing to do here.
  if (await loadViewer()) redirect(next);
  const linkError = loginLinkError(params.error);
  return (
    <div className="auth-page">
      <section className="card auth-card" aria-labelledby="login-title">
        <div className="card-header">
          <h1 id="login-title">Sign in to ConvScope</h1>
        </div>
        <div className="card-body">
          {linkError ? (
            <p className="alert alert-error" role="alert" data-testid="login-link-error">
              {linkError}
            </p>
          ) : null}
          <LoginForm next={next} />
        </div>
        <div className="card-body auth-help">
          <h2>No password?</h2>
          <p>
            Sign in with a one-time link instead: <code>npm start</code> prints a sign-in link for
            the owner account (<code>owner@convscope.local</code>) in its terminal. Open it in this
            browser; each link works once, for 15 minutes.
          </p>
          <p>
            Other people get their link from an admin, who creates their account under{' '}
            <strong>Settings → Users</strong>. Accounts cannot be created from this page.
          </p>
        </div>
      </section>
    </div>
  );
}
