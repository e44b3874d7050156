// Every GraphQL document the clients send passes the API's request limits: the dashboard's
// queries (apps/web), the training client's and workers' documents (libs/ml, found in the
// sources) and GraphiQL's standard introspection query. A limit lowered below what a client
// needs fails here, not in a user's browser.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, getIntrospectionQuery, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REQUEST_LIMITS, graphqlLimits } from '../../apps/api/src/common/request-limits';
import * as compare from '../../apps/web/lib/compare';
import * as queries from '../../apps/web/lib/queries';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const schema = buildSchema(fs.readFileSync(path.join(root, 'apps/api/schema.graphql'), 'utf8'));
const { validationRules, parseOptions } = graphqlLimits(DEFAULT_REQUEST_LIMITS);

/** Problems of one document under the limits (empty when it passes). */
function problems(source: string): string[] {
  try {
    // Only the limit rules: whether the fields exist is the schema tests' business.
    const doc = parse(source, parseOptions);
    return validate(schema, doc, validationRules).map((e) => e.message);
  } catch (err) {
    return [(err as Error).message];
  }
}

/** Template literals that are GraphQL operations, interpolations replaced by `__typename`. */
function documentsIn(dir: string): [string, string][] {
  const found: [string, string][] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (!entry.isFile() || !/\.tsx?$/.test(entry.name) || /\.test\.tsx?$/.test(entry.name))
      continue;
    const source = fs.readFileSync(file, 'utf8');
    // An operation: `query Name(...) {`, `mutation {`, ... (not prose that starts with "query").
    for (const m of source.matchAll(/`\s*((?:query|mutation)(?:\s+\w+)?\s*[({][^`]*)`/g))
      found.push([
        `${path.relative(root, file)}:${m.index}`,
        (m[1] ?? '').replace(/\$\{[^}]*\}/g, '__typename'),
      ]);
  }
  return found;
}

describe('request limits and the clients', () => {
  // The exported documents are graphql-codegen's TypedDocumentStrings (String objects), each
  // with the fragments it spreads.
  const web = Object.entries({ ...queries, ...compare } as Record<string, unknown>)
    .flatMap(([name, doc]): [string, string][] =>
      doc instanceof String ? [[name, doc.toString()]] : [],
    )
    .filter(([, doc]) => /^\s*(query|mutation)\b/.test(doc));

  it('pass every query of the dashboard', () => {
    expect(web.map(([name]) => name)).toEqual(
      expect.arrayContaining(['DASHBOARD_QUERY', 'RUN_QUERY', 'COMPARE_QUERY']),
    );
    for (const [name, doc] of web) expect(problems(doc), name).toEqual([]);
    // One aliased roc field per class: 100 classes still pass (about 400 would not).
    expect(problems(queries.rocQuery(10).toString())).toEqual([]);
    expect(problems(queries.rocQuery(100).toString())).toEqual([]);
  });

  it('pass every document of libs/ml and the dashboard sources', () => {
    const docs = [
      ...documentsIn(path.join(root, 'libs/ml/src')),
      ...documentsIn(path.join(root, 'apps/web')),
    ];
    expect(docs.filter(([where]) => where.startsWith('libs/ml')).length).toBeGreaterThanOrEqual(10);
    for (const [where, doc] of docs) expect(problems(doc), where).toEqual([]);
  });

  it('pass the standard GraphiQL introspection query, and refuse a deeper one', () => {
    const standard = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
      oneOf: true,
    });
    expect(problems(standard)).toEqual([]);
    expect(problems(getIntrospectionQuery({ typeDepth: 20 }))).toEqual([
      expect.stringMatching(/^Query too complex: depth \d+ exceeds the limit of 15/),
    ]);
  });
});
