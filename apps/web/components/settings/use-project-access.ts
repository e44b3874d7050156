'use client';

import { useState } from 'react';
import { gqlRequest } from '../../lib/graphql';
import {
  REMOVE_PROJECT_MEMBER,
  SET_PROJECT_MEMBER,
  SET_PROJECT_VISIBILITY,
  type MemberInfo,
  type ProjectAccess,
  type ProjectRole,
  type ProjectVisibility,
  apiRole,
  apiVisibility,
  visibilityOf,
} from '../../lib/identity';
import { useAction, useRowAction, type Action, type RowAction } from './use-action';

/** What {@link useProjectAccess} returns. */
export interface ProjectAccessState {
  members: MemberInfo[];
  visibility: ProjectVisibility;
  /** The visibility change under way and its error. */
  visAction: Action;
  /** Role changes and removals, by the member's e-mail. */
  rowAction: RowAction<string>;
  /** Gives `memberEmail` the role `next` (adding them if they are not a member). */
  setMember: (memberEmail: string, next: ProjectRole) => Promise<void>;
  changeVisibility: (next: ProjectVisibility) => void;
  changeRole: (member: MemberInfo, next: ProjectRole) => void;
  remove: (member: MemberInfo) => void;
}

/**
 * Members and visibility of one project, each change one API call whose result replaces the
 * local state.
 */
export function useProjectAccess(project: ProjectAccess): ProjectAccessState {
  const [members, setMembers] = useState<MemberInfo[]>(project.members);
  const [visibility, setVisibility] = useState<ProjectVisibility>(visibilityOf(project.visibility));
  const visAction = useAction();
  const rowAction = useRowAction<string>();

  const setMember = async (memberEmail: string, next: ProjectRole) => {
    const { setProjectMember } = await gqlRequest(SET_PROJECT_MEMBER, {
      project: project.name,
      email: memberEmail,
      role: apiRole(next),
    });
    setMembers(setProjectMember);
  };

  const changeVisibility = (next: ProjectVisibility) => {
    if (next === visibility) return;
    void visAction.run(async () => {
      const { setProjectVisibility } = await gqlRequest(SET_PROJECT_VISIBILITY, {
        project: project.name,
        visibility: apiVisibility(next),
      });
      setVisibility(visibilityOf(setProjectVisibility.visibility));
    });
  };

  const changeRole = (member: MemberInfo, next: ProjectRole) => {
    void rowAction.run(member.email, () => setMember(member.email, next));
  };

  const remove = (member: MemberInfo) => {
    void rowAction.run(member.email, async () => {
      const { removeProjectMember } = await gqlRequest(REMOVE_PROJECT_MEMBER, {
        project: project.name,
        email: member.email,
      });
      setMembers(removeProjectMember);
    });
  };

  return {
    members,
    visibility,
    visAction,
    rowAction,
    setMember,
    changeVisibility,
    changeRole,
    remove,
  };
}
