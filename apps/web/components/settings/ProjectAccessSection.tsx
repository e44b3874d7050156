'use client';

import Link from 'next/link';
import { useId, useState, type FormEvent } from 'react';
import { gqlRequest } from '../../lib/graphql';
import {
  REMOVE_PROJECT_MEMBER,
  ROLE_HELP,
  SET_PROJECT_MEMBER,
  SET_PROJECT_VISIBILITY,
  type MemberInfo,
  type ProjectAccess,
  type ProjectRole,
  type ProjectVisibility,
  type RemoveProjectMemberData,
  type SetProjectMemberData,
  type SetProjectVisibilityData,
} from '../../lib/identity';
import { formatTimestamp } from '../../lib/time';
import { EmptyState } from '../EmptyState';
import { Field, TextField } from '../Field';
import { InlineError } from '../InlineError';
import { SubmitButton } from '../SubmitButton';
import { RoleSelect } from './RoleSelect';
import { ActionsCell, SettingsTable } from './SettingsTable';
import { useAction, useRowAction } from './use-action';

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
  const [members, setMembers] = useState<MemberInfo[]>(project.members);
  const [visibility, setVisibility] = useState<ProjectVisibility>(project.visibility);
  const visAction = useAction();
  // Role changes and removals, by the member's e-mail.
  const rowAction = useRowAction<string>();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<ProjectRole>('viewer');
  const addAction = useAction();

  /** Gives `memberEmail` the role `next` (adding them if they are not a member). */
  const setMember = async (memberEmail: string, next: ProjectRole) => {
    const { setProjectMember } = await gqlRequest<
      SetProjectMemberData,
      { project: string; email: string; role: ProjectRole }
    >(SET_PROJECT_MEMBER, { project: project.name, email: memberEmail, role: next });
    setMembers(setProjectMember);
  };

  const changeVisibility = (next: ProjectVisibility) => {
    if (next === visibility) return;
    void visAction.run(async () => {
      const { setProjectVisibility } = await gqlRequest<
        SetProjectVisibilityData,
        { project: string; visibility: ProjectVisibility }
      >(SET_PROJECT_VISIBILITY, { project: project.name, visibility: next });
      setVisibility(setProjectVisibility.visibility);
    });
  };

  const changeRole = (member: MemberInfo, next: ProjectRole) => {
    void rowAction.run(member.email, () => setMember(member.email, next));
  };

  const remove = (member: MemberInfo) => {
    void rowAction.run(member.email, async () => {
      const { removeProjectMember } = await gqlRequest<
        RemoveProjectMemberData,
        { project: string; email: string }
      >(REMOVE_PROJECT_MEMBER, { project: project.name, email: member.email });
      setMembers(removeProjectMember);
    });
  };

  const add = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void addAction.run(async () => {
      await setMember(email.trim(), role);
      setEmail('');
    });
  };

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
        <fieldset className="segmented-radio" disabled={visAction.pending} data-testid="visibility">
          <legend className="visually-hidden">Visibility of {project.name}</legend>
          {(['private', 'public'] as const).map((v) => (
            <label key={v} className={visibility === v ? 'active' : undefined}>
              <input
                type="radio"
                name={`${id}-visibility`}
                value={v}
                checked={visibility === v}
                onChange={() => changeVisibility(v)}
                data-testid={`visibility-${v}`}
              />
              {v === 'private' ? 'Private' : 'Public'}
            </label>
          ))}
        </fieldset>
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
          <tr key={m.userId} data-member-email={m.email}>
            <td>
              {m.name || <span className="faint">—</span>}
              {m.userId === viewerId ? <span className="faint"> (you)</span> : null}
            </td>
            <td>{m.email}</td>
            <td>
              <RoleSelect
                value={m.role}
                disabled={rowAction.pending === m.email}
                onChange={(r) => changeRole(m, r)}
                aria-label={`Role of ${m.email} in ${project.name}`}
                data-testid="member-role"
              />
            </td>
            <td>{formatTimestamp(m.since)}</td>
            <ActionsCell error={rowAction.errorFor(m.email)}>
              <button
                type="button"
                className="btn"
                disabled={rowAction.pending === m.email}
                onClick={() => remove(m)}
                aria-label={`Remove ${m.email} from ${project.name}`}
                data-testid="member-remove"
              >
                Remove
              </button>
            </ActionsCell>
          </tr>
        ))}
      </SettingsTable>
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
    </article>
  );
}

/** Headers of a project's members table (its last column, actions, aside). */
const MEMBER_COLUMNS = ['Member', 'E-mail', 'Role', 'Since (UTC)'];
