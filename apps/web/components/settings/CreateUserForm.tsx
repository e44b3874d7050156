'use client';

import { useState, type FormEvent, type RefObject } from 'react';
import { parseOrThrow, userInputSchema } from '@convscope/schemas';
import { errorMessage } from '../../lib/errors';
import { gqlRequest } from '../../lib/graphql';
import { CREATE_USER, type UserInfo } from '../../lib/identity';
import { TextField } from '../Field';
import { InlineError } from '../InlineError';
import { SubmitButton } from '../SubmitButton';
import { useAction } from './use-action';

/** Props of {@link CreateUserForm}. */
export interface CreateUserFormProps {
  /** The section's `useId`, prefix of the fields' ids. */
  id: string;
  /** The e-mail input, focused again after the login link is dismissed. */
  emailRef: RefObject<HTMLInputElement | null>;
  /** Told when the form is submitted, before anything is sent. */
  onSubmit: () => void;
  /** Told the new account. */
  onCreated: (user: UserInfo) => void;
  /** Makes and shows a login link for the new account. */
  loginLinkFor: (email: string) => Promise<void>;
}

/**
 * "Create a user": e-mail, name and admin; the new account gets no password, only the one-time
 * login link made right after.
 */
export function CreateUserForm({
  id,
  emailRef,
  onSubmit,
  onCreated,
  loginLinkFor,
}: CreateUserFormProps) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [admin, setAdmin] = useState(false);
  const create = useAction();

  const onCreate = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSubmit();
    void create.run(async () => {
      // The API's own checks (@convscope/schemas): a bad e-mail or name is named before sending.
      const input = parseOrThrow(userInputSchema, { email, name, admin });
      const { createUser } = await gqlRequest(CREATE_USER, {
        input: { email: input.email, name: input.name, admin },
      });
      onCreated(createUser);
      setEmail('');
      setName('');
      setAdmin(false);
      try {
        await loginLinkFor(createUser.email);
      } catch (err) {
        throw new Error(
          `${createUser.email} was created, but no login link: ${errorMessage(err)} Use "Login link" in the list.`,
        );
      }
    });
  };

  return (
    <form className="form-stack" onSubmit={onCreate} data-testid="create-user-form">
      <h3>Create a user</h3>
      <div className="form-row">
        <TextField
          id={`${id}-email`}
          label="E-mail"
          ref={emailRef}
          type="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          data-testid="user-email"
        />
        <TextField
          id={`${id}-name`}
          label="Name"
          required
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
          data-testid="user-name"
        />
        <label className="toggle field-inline">
          <input
            type="checkbox"
            checked={admin}
            onChange={(e) => setAdmin(e.target.checked)}
            data-testid="user-admin"
          />
          Server admin
        </label>
      </div>
      <p className="field-help">
        The new user gets no password: they sign in with the one-time link shown after creation.
      </p>
      <InlineError message={create.error} data-testid="create-user-error" />
      <div>
        <SubmitButton pending={create.pending} pendingLabel="Creating…" data-testid="create-user">
          Create user
        </SubmitButton>
      </div>
    </form>
  );
}
