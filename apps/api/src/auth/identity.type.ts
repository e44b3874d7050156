// GraphQL types of identity: the caller, users, API keys and project members.
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';

/** Project roles as a GraphQL enum (values are the stored lower-case names). */
export enum ProjectRole {
  viewer = 'viewer',
  editor = 'editor',
  owner = 'owner',
}
registerEnumType(ProjectRole, {
  name: 'ProjectRole',
  description:
    'viewer reads; editor also creates runs, logs, uploads and edits notes and tags; owner also manages members, visibility and deletes.',
});

/** Who may read a project. */
export enum ProjectVisibility {
  private = 'private',
  public = 'public',
}
registerEnumType(ProjectVisibility, {
  name: 'ProjectVisibility',
  description: 'private: members only; public: anyone may read (signed in or not), members write.',
});

/** The caller of a request. */
@ObjectType({ description: 'The signed-in caller (null in `me` for anonymous requests).' })
export class Viewer {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  email!: string;

  @Field(() => String)
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
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  email!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Boolean)
  isAdmin!: boolean;

  @Field(() => DateTimeResolver)
  createdAt!: Date;
}

/** An API key as listed: never the secret. */
@ObjectType({
  description:
    'An API key for scripts and workers. The secret is shown only once, by createApiKey.',
})
export class ApiKey {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
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

  @Field(() => DateTimeResolver, { nullable: true })
  expiresAt!: Date | null;

  @Field(() => DateTimeResolver)
  createdAt!: Date;
}

/** A new key and its secret. */
@ObjectType({ description: 'A newly created API key: `key` is the secret, shown this once.' })
export class CreatedApiKey {
  @Field(() => String)
  key!: string;

  @Field(() => ApiKey)
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
  @Field(() => String)
  email!: string;

  @Field(() => String)
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
  @Field(() => ID)
  userId!: string;

  @Field(() => String)
  email!: string;

  @Field(() => String)
  name!: string;

  @Field(() => ProjectRole)
  role!: ProjectRole;

  @Field(() => DateTimeResolver)
  since!: Date;
}
