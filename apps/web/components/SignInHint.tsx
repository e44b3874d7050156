import { loadViewer } from '../lib/session';
import { SignInLink } from './SignInLink';

/**
 * On not-found pages: when nobody is signed in, the thing may exist but be private, so offer to
 * sign in (and come back here). Renders nothing for signed-in visitors.
 */
export async function SignInHint({ what }: { what: string }) {
  if (await loadViewer()) return null;
  return (
    <p data-testid="sign-in-hint">
      You are not signed in: the {what} may be private.{' '}
      <SignInLink className="btn btn-primary">Sign in</SignInLink>
    </p>
  );
}
