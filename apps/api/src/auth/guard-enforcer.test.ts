import { buildSchema, graphql } from 'graphql';
import { describe, expect, it } from 'vitest';
import { enforceGuardChecks, markGuardChecked } from './guard-enforcer';

const tick = () => new Promise((r) => setTimeout(r, 1));

function schema() {
  const s = buildSchema(`
    type Item { name: String }
    type Query { checked: Item, unchecked: Item, late: String }
    type Mutation { write: String }
  `);
  const fields = s.getQueryType()!.getFields();
  fields.checked!.resolve = async () => {
    await tick(); // the check may come after an await: the scope follows the async context
    markGuardChecked();
    return { name: 'a' };
  };
  fields.unchecked!.resolve = () => ({ name: 'b' });
  fields.late!.resolve = async () => {
    await tick();
    return 'no check';
  };
  s.getMutationType()!.getFields().write!.resolve = () => 'written';
  return s;
}

describe('enforceGuardChecks', () => {
  it('answers a root field that asked the guard, fails the others (queries and mutations)', async () => {
    const s = enforceGuardChecks(schema());
    const ok = await graphql({ schema: s, source: '{ checked { name } }' });
    expect(ok).toEqual({ data: { checked: { name: 'a' } } });
    // Root fields run concurrently; each has its own scope, so one check does not cover another.
    const mixed = await graphql({
      schema: s,
      source: '{ checked { name } unchecked { name } late }',
    });
    expect(mixed.data).toEqual({ checked: { name: 'a' }, unchecked: null, late: null });
    expect(mixed.errors?.map((e) => e.message).sort()).toEqual([
      'Query.late returned without a permission check',
      'Query.unchecked returned without a permission check',
    ]);
    const write = await graphql({ schema: s, source: 'mutation { write }' });
    expect(write.errors?.[0]?.message).toBe('Mutation.write returned without a permission check');
  });

  it('leaves nested fields and __typename alone', async () => {
    const s = schema();
    const item = s.getType('Item') as import('graphql').GraphQLObjectType;
    const before = item.getFields().name!.resolve;
    enforceGuardChecks(s);
    expect(item.getFields().name!.resolve).toBe(before);
    expect(await graphql({ schema: s, source: '{ __typename }' })).toEqual({
      data: { __typename: 'Query' },
    });
  });
});
