// The API's `JSON` scalar: graphql-scalars' GraphQLJSON with a nesting limit checked before
// anything recurses over the value. Without it, a 5,000-deep value sent as a variable reached
// the services and overflowed the stack in JSON.stringify (an internal error), and an inline
// literal was turned into a value by graphql-scalars' recursive parseLiteral. Every JSON field of
// the schema uses this one scalar (a schema cannot hold two types named JSON).
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { JSONResolver } from 'graphql-scalars';
import { jsonDepth, LIMITS } from './limits';

/** Nesting depth of a GraphQL value literal, counted without recursion (stops past `stopAbove`). */
export function literalDepth(ast: ValueNode, stopAbove = Number.POSITIVE_INFINITY): number {
  let max = 0;
  const stack: [ValueNode, number][] = [[ast, 0]];
  while (stack.length > 0) {
    const [node, d] = stack.pop()!;
    if (node.kind !== Kind.OBJECT && node.kind !== Kind.LIST) continue;
    const depth = d + 1;
    if (depth > max) {
      max = depth;
      if (max > stopAbove) return max;
    }
    if (node.kind === Kind.OBJECT) for (const f of node.fields) stack.push([f.value, depth]);
    else for (const v of node.values) stack.push([v, depth]);
  }
  return max;
}

function tooDeep(depth: number, node?: ValueNode): GraphQLError {
  const limit = LIMITS.jsonScalarDepth;
  return new GraphQLError(
    `JSON value is nested more than ${limit} levels deep (found at least ${depth}); the limit is ${limit}`,
    { nodes: node, extensions: { code: 'BAD_USER_INPUT', limit, found: depth } },
  );
}

const base = JSONResolver.toConfig();

/** The JSON scalar (same name, description and behaviour as graphql-scalars' JSON, plus the depth limit). */
export const JSONScalar = new GraphQLScalarType({
  ...base,
  parseValue(value: unknown) {
    const depth = jsonDepth(value, LIMITS.jsonScalarDepth);
    if (depth > LIMITS.jsonScalarDepth) throw tooDeep(depth);
    return value;
  },
  parseLiteral(ast, variables) {
    const depth = literalDepth(ast, LIMITS.jsonScalarDepth);
    if (depth > LIMITS.jsonScalarDepth) throw tooDeep(depth, ast);
    return base.parseLiteral(ast, variables);
  },
});
