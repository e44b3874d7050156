import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { rocQuery } from './queries';

const schemaFile = fileURLToPath(new URL('../../api/schema.graphql', import.meta.url));
const schema = buildSchema(fs.readFileSync(path.resolve(schemaFile), 'utf8'));

/** Validation errors of a document against the API's schema (empty: it is valid). */
function errorsOf(source: string): string[] {
  return validate(schema, parse(source)).map((e) => e.message);
}

// rocQuery is built at run time (one aliased field per class), out of codegen's reach: it is
// checked against the schema here instead.
describe('rocQuery', () => {
  it('is a valid document of the schema', () => {
    expect(errorsOf(rocQuery(3).toString())).toEqual([]);
    expect(errorsOf(rocQuery(1).toString())).toEqual([]);
  });

  it('is checked: a field the schema lacks is reported', () => {
    const broken = rocQuery(2).toString().replace('fpr', 'falsePositiveRate');
    expect(errorsOf(broken)).toEqual([
      'Cannot query field "falsePositiveRate" on type "RocCurve".',
    ]);
  });
});
