// IdentityService.setMember's bound: a project has at most MAX_PROJECT_MEMBERS members (so
// Project.members and the member mutations, which list them all, stay bounded).
import { describe, expect, it } from 'vitest';
import { errorCode } from '../common/errors';
import type { Db } from '../db/prisma';
import { AccessRepository, type MemberRow, type UserRow } from './access.repository';
import type { Auth } from './auth';
import { IdentityService, MAX_PROJECT_MEMBERS } from './identity.service';

/** An in-memory stand-in for the repository methods setMember uses. */
function fakeRepo(memberCount: number) {
  const members: MemberRow[] = Array.from({ length: memberCount }, (_, i) => ({
    projectId: 'p',
    userId: `u${i}`,
    role: i === 0 ? 'owner' : 'viewer',
    createdAt: new Date(i),
    user: { email: `u${i}@lab.test`, name: `u${i}` },
  }));
  const user = (email: string): UserRow => ({
    id: email.split('@')[0]!,
    email,
    name: email,
    role: 'user',
    banned: false,
    createdAt: new Date(0),
  });
  const repo = {
    userByEmail: (email: string) => Promise.resolve(user(email)),
    members: () => Promise.resolve([...members]),
    countOwners: () => Promise.resolve(members.filter((m) => m.role === 'owner').length),
    setMember: (projectId: string, userId: string, role: string) => {
      const found = members.find((m) => m.userId === userId);
      if (found) found.role = role;
      else
        members.push({
          projectId,
          userId,
          role,
          createdAt: new Date(),
          user: { email: `${userId}@lab.test`, name: userId },
        });
      return Promise.resolve();
    },
  };
  // The real class with the database methods setMember calls replaced (no database opened).
  return { members, repo: Object.assign(new AccessRepository({} as Db, 'sqlite'), repo) };
}

const noAuth = {} as Auth;

describe('IdentityService.setMember', () => {
  it(`adds members up to ${MAX_PROJECT_MEMBERS}, then refuses a new one with BAD_USER_INPUT`, async () => {
    const { members, repo } = fakeRepo(MAX_PROJECT_MEMBERS - 1);
    const service = new IdentityService(noAuth, repo);
    await service.setMember('p', 'new1@lab.test', 'viewer');
    expect(members).toHaveLength(MAX_PROJECT_MEMBERS);
    const refused = await service.setMember('p', 'new2@lab.test', 'viewer').catch((e) => e);
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect((refused as Error).message).toContain(`at most ${MAX_PROJECT_MEMBERS} members`);
    expect(members).toHaveLength(MAX_PROJECT_MEMBERS);
  });

  it('still changes the role of an existing member of a full project', async () => {
    const { members, repo } = fakeRepo(MAX_PROJECT_MEMBERS);
    const service = new IdentityService(noAuth, repo);
    await service.setMember('p', 'u7@lab.test', 'editor');
    expect(members.find((m) => m.userId === 'u7')?.role).toBe('editor');
    expect(members).toHaveLength(MAX_PROJECT_MEMBERS);
  });
});
