'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useState } from 'react';
import { AuthError, signOut, type Viewer } from '../lib/auth';
import { SignInLink } from './SignInLink';

/**
 * The header's account area: who is signed in (name, e-mail, an Admin badge), Settings and
 * Sign out; or a "Sign in" link that comes back to the current page.
 */
export function UserMenu({ viewer }: { viewer: Viewer | null }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const pathname = usePathname();

  if (!viewer) {
    return (
      <div className="user-menu" data-testid="user-menu" data-signed-in="false">
        {/* The sign-in page has its own form. */}
        {pathname === '/login' ? null : (
          <SignInLink className="btn btn-primary" data-testid="sign-in-link">
            Sign in
          </SignInLink>
        )}
      </div>
    );
  }

  const onSignOut = async () => {
    setBusy(true);
    setError(null);
    try {
      await signOut();
      // A full load: every server-rendered page and cached segment was rendered for the user.
      window.location.assign('/');
    } catch (err) {
      setError(err instanceof AuthError ? err.message : 'Sign-out failed.');
      setBusy(false);
    }
  };

  return (
    <div className="user-menu" data-testid="user-menu" data-signed-in="true">
      <span className="user-identity" data-testid="user-identity">
        <span className="user-name">{viewer.name || viewer.email}</span>
        {viewer.name ? <span className="user-email faint">{viewer.email}</span> : null}
        {viewer.isAdmin ? (
          <span className="badge badge-admin" data-testid="admin-badge">
            Admin
          </span>
        ) : null}
      </span>
      <Link href="/settings" className="user-link" data-testid="settings-link">
        Settings
      </Link>
      <button
        type="button"
        className="btn"
        onClick={() => void onSignOut()}
        disabled={busy}
        data-testid="sign-out"
      >
        {busy ? 'Signing out…' : 'Sign out'}
      </button>
      {error ? (
        <span role="alert" className="inline-error">
          {error}
        </span>
      ) : null}
    </div>
  );
}
