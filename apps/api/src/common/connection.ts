// Relay cursor connections (https://relay.dev/graphql/connections.htm) with keyset cursors.
// A cursor holds the sort key of its item (its values plus a unique tie-breaker such as the id),
// never an offset: rows inserted or deleted while a client pages cannot shift a page, so no item
// is returned twice or skipped. Every paged field of the schema uses these types and helpers.
import type { ClassType } from 'type-graphql';
import { ArgsType, Field, Int, ObjectType } from 'type-graphql';
import type { PageArgs, PageInfoModel } from './keyset';

// The cursor helpers live in keyset.ts, which has no decorators: services and repositories
// import them from there (a module with type-graphql decorators cannot be loaded outside the
// schema's module graph, see schema-loader.ts). They are re-exported here for resolvers.
export * from './keyset';

/** Where a page sits in its list. */
@ObjectType({ description: 'Where a page sits in its list (Relay PageInfo).' })
export class PageInfo implements PageInfoModel {
  @Field(() => Boolean, {
    description:
      'True when more items follow endCursor. With last/before: true when the request had a before cursor.',
  })
  hasNextPage!: boolean;

  @Field(() => Boolean, {
    description:
      'True when items precede startCursor. With first/after: true when the request had an after cursor.',
  })
  hasPreviousPage!: boolean;

  @Field(() => String, {
    nullable: true,
    description: "The first edge's cursor; null when the page is empty.",
  })
  startCursor!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The last edge's cursor; null when the page is empty.",
  })
  endCursor!: string | null;
}

/**
 * The GraphQL edge and connection types of `node`, as an abstract base class: a concrete
 * connection extends it (adding fields such as totalCount) and names itself, e.g.
 * `@ObjectType() class RunConnection extends connectionOf(Run, 'Run') {}`.
 */
export function connectionOf<T extends object>(node: ClassType<T>, nodeName: string) {
  @ObjectType(`${nodeName}Edge`, { description: `One ${nodeName} of a page, with its cursor.` })
  class EdgeType {
    @Field(() => String, {
      description: 'Opaque keyset cursor of this item, for after/before.',
    })
    cursor!: string;

    @Field(() => node, { description: `The ${nodeName}.` })
    node!: T;
  }

  // Never reached from a resolver, so never emitted: only its subclasses are.
  @ObjectType(`${nodeName}ConnectionBase`)
  abstract class ConnectionType {
    @Field(() => [EdgeType], { description: 'The page, each item with its cursor.' })
    edges!: EdgeType[];

    @Field(() => [node], { description: 'The items of edges, for clients that need no cursor.' })
    nodes!: T[];

    @Field(() => PageInfo, { description: 'Cursors and whether more items exist.' })
    pageInfo!: PageInfo;
  }
  return ConnectionType;
}

/** first/after/last/before, as every connection field takes them. */
@ArgsType()
export class ConnectionArgs implements PageArgs {
  @Field(() => Int, {
    nullable: true,
    description:
      "Items after `after` (forward paging). Default and maximum: see the field's description.",
  })
  first?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'An endCursor (or any edge cursor) of the same field with the same ordering.',
  })
  after?: string | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'Items before `before` (backward paging; with no before: the end of the list). Same limits as first.',
  })
  last?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'A startCursor (or any edge cursor) of the same field with the same ordering.',
  })
  before?: string | null;
}
