import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  compareProjectorHref,
  PROJECTION_JOB_QUERY,
  projectorArtifactUrl,
  REQUEST_PROJECTION_MUTATION,
  sampleExplainHref,
} from './projector';

const schema = buildSchema(
  readFileSync(new URL('../../api/schema.graphql', import.meta.url), 'utf8'),
);

describe('projector documents and links', () => {
  it('the hand-written documents are valid against the API schema', () => {
    for (const doc of [REQUEST_PROJECTION_MUTATION, PROJECTION_JOB_QUERY])
      expect(validate(schema, parse(doc.toString())).map((e) => e.message)).toEqual([]);
  });

  it('encodes run ids in every link', () => {
    expect(projectorArtifactUrl('r 1')).toBe('/runs/r%201/artifacts/projector.json');
    expect(sampleExplainHref('r/1', 42)).toBe('/runs/r%2F1/explain?sample=42');
    expect(compareProjectorHref('a&b', 'c')).toBe('/compare/projector?a=a%26b&b=c');
  });
});
