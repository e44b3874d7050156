'use client';

import { useId, useRef, useState, type FormEvent } from 'react';
import { parseOrThrow, SchemaInputError, signInSchema } from '@convscope/schemas';
import { AuthError, safeNextPath, signInWithPassword } from '../lib/auth';
import { TextField } from './Field';
import { InlineError } from './InlineError';
import { SubmitButton } from './SubmitButton';

/** E-mail and password form; on success the browser goes to `next` (a same-origin path). */
export function LoginForm({ next }: { next: string }) {
  const id = useId();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // The e-mail check the API applies (@convscope/schemas), before a round trip.
      const input = parseOrThrow(signInSchema, { email, password });
      await signInWithPassword(input.email, input.password);
      // A full load, so the header and every server-rendered page are drawn for the user.
      window.location.assign(safeNextPath(next));
    } catch (err) {
      setError(
        err instanceof AuthError || err instanceof SchemaInputError
          ? err.message
          : 'Sign-in failed.',
      );
      setBusy(false);
      setPassword('');
      passwordRef.current?.focus();
    }
  };

  const errorId = `${id}-error`;
  return (
    <form className="form-stack" onSubmit={(e) => void onSubmit(e)} data-testid="login-form">
      <TextField
        id={`${id}-email`}
        label="E-mail"
        name="email"
        type="email"
        autoComplete="username"
        required
        autoFocus
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        data-testid="login-email"
      />
      <TextField
        id={`${id}-password`}
        label="Password"
        ref={passwordRef}
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        data-testid="login-password"
      />
      <InlineError id={errorId} message={error} data-testid="login-error" />
      <div>
        <SubmitButton pending={busy} pendingLabel="Signing in…" data-testid="login-submit">
          Sign in
        </SubmitButton>
      </div>
    </form>
  );
}
