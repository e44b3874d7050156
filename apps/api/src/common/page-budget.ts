// The items a request may ask for through nested connections. graphql-armor's static cost only
// multiplies by a literal `first`, so `runs(first: $n) { nodes { artifacts(first: $m) ... } }`
// with n = 500 and m = 1000 would cost as one item and read 500,000 rows. This check runs once
// the variables are known, before any resolver: the product of page sizes along every path of
// nested connections must stay within the budget.
import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** Most items one request may page through nested connections (the product along a path). */
export const PAGE_ITEMS_BUDGET = 100_000;

/** Page size counted for a connection asked without first/last (most defaults are at most 100). */
const ASSUMED_PAGE_SIZE = 100;

type Variables = Readonly<Record<string, unknown>>;

function intValue(
  field: FieldNode,
  operation: OperationDefinitionNode,
  variables: Variables,
): number | null {
  const arg = field.arguments?.find((a) => a.name.value === 'first' || a.name.value === 'last');
  if (!arg) return null;
  const { value } = arg;
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind !== Kind.VARIABLE) return ASSUMED_PAGE_SIZE;
  const given = variables[value.name.value];
  if (typeof given === 'number') return given;
  const declared = operation.variableDefinitions?.find(
    (d) => d.variable.name.value === value.name.value,
  )?.defaultValue;
  return declared?.kind === Kind.INT ? Number(declared.value) : ASSUMED_PAGE_SIZE;
}

// A field pages when it takes first/last or selects a connection's edges/nodes.
function pageSize(
  field: FieldNode,
  operation: OperationDefinitionNode,
  variables: Variables,
): number {
  const size = intValue(field, operation, variables);
  if (size !== null) return Math.max(1, size);
  const connection = field.selectionSet?.selections.some(
    (s) => s.kind === Kind.FIELD && (s.name.value === 'edges' || s.name.value === 'nodes'),
  );
  return connection ? ASSUMED_PAGE_SIZE : 1;
}

/**
 * The largest product of page sizes along any path of nested connections of `operation`
 * (1 for an operation that pages nothing). Fragments count where they are spread; each
 * fragment is walked once (its worst product is remembered), so a fragment bomb costs no time.
 */
export function pageItems(
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Variables = {},
): number {
  const memo = new Map<string, number>();
  const worstOf = (set: SelectionSetNode, walking: ReadonlySet<string>): number => {
    let worst = 1;
    for (const sel of set.selections) {
      let product = 1;
      if (sel.kind === Kind.FIELD) {
        if (sel.selectionSet)
          product = pageSize(sel, operation, variables) * worstOf(sel.selectionSet, walking);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        product = worstOf(sel.selectionSet, walking);
      } else {
        const name = sel.name.value;
        const fragment = fragments.get(name);
        // A cycle is a validation error of its own; unknown fragments too.
        if (!fragment || walking.has(name)) continue;
        let rel = memo.get(name);
        if (rel === undefined) {
          rel = worstOf(fragment.selectionSet, new Set([...walking, name]));
          memo.set(name, rel);
        }
        product = rel;
      }
      worst = Math.max(worst, product);
    }
    return worst;
  };
  return worstOf(operation.selectionSet, new Set());
}

/** Refuses, before execution, an operation whose nested pages exceed `budget` items. */
export function pageBudgetPlugin(budget = PAGE_ITEMS_BUDGET): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request }) {
          if (!operation) return;
          const fragments = new Map(
            document.definitions
              .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
              .map((d) => [d.name.value, d]),
          );
          const found = pageItems(operation, fragments, request.variables ?? {});
          if (found <= budget) return;
          throw new GraphQLError(
            `Query too complex: its nested pages ask for up to ${found.toLocaleString('en-US')} items; ` +
              `the limit is ${budget.toLocaleString('en-US')} (the product of first/last along nested connections)`,
            {
              extensions: {
                code: 'QUERY_TOO_COMPLEX',
                limit: 'pageItems',
                max: budget,
                found,
                http: { status: 400 },
              },
            },
          );
        },
      };
    },
  };
}
