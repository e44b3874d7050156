// GraphQL operations and types of the settings page: API keys, users, project members and
// visibility (shapes of apps/api/src/auth/identity.type.ts).

/** Project roles, weakest first. */
export const PROJECT_ROLES = ['viewer', 'editor', 'owner'] as const;
/** A project role. */
export type ProjectRole = (typeof PROJECT_ROLES)[number];
/** Who may read a project. */
export type ProjectVisibility = 'private' | 'public';

/** What each role may do, for selector hints. */
export const ROLE_HELP: Record<ProjectRole, string> = {
  viewer: 'reads',
  editor: 'also creates runs, logs metrics, uploads',
  owner: 'also manages members, visibility, deletes',
};

/** An API key as listed (never its secret). */
export interface ApiKeyInfo {
  id: string;
  name: string | null;
  /** First characters of the key, to recognise it. */
  start: string | null;
  userId: string;
  role: ProjectRole;
  /** Project ids the key is limited to; null = every project of its user. */
  projectIds: string[] | null;
  enabled: boolean;
  lastUsedAt: string | null;
  expiresAt: string | null;
  createdAt: string;
}

/** A user account (admins list them). */
export interface UserInfo {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  createdAt: string;
}

/** A member of a project. */
export interface MemberInfo {
  userId: string;
  email: string;
  name: string;
  role: ProjectRole;
  since: string;
}

/** A project with the caller's access to it. */
export interface ProjectAccess {
  id: string;
  name: string;
  visibility: ProjectVisibility;
  myRole: ProjectRole | null;
  members: MemberInfo[];
}

const API_KEY_FIELDS =
  'id name start userId role projectIds enabled lastUsedAt expiresAt createdAt';
const USER_FIELDS = 'id email name isAdmin createdAt';
const MEMBER_FIELDS = 'userId email name role since';

/** Own keys and the projects the caller can see (with members where it may see them). */
export const SETTINGS_QUERY = /* GraphQL */ `
  query Settings {
    apiKeys { ${API_KEY_FIELDS} }
    projects { id name visibility myRole members { ${MEMBER_FIELDS} } }
  }
`;

/** Result of {@link SETTINGS_QUERY}. */
export interface SettingsData {
  apiKeys: ApiKeyInfo[];
  projects: ProjectAccess[];
}

/** Every user (server admins only). */
export const USERS_QUERY = /* GraphQL */ `
  query Users($first: Int) {
    users(first: $first) { ${USER_FIELDS} }
  }
`;

/** Result of {@link USERS_QUERY}. */
export interface UsersData {
  users: UserInfo[];
}

/** Most users the settings page lists (the API's page limit). */
export const USERS_PAGE = 500;

export const CREATE_API_KEY = /* GraphQL */ `
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) { key apiKey { ${API_KEY_FIELDS} } }
  }
`;

/** Input of {@link CREATE_API_KEY}. */
export interface CreateApiKeyVariables {
  input: {
    name: string;
    role: ProjectRole;
    projects?: string[] | null;
    expiresInDays?: number | null;
  };
}

/** Result of {@link CREATE_API_KEY}: `key` is the secret, shown this once. */
export interface CreateApiKeyData {
  createApiKey: { key: string; apiKey: ApiKeyInfo };
}

export const REVOKE_API_KEY = /* GraphQL */ `
  mutation RevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) { ${API_KEY_FIELDS} }
  }
`;

/** Result of {@link REVOKE_API_KEY}. */
export interface RevokeApiKeyData {
  revokeApiKey: ApiKeyInfo;
}

export const CREATE_USER = /* GraphQL */ `
  mutation CreateUser($input: CreateUserInput!) {
    createUser(input: $input) { ${USER_FIELDS} }
  }
`;

/** Input of {@link CREATE_USER} (no password: the new user signs in with a login link). */
export interface CreateUserVariables {
  input: { email: string; name: string; admin: boolean };
}

/** Result of {@link CREATE_USER}. */
export interface CreateUserData {
  createUser: UserInfo;
}

export const CREATE_LOGIN_LINK = /* GraphQL */ `
  mutation CreateLoginLink($email: String!) {
    createLoginLink(email: $email)
  }
`;

/** Result of {@link CREATE_LOGIN_LINK}. */
export interface CreateLoginLinkData {
  createLoginLink: string;
}

export const SET_USER_ADMIN = /* GraphQL */ `
  mutation SetUserAdmin($userId: ID!, $admin: Boolean!) {
    setUserAdmin(userId: $userId, admin: $admin) { ${USER_FIELDS} }
  }
`;

/** Result of {@link SET_USER_ADMIN}. */
export interface SetUserAdminData {
  setUserAdmin: UserInfo;
}

export const SET_PROJECT_MEMBER = /* GraphQL */ `
  mutation SetProjectMember($project: String!, $email: String!, $role: ProjectRole!) {
    setProjectMember(project: $project, email: $email, role: $role) { ${MEMBER_FIELDS} }
  }
`;

/** Result of {@link SET_PROJECT_MEMBER}: the project's members afterwards. */
export interface SetProjectMemberData {
  setProjectMember: MemberInfo[];
}

export const REMOVE_PROJECT_MEMBER = /* GraphQL */ `
  mutation RemoveProjectMember($project: String!, $email: String!) {
    removeProjectMember(project: $project, email: $email) { ${MEMBER_FIELDS} }
  }
`;

/** Result of {@link REMOVE_PROJECT_MEMBER}: the project's members afterwards. */
export interface RemoveProjectMemberData {
  removeProjectMember: MemberInfo[];
}

export const SET_PROJECT_VISIBILITY = /* GraphQL */ `
  mutation SetProjectVisibility($project: String!, $visibility: ProjectVisibility!) {
    setProjectVisibility(project: $project, visibility: $visibility) {
      id
      visibility
    }
  }
`;

/** Result of {@link SET_PROJECT_VISIBILITY}. */
export interface SetProjectVisibilityData {
  setProjectVisibility: { id: string; visibility: ProjectVisibility };
}

/** Where a key stands: revoked, expired (at `now`), or active. */
export function keyStatus(
  key: Pick<ApiKeyInfo, 'enabled' | 'expiresAt'>,
  now: number,
): 'active' | 'revoked' | 'expired' {
  if (!key.enabled) return 'revoked';
  if (key.expiresAt && Date.parse(key.expiresAt) <= now) return 'expired';
  return 'active';
}

/** Expiry choices of a new key, in days (null = never). */
export const KEY_EXPIRY_CHOICES: { label: string; days: number | null }[] = [
  { label: 'Never', days: null },
  { label: '7 days', days: 7 },
  { label: '30 days', days: 30 },
  { label: '90 days', days: 90 },
  { label: '1 year', days: 365 },
];
