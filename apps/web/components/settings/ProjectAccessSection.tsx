'use client';

import Link from 'next/link';
import { useId, useState, type FormEvent } from 'react';
import { errorMessage } from '../../lib/errors';
import { gqlRequest } from '../../lib/graphql';
import {
  PROJECT_ROLES,
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
  const [visBusy, setVisBusy] = useState(false);
  const [visError, setVisError] = useState<string | null>(null);
  const [rowBusy, setRowBusy] = useState<string | null>(null);
  const [rowError, setRowError] = useState<{ email: string; message: string } | null>(null);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<ProjectRole>('viewer');
  const [addBusy, setAddBusy] = useState(false);
  const [addError, setAddError] = useState<string | null>(null);

  const changeVisibility = async (next: ProjectVisibility) => {
    if (next === visibility) return;
    setVisBusy(true);
    setVisError(null);
    try {
      const { setProjectVisibility } = await gqlRequest<
        SetProjectVisibilityData,
        { project: string; visibility: ProjectVisibility }
      >(SET_PROJECT_VISIBILITY, { project: project.name, visibility: next });
      setVisibility(setProjectVisibility.visibility);
    } catch (err) {
      setVisError(errorMessage(err));
    } finally {
      setVisBusy(false);
    }
  };

  const changeRole = async (member: MemberInfo, next: ProjectRole) => {
    setRowBusy(member.email);
    setRowError(null);
    try {
      const { setProjectMember } = await gqlRequest<
        SetProjectMemberData,
        { project: string; email: string; role: ProjectRole }
      >(SET_PROJECT_MEMBER, { project: project.name, email: member.email, role: next });
      setMembers(setProjectMember);
    } catch (err) {
      setRowError({ email: member.email, message: errorMessage(err) });
    } finally {
      setRowBusy(null);
    }
  };

  const remove = async (member: MemberInfo) => {
    setRowBusy(member.email);
    setRowError(null);
    try {
      const { removeProjectMember } = await gqlRequest<
        RemoveProjectMemberData,
        { project: string; email: string }
      >(REMOVE_PROJECT_MEMBER, { project: project.name, email: member.email });
      setMembers(removeProjectMember);
    } catch (err) {
      setRowError({ email: member.email, message: errorMessage(err) });
    } finally {
      setRowBusy(null);
    }
  };

  const add = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setAddBusy(true);
    setAddError(null);
    try {
      const { setProjectMember } = await gqlRequest<
        SetProjectMemberData,
        { project: string; email: string; role: ProjectRole }
      >(SET_PROJECT_MEMBER, { project: project.name, email: email.trim(), role });
      setMembers(setProjectMember);
      setEmail('');
    } catch (err) {
      setAddError(errorMessage(err));
    } finally {
      setAddBusy(false);
    }
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
        <fieldset className="segmented-radio" disabled={visBusy} data-testid="visibility">
          <legend className="visually-hidden">Visibility of {project.name}</legend>
          {(['private', 'public'] as const).map((v) => (
            <label key={v} className={visibility === v ? 'active' : undefined}>
              <input
                type="radio"
                name={`${id}-visibility`}
                value={v}
                checked={visibility === v}
                onChange={() => void changeVisibility(v)}
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
      {visError ? (
        <p role="alert" className="form-error" data-testid="visibility-error">
          {visError}
        </p>
      ) : null}
      <div className="table-wrap">
        <table className="data compact" data-testid="members-table">
          <caption className="visually-hidden">Members of {project.name}</caption>
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">E-mail</th>
              <th scope="col">Role</th>
              <th scope="col">Since (UTC)</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.userId} data-member-email={m.email}>
                <td>
                  {m.name || <span className="faint">—</span>}
                  {m.userId === viewerId ? <span className="faint"> (you)</span> : null}
                </td>
                <td>{m.email}</td>
                <td>
                  <select
                    value={m.role}
                    disabled={rowBusy === m.email}
                    onChange={(e) => void changeRole(m, e.target.value as ProjectRole)}
                    aria-label={`Role of ${m.email} in ${project.name}`}
                    data-testid="member-role"
                  >
                    {PROJECT_ROLES.map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </select>
                </td>
                <td>{formatTimestamp(m.since)}</td>
                <td className="actions-cell">
                  <button
                    type="button"
                    className="btn"
                    disabled={rowBusy === m.email}
                    onClick={() => void remove(m)}
                    aria-label={`Remove ${m.email} from ${project.name}`}
                    data-testid="member-remove"
                  >
                    Remove
                  </button>
                  {rowError?.email === m.email ? (
                    <p role="alert" className="form-error">
                      {rowError.message}
                    </p>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form className="form-row add-member" onSubmit={(e) => void add(e)} data-testid="add-member">
        <div className="field">
          <label htmlFor={`${id}-email`}>Add by e-mail</label>
          <input
            id={`${id}-email`}
            className="text-input"
            type="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            data-testid="member-email"
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-role`}>Role</label>
          <select
            id={`${id}-role`}
            value={role}
            onChange={(e) => setRole(e.target.value as ProjectRole)}
            aria-describedby={`${id}-role-help`}
            data-testid="member-new-role"
          >
            {PROJECT_ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
        <button
          type="submit"
          className="btn btn-primary"
          disabled={addBusy}
          data-testid="member-add"
        >
          {addBusy ? 'Adding…' : 'Add member'}
        </button>
        <span id={`${id}-role-help`} className="field-help">
          {role}: {ROLE_HELP[role]}
        </span>
      </form>
      {addError ? (
        <p role="alert" className="form-error" data-testid="add-member-error">
          {addError}
        </p>
      ) : null}
    </article>
  );
}
