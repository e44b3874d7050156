'use client';

import Link from 'next/link';
import { useId, useState, type FormEvent } from 'react';
import {
  ROLE_HELP,
  roleOf,
  type MemberInfo,
  type ProjectAccess,
  type ProjectRole,
  type ProjectVisibility,
} from '../../lib/identity';
import { formatTimestamp } from '../../lib/time';
import { EmptyState } from '../EmptyState';
import { Field, TextField } from '../Field';
import { InlineError } from '../InlineError';
import { SubmitButton } from '../SubmitButton';
import { RoleSelect } from './RoleSelect';
import { ActionsCell, SettingsTable } from './SettingsTable';
import { useAction } from './use-action';
import { useProjectAccess } from './use-project-access';

/**
 * "Projects": for every project the caller owns, its members (role selectors, remove, add by
 * e-mail) and its visibility (private or public). Each change is one API call; its error shows
 * next to the control that made it.
 */
export function ProjectAccessSection({
  projects,
  viewerId,
}: {
  /** Projects where the caller is owner. */
  projects: ProjectAccess[];
  viewerId: string;
}) {
  const id = useId();
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="project-access">
      <div className="card-header">
        <h2 id={`${id}-title`}>Projects</h2>
        <span className="meta">members and visibility of the projects you own</span>
      </div>
      {projects.length === 0 ? (
        <div className="card-body">
          <EmptyState title="You own no projects">
            Whoever logs the first run of a project owns it; an owner can add you to theirs.
          </EmptyState>
        </div>
      ) : (
        <div className="card-body project-access-list">
          {projects.map((p) => (
            <ProjectAccessCard key={p.id} project={p} viewerId={viewerId} />
          ))}
        </div>
      )}
    </section>
  );
}

function ProjectAccessCard({ project, viewerId }: { project: ProjectAccess; viewerId: string }) {
  const id = useId();
  const {
    members,
    visibility,
    visAction,
    rowAction,
    setMember,
    changeVisibility,
    changeRole,
    remove,
  } = useProjectAccess(project);

  return (
    <article
      className="project-access"
      aria-labelledby={`${id}-name`}
      data-testid="project-access-card"
      data-project={project.name}
      data-visibility={visibility}
    >
      <div className="project-access-header">
        <h3 id={`${id}-name`}>
          <Link href={`/projects/${encodeURIComponent(project.name)}`}>{project.name}</Link>
        </h3>
        <VisibilityChoice
          id={id}
          projectName={project.name}
          visibility={visibility}
          pending={visAction.pending}
          onChange={changeVisibility}
        />
      </div>
      <p className="field-help">
        {visibility === 'public'
          ? 'Public: anyone who can reach this server reads it, signed in or not; members write.'
          : 'Private: only its members (and server admins) see it.'}
      </p>
      <InlineError message={visAction.error} data-testid="visibility-error" />
      <SettingsTable
        caption={`Members of ${project.name}`}
        columns={MEMBER_COLUMNS}
        compact
        data-testid="members-table"
      >
        {members.map((m) => (
          <MemberRow
            key={m.userId}
            member={m}
            projectName={project.name}
            isViewer={m.userId === viewerId}
            pending={rowAction.pending === m.email}
            error={rowAction.errorFor(m.email)}
            onRoleChange={(r) => changeRole(m, r)}
            onRemove={() => remove(m)}
          />
        ))}
      </SettingsTable>
      <AddMemberForm id={id} setMember={setMember} />
    </article>
  );
}

/** Private or public, as a segmented radio group (disabled while a change is under way). */
function VisibilityChoice({
  id,
  projectName,
  visibility,
  pending,
  onChange,
}: {
  id: string;
  projectName: string;
  visibility: ProjectVisibility;
  pending: boolean;
  onChange: (next: ProjectVisibility) => void;
}) {
  return (
    <fieldset className="segmented-radio" disabled={pending} data-testid="visibility">
      <legend className="visually-hidden">Visibility of {projectName}</legend>
      {(['private', 'public'] as const).map((v) => (
        <label key={v} className={visibility === v ? 'active' : undefined}>
          <input
            type="radio"
            name={`${id}-visibility`}
            value={v}
            checked={visibility === v}
            onChange={() => onChange(v)}
            data-testid={`visibility-${v}`}
          />
          {v === 'private' ? 'Private' : 'Public'}
        </label>
      ))}
    </fieldset>
  );
}

/** Props of {@link MemberRow}. */
interface MemberRowProps {
  member: MemberInfo;
  projectName: string;
  /** The member is the signed-in user. */
  isViewer: boolean;
  /** A change of this member is under way (its controls are disabled). */
  pending: boolean;
  error: string | null;
  onRoleChange: (role: ProjectRole) => void;
  onRemove: () => void;
}

/** One member: name, e-mail, role selector, since when, and a remove button. */
function MemberRow({
  member: m,
  projectName,
  isViewer,
  pending,
  error,
  onRoleChange,
  onRemove,
}: MemberRowProps) {
  return (
    <tr data-member-email={m.email}>
      <td>
        {m.name || <span className="faint">—</span>}
        {isViewer ? <span className="faint"> (you)</span> : null}
      </td>
      <td>{m.email}</td>
      <td>
        <RoleSelect
          value={roleOf(m.role)}
          disabled={pending}
          onChange={onRoleChange}
          aria-label={`Role of ${m.email} in ${projectName}`}
          data-testid="member-role"
        />
      </td>
      <td>{formatTimestamp(m.since)}</td>
      <ActionsCell error={error}>
        <button
          type="button"
          className="btn"
          disabled={pending}
          onClick={onRemove}
          aria-label={`Remove ${m.email} from ${projectName}`}
          data-testid="member-remove"
        >
          Remove
        </button>
      </ActionsCell>
    </tr>
  );
}

/** "Add by e-mail" with a role, and its error below the form. */
function AddMemberForm({
  id,
  setMember,
}: {
  id: string;
  setMember: (memberEmail: string, role: ProjectRole) => Promise<void>;
}) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<ProjectRole>('viewer');
  const addAction = useAction();

  const add = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void addAction.run(async () => {
      await setMember(email.trim(), role);
      setEmail('');
    });
  };

  return (
    <>
      <form className="form-row add-member" onSubmit={add} data-testid="add-member">
        <TextField
          id={`${id}-email`}
          label="Add by e-mail"
          type="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          data-testid="member-email"
        />
        <Field id={`${id}-role`} label="Role">
          <RoleSelect
            id={`${id}-role`}
            value={role}
            onChange={setRole}
            aria-describedby={`${id}-role-help`}
            data-testid="member-new-role"
          />
        </Field>
        <SubmitButton pending={addAction.pending} pendingLabel="Adding…" data-testid="member-add">
          Add member
        </SubmitButton>
        <span id={`${id}-role-help`} className="field-help">
          {role}: {ROLE_HELP[role]}
        </span>
      </form>
      <InlineError message={addAction.error} data-testid="add-member-error" />
    </>
  );
}

/** Headers of a project's members table (its last column, actions, aside). */
const MEMBER_COLUMNS = ['Member', 'E-mail', 'Role', 'Since (UTC)'];
