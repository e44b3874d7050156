'use client';

import type { RefObject } from 'react';
import { KEY_EXPIRY_CHOICES, ROLE_HELP, type ApiKeyInfo } from '../../lib/identity';
import { Field, TextField } from '../Field';
import { InlineError } from '../InlineError';
import { SubmitButton } from '../SubmitButton';
import { RoleSelect } from './RoleSelect';
import { useCreateKey, type CreateKeyFields, type CreatedKey } from './use-create-key';

export type { CreatedKey } from './use-create-key';

/** Props of {@link CreateKeyForm}. */
export interface CreateKeyFormProps {
  /** The section's `useId`, prefix of the fields' ids. */
  id: string;
  /** Projects offered as the key's project limit. */
  projects: { id: string; name: string }[];
  /** The name input, focused again after the secret is dismissed. */
  nameRef: RefObject<HTMLInputElement | null>;
  /** Told the new key and its one-time secret. */
  onCreated: (apiKey: ApiKeyInfo, secret: CreatedKey) => void;
}

/** "Create a key": name, role, expiry and an optional project limit. */
export function CreateKeyForm({ id, projects, nameRef, onCreated }: CreateKeyFormProps) {
  const { fields, create, onCreate } = useCreateKey(onCreated);
  return (
    <form className="form-stack" onSubmit={onCreate} data-testid="create-key-form">
      <h3>Create a key</h3>
      <KeyFieldsRow id={id} fields={fields} nameRef={nameRef} />
      {projects.length > 0 ? <ProjectLimit projects={projects} fields={fields} /> : null}
      <InlineError message={create.error} data-testid="create-key-error" />
      <div>
        <SubmitButton pending={create.pending} pendingLabel="Creating…" data-testid="create-key">
          Create key
        </SubmitButton>
      </div>
    </form>
  );
}

/** The name, role and expiry inputs. */
function KeyFieldsRow({
  id,
  fields,
  nameRef,
}: {
  id: string;
  fields: CreateKeyFields;
  nameRef: RefObject<HTMLInputElement | null>;
}) {
  const { name, setName, role, setRole, expiry, setExpiry } = fields;
  return (
    <div className="form-row">
      <TextField
        id={`${id}-name`}
        label="Name"
        ref={nameRef}
        required
        maxLength={100}
        placeholder="lab worker 3"
        value={name}
        onChange={(e) => setName(e.target.value)}
        data-testid="key-name"
      />
      <Field
        id={`${id}-role`}
        label="Role"
        help={
          <>
            {role}: {ROLE_HELP[role]}; never more than your own role
          </>
        }
      >
        <RoleSelect
          id={`${id}-role`}
          value={role}
          onChange={setRole}
          aria-describedby={`${id}-role-help`}
          data-testid="key-role"
        />
      </Field>
      <Field id={`${id}-expiry`} label="Expires">
        <select
          id={`${id}-expiry`}
          value={expiry}
          onChange={(e) => setExpiry(e.target.value)}
          data-testid="key-expiry"
        >
          {KEY_EXPIRY_CHOICES.map((c) => (
            <option key={c.label} value={c.days === null ? '' : String(c.days)}>
              {c.label}
            </option>
          ))}
        </select>
      </Field>
    </div>
  );
}

/** A checkbox per project; none ticked: the key reaches every project its owner can. */
function ProjectLimit({
  projects,
  fields,
}: {
  projects: { id: string; name: string }[];
  fields: CreateKeyFields;
}) {
  const { limitTo, setLimitTo } = fields;
  return (
    <fieldset className="checkbox-list" data-testid="key-projects">
      <legend>Projects (none ticked: every project you can reach)</legend>
      {projects.map((p) => (
        <label key={p.id} className="toggle">
          <input
            type="checkbox"
            checked={limitTo.includes(p.name)}
            onChange={(e) =>
              setLimitTo((list) =>
                e.target.checked ? [...list, p.name] : list.filter((n) => n !== p.name),
              )
            }
          />
          {p.name}
        </label>
      ))}
    </fieldset>
  );
}
