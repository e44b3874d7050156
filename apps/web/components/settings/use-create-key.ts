'use client';

import { useState, type Dispatch, type FormEvent, type SetStateAction } from 'react';
import { apiKeyInputSchema, parseOrThrow } from '@convscope/schemas';
import { gqlRequest } from '../../lib/graphql';
import { apiRole, CREATE_API_KEY, type ApiKeyInfo, type ProjectRole } from '../../lib/identity';
import { useAction, type Action } from './use-action';

/** A key just created: its secret (shown once) and its name. */
export interface CreatedKey {
  key: string;
  name: string;
}

/** The create-key form's values and setters. */
export interface CreateKeyFields {
  name: string;
  setName: Dispatch<SetStateAction<string>>;
  role: ProjectRole;
  setRole: Dispatch<SetStateAction<ProjectRole>>;
  /** Project names the key is limited to (empty: no limit). */
  limitTo: string[];
  setLimitTo: Dispatch<SetStateAction<string[]>>;
  /** Days until expiry as the select's value; '' for never. */
  expiry: string;
  setExpiry: Dispatch<SetStateAction<string>>;
}

/**
 * State of the create-key form and its submit handler: checks the input as the API does, creates
 * the key, tells `onCreated` and clears the form (the role stays).
 */
export function useCreateKey(onCreated: (apiKey: ApiKeyInfo, secret: CreatedKey) => void): {
  fields: CreateKeyFields;
  create: Action;
  onCreate: (event: FormEvent<HTMLFormElement>) => void;
} {
  const [name, setName] = useState('');
  const [role, setRole] = useState<ProjectRole>('editor');
  const [limitTo, setLimitTo] = useState<string[]>([]);
  const [expiry, setExpiry] = useState('');
  const create = useAction();

  const onCreate = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void create.run(async () => {
      // The API's own checks (@convscope/schemas), so a bad name or expiry is named at once.
      const input = parseOrThrow(apiKeyInputSchema, {
        name,
        role,
        projects: limitTo.length > 0 ? limitTo : null,
        expiresInDays: expiry === '' ? null : Number(expiry),
      });
      const { createApiKey } = await gqlRequest(CREATE_API_KEY, {
        input: {
          name: input.name,
          role: apiRole(role),
          projects: input.projects ?? null,
          expiresInDays: input.expiresInDays ?? null,
        },
      });
      onCreated(createApiKey.apiKey, {
        key: createApiKey.key,
        name: createApiKey.apiKey.name ?? name.trim(),
      });
      setName('');
      setLimitTo([]);
      setExpiry('');
    });
  };

  return {
    fields: { name, setName, role, setRole, limitTo, setLimitTo, expiry, setExpiry },
    create,
    onCreate,
  };
}
