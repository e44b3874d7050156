import { Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { pageItems } from './page-budget';

function items(source: string, variables: Record<string, unknown> = {}): number {
  const doc = parse(source);
  const operation = doc.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = new Map(
    doc.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  return pageItems(operation, fragments, variables);
}

describe('pageItems', () => {
  it('multiplies page sizes along nested connections, literal or variable', () => {
    expect(items('{ run(id: "r") { name } }')).toBe(1);
    expect(items('{ runs(first: 20) { nodes { artifacts(first: 30) { nodes { name } } } } }')).toBe(
      600,
    );
    expect(
      items(
        'query($n: Int, $m: Int) { runs(first: $n) { nodes { artifacts(last: $m) { nodes { name } } } } }',
        {
          n: 500,
          m: 1000,
        },
      ),
    ).toBe(500_000);
    // A variable's declared default, then the assumed size of 100 for anything unknown.
    expect(
      items(
        'query($m: Int = 7) { runs(first: 3) { nodes { artifacts(first: $m) { nodes { name } } } } }',
      ),
    ).toBe(21);
    expect(items('{ runs { nodes { artifacts { edges { node { name } } } } } }')).toBe(10_000);
  });

  it('takes the worst path, not the sum, and counts fragments where spread', () => {
    const q = `query { runs(first: 10) { nodes { ...A } } projects(first: 4) { nodes { name } } }
      fragment A on Run { artifacts(first: 50) { nodes { name } } predictions(first: 7) { nodes { index } } }`;
    expect(items(q)).toBe(500);
  });

  it('walks each fragment once: a fragment bomb costs no time', () => {
    const defs = Array.from(
      { length: 40 },
      (_, i) => `fragment F${i} on Run { ...F${i + 1} ...F${i + 1} }`,
    ).join('\n');
    const q = `{ runs(first: 2) { nodes { ...F0 } } }\n${defs}\nfragment F40 on Run { artifacts(first: 3) { nodes { name } } }`;
    expect(items(q)).toBe(6);
  });
});
