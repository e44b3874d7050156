import { describe, expect, it } from 'vitest';
import { responseMediaType } from './response-media-type';

const JSON_TYPE = 'application/json';
const MODERN = 'application/graphql-response+json';

describe('responseMediaType', () => {
  it('answers legacy JSON when Accept is missing, a wildcard or only JSON', () => {
    expect(responseMediaType(undefined)).toBe(JSON_TYPE);
    expect(responseMediaType('*/*')).toBe(JSON_TYPE);
    expect(responseMediaType('application/*')).toBe(JSON_TYPE);
    expect(responseMediaType('application/json')).toBe(JSON_TYPE);
  });

  it('answers the GraphQL response type when named at least as high as JSON', () => {
    expect(responseMediaType(MODERN)).toBe(MODERN);
    expect(responseMediaType(`${MODERN}, application/json;q=0.9`)).toBe(MODERN);
    expect(responseMediaType(`application/json, ${MODERN}`)).toBe(MODERN);
    expect(responseMediaType(`${MODERN};q=0.5, application/json`)).toBe(JSON_TYPE);
    expect(responseMediaType(`${MODERN};q=0`)).toBe(JSON_TYPE);
  });
});
