// GraphQL operations and types of the settings page: API keys, users, project members and
// visibility (shapes of apps/api/src/auth/identity.type.ts).
import { graphql } from './gql';
import type {
  ApiKeyFieldsFragment,
  MemberFieldsFragment,
  ProjectRole as ApiProjectRole,
  ProjectVisibility as ApiProjectVisibility,
  SettingsQuery,
  UserFieldsFragment,
  UsersQuery,
} from './gql/graphql';

/** Project roles as the dashboard writes them (selector values, labels), weakest first. */
export const PROJECT_ROLES = ['viewer', 'editor', 'owner'] as const;
/** A project role, as the dashboard writes it; the API's enum value is its upper case. */
export type ProjectRole = (typeof PROJECT_ROLES)[number];
/** Who may read a project, as the dashboard writes it. */
export type ProjectVisibility = 'private' | 'public';

const API_ROLES: Record<ProjectRole, ApiProjectRole> = {
  viewer: 'VIEWER',
  editor: 'EDITOR',
  owner: 'OWNER',
};

/** The GraphQL `ProjectRole` of a role. */
export function apiRole(role: ProjectRole): ApiProjectRole {
  return API_ROLES[role];
}

/** A role the API answered, as the dashboard writes it. */
export function roleOf(role: ApiProjectRole): ProjectRole {
  return role === 'OWNER' ? 'owner' : role === 'EDITOR' ? 'editor' : 'viewer';
}

/** The GraphQL `ProjectVisibility` of a visibility. */
export function apiVisibility(visibility: ProjectVisibility): ApiProjectVisibility {
  return visibility === 'public' ? 'PUBLIC' : 'PRIVATE';
}

/** What each role may do, for selector hints. */
export const ROLE_HELP: Record<ProjectRole, string> = {
  viewer: 'reads',
  editor: 'also creates runs, logs metrics, uploads',
  owner: 'also manages members, visibility, deletes',
};

/** An API key as listed (never its secret). */
export type ApiKeyInfo = ApiKeyFieldsFragment;
/** A user account (admins list them). */
export type UserInfo = UserFieldsFragment;
/** A member of a project. */
export type MemberInfo = MemberFieldsFragment;
/** A project with the caller's access to it. */
export type ProjectAccess = SettingsQuery['projects']['nodes'][number];

graphql(`
  fragment ApiKeyFields on ApiKey {
    id
    name
    start
    userId
    role
    projectIds
    enabled
    lastUsedAt
    expiresAt
    createdAt
  }
`);

graphql(`
  fragment UserFields on User {
    id
    email
    name
    isAdmin
    createdAt
  }
`);

graphql(`
  fragment MemberFields on ProjectMember {
    userId
    email
    name
    role
    since
  }
`);

/**
 * Own keys (newest first) and the projects the caller can see (by name), with members where it
 * may see them: `first` of each ({@link SETTINGS_PAGE}).
 */
export const SETTINGS_QUERY = graphql(`
  query Settings($first: Int) {
    apiKeys(first: $first) {
      nodes {
        ...ApiKeyFields
      }
    }
    projects(first: $first) {
      nodes {
        id
        name
        visibility
        myRole
        members {
          ...MemberFields
        }
      }
    }
  }
`);

/** Keys and projects the settings page lists (the API's page limit of both lists). */
export const SETTINGS_PAGE = 500;

/** Result of {@link SETTINGS_QUERY}. */
export type SettingsData = SettingsQuery;

/** Every user (server admins only). */
export const USERS_QUERY = graphql(`
  query Users($first: Int) {
    users(first: $first) {
      nodes {
        ...UserFields
      }
    }
  }
`);

/** Result of {@link USERS_QUERY}. */
export type UsersData = UsersQuery;

/** Most users the settings page lists (the API's page limit). */
export const USERS_PAGE = 500;

/** Creates an API key; the answer's `key` is the secret, shown this once. */
export const CREATE_API_KEY = graphql(`
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      key
      apiKey {
        ...ApiKeyFields
      }
    }
  }
`);

/** Revokes one of the caller's keys. */
export const REVOKE_API_KEY = graphql(`
  mutation RevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) {
      ...ApiKeyFields
    }
  }
`);

/** Creates a user (no password: the new user signs in with a login link). */
export const CREATE_USER = graphql(`
  mutation CreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      ...UserFields
    }
  }
`);

/** A one-time sign-in link for a user. */
export const CREATE_LOGIN_LINK = graphql(`
  mutation CreateLoginLink($email: String!) {
    createLoginLink(email: $email)
  }
`);

/** Grants or withdraws server admin rights. */
export const SET_USER_ADMIN = graphql(`
  mutation SetUserAdmin($userId: ID!, $admin: Boolean!) {
    setUserAdmin(userId: $userId, admin: $admin) {
      ...UserFields
    }
  }
`);

/** Adds a member or changes a role; answers the project's members afterwards. */
export const SET_PROJECT_MEMBER = graphql(`
  mutation SetProjectMember($project: String!, $email: String!, $role: ProjectRole!) {
    setProjectMember(project: $project, email: $email, role: $role) {
      ...MemberFields
    }
  }
`);

/** Removes a member; answers the project's members afterwards. */
export const REMOVE_PROJECT_MEMBER = graphql(`
  mutation RemoveProjectMember($project: String!, $email: String!) {
    removeProjectMember(project: $project, email: $email) {
      ...MemberFields
    }
  }
`);

/** Makes a project public or private. */
export const SET_PROJECT_VISIBILITY = graphql(`
  mutation SetProjectVisibility($project: String!, $visibility: ProjectVisibility!) {
    setProjectVisibility(project: $project, visibility: $visibility) {
      id
      visibility
    }
  }
`);

/** A project's visibility as the API answers it (the `ProjectVisibility` enum), as the dashboard writes it. */
export function visibilityOf(value: ApiProjectVisibility): ProjectVisibility {
  return value === 'PUBLIC' ? 'public' : 'private';
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
