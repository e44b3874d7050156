// Whether a GraphQL request asks for a field of a resolver's result, so a resolver can skip
// work nobody reads (the runs table's COUNT when a client pages without totalCount).
import type { GraphQLResolveInfo, SelectionSetNode } from 'graphql';

/**
 * True when `field` is selected directly on the resolved field (through fragments too). A
 * field under @include/@skip counts as selected: the answer may only err towards the work.
 */
export function selectsField(info: GraphQLResolveInfo, field: string): boolean {
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).some((s) => {
      if (s.kind === 'Field') return s.name.value === field;
      if (s.kind === 'InlineFragment') return visit(s.selectionSet);
      const name = s.name.value;
      if (seen.has(name)) return false;
      seen.add(name);
      return visit(info.fragments[name]?.selectionSet);
    });
  return info.fieldNodes.some((node) => visit(node.selectionSet));
}
