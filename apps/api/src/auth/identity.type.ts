// GraphQL types of identity: the caller, users, API keys and project members.
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { connectionOf } from '../common/connection';

/**
 * Project roles as a GraphQL enum: upper-case GraphQL names (schema convention), the stored
 * lower-case names as values.
 */
export enum ProjectRole {
  EDITOR = 'editor',
  OWNER = 'owner',
  VIEWER = 'viewer',
}
registerEnumType(ProjectRole, {
  name: 'ProjectRole',
  description: 'What a member may do in a project; each role includes the weaker ones.',
  valuesConfig: {
    EDITOR: {
      description:
        'Also creates runs, logs metrics and evaluations, uploads, edits notes and tags.',
    },
    OWNER: { description: 'Also manages members and visibility, and deletes.' },
    VIEWER: { description: 'Reads the project and its runs.' },
  },
});

/** Who may read a project (upper-case GraphQL names, the stored lower-case names as values). */
export enum ProjectVisibility {
  PRIVATE = 'private',
  PUBLIC = 'public',
}
registerEnumType(ProjectVisibility, {
  name: 'ProjectVisibility',
  description: 'Who may read a project; only members write either way.',
  valuesConfig: {
    PRIVATE: { description: 'Members only.' },
    PUBLIC: { description: 'Anyone may read, signed in or not.' },
  },
});

/** The caller of a request. */
@ObjectType({ description: 'The signed-in caller (null in `me` for anonymous requests).' })
export class Viewer {
  @Field(() => ID, { description: "The caller's user id." })
  id!: string;

  @Field(() => String, { description: "The caller's e-mail address." })
  email!: string;

  @Field(() => String, { description: "The caller's display name." })
  name!: string;

  @Field(() => Boolean, { description: 'Server admin: manages users; owner of every project.' })
  isAdmin!: boolean;

  @Field(() => String, { description: '"session" (dashboard) or "key" (API key).' })
  via!: string;

  @Field(() => ID, { nullable: true, description: 'The API key used, if any.' })
  keyId!: string | null;

  @Field(() => ProjectRole, {
    nullable: true,
    description: 'Role cap of the API key used, if any.',
  })
  keyRole!: ProjectRole | null;
}

/** A user account. */
@ObjectType({ description: 'A user account.' })
export class User {
  @Field(() => ID, { description: 'Unique id.' })
  id!: string;

  @Field(() => String, { description: 'E-mail address, unique; the sign-in name.' })
  email!: string;

  @Field(() => String, { description: 'Display name.' })
  name!: string;

  @Field(() => Boolean, { description: 'Server admin: manages users; owner of every project.' })
  isAdmin!: boolean;

  @Field(() => DateTimeResolver, { description: 'When the account was created.' })
  createdAt!: Date;
}

/** An API key as listed: never the secret. */
@ObjectType({
  description:
    'An API key for scripts and workers. The secret is shown only once, by createApiKey.',
})
export class ApiKey {
  @Field(() => ID, { description: 'Unique id (revokeApiKey takes it).' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'The name given at creation.' })
  name!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The first characters of the key, to recognise it.',
  })
  start!: string | null;

  @Field(() => ID, { description: 'The user the key acts for.' })
  userId!: string;

  @Field(() => ProjectRole, { description: 'The most the key may do in any project.' })
  role!: ProjectRole;

  @Field(() => [ID], {
    nullable: true,
    description: 'Project ids the key is limited to; null = every project of its user.',
  })
  projectIds!: string[] | null;

  @Field(() => Boolean, { description: 'False once revoked.' })
  enabled!: boolean;

  @Field(() => DateTimeResolver, {
    nullable: true,
    description: 'Last time the key was verified (updated at most every few seconds).',
  })
  lastUsedAt!: Date | null;

  @Field(() => DateTimeResolver, {
    nullable: true,
    description: 'When the key stops working; null = never.',
  })
  expiresAt!: Date | null;

  @Field(() => DateTimeResolver, { description: 'When the key was created.' })
  createdAt!: Date;
}

/** A page of users. */
@ObjectType({ description: 'A page of the user accounts (Relay connection), by e-mail then id.' })
export class UserConnection extends connectionOf(User, 'User') {
  @Field(() => Int, { description: 'User accounts, over all pages.' })
  totalCount!: number;
}

/** A page of API keys. */
@ObjectType({
  description:
    'A page of API keys (Relay connection), newest first (createdAt, then id, descending).',
})
export class ApiKeyConnection extends connectionOf(ApiKey, 'ApiKey') {
  @Field(() => Int, { description: 'Keys listed (revoked ones included), over all pages.' })
  totalCount!: number;
}

/** A new key and its secret. */
@ObjectType({ description: 'A newly created API key: `key` is the secret, shown this once.' })
export class CreatedApiKey {
  @Field(() => String, {
    description: 'The secret: send it as "Authorization: Bearer <key>". Shown only here.',
  })
  key!: string;

  @Field(() => ApiKey, { description: 'The key as listed from now on.' })
  apiKey!: ApiKey;
}

/** What createApiKey takes. */
@InputType({ description: 'A new API key.' })
export class CreateApiKeyInput {
  @Field(() => String, { description: '1-100 characters, e.g. "lab worker 3".' })
  name!: string;

  @Field(() => ProjectRole, {
    description: 'The most the key may do (never more than its user may).',
  })
  role!: ProjectRole;

  @Field(() => [String], {
    nullable: true,
    description:
      'Project names to limit the key to (at most 100); omitted = every project of the user.',
  })
  projects?: string[] | null;

  @Field(() => Int, { nullable: true, description: 'Expiry in days (1-3650); omitted = never.' })
  expiresInDays?: number | null;
}

/** What createUser takes. */
@InputType({ description: 'A new user (server admins only).' })
export class CreateUserInput {
  @Field(() => String, { description: 'E-mail address (unique), the sign-in name.' })
  email!: string;

  @Field(() => String, { description: 'Display name.' })
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: '10-128 characters; omitted = random (sign in with a login link).',
  })
  password?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Make the user a server admin.' })
  admin?: boolean | null;
}

/** A member of a project. */
@ObjectType({ description: 'A member of a project and their role.' })
export class ProjectMember {
  @Field(() => ID, { description: "The member's user id." })
  userId!: string;

  @Field(() => String, { description: "The member's e-mail address." })
  email!: string;

  @Field(() => String, { description: "The member's display name." })
  name!: string;

  @Field(() => ProjectRole, { description: 'What the member may do in the project.' })
  role!: ProjectRole;

  @Field(() => DateTimeResolver, { description: 'When the member was added.' })
  since!: Date;
}
