import { describe, expect, it } from 'vitest';
import {
  apiKeyInputSchema,
  emailSchema,
  parseOrThrow,
  SchemaInputError,
  userInputSchema,
} from './identity';

describe('identity schemas (shared by the API and the settings forms)', () => {
  it('trims and lower-cases e-mail addresses, and refuses what is not one', () => {
    expect(emailSchema.parse('  Ana@Lab.Example ')).toBe('ana@lab.example');
    expect(() => parseOrThrow(emailSchema, 'ana at lab')).toThrow(
      'Not an e-mail address: "ana at lab"',
    );
  });

  it('checks an API key: name, role, projects and expiry, naming the field', () => {
    expect(
      apiKeyInputSchema.parse({ name: ' worker 3 ', role: 'editor', expiresInDays: 30 }),
    ).toEqual({
      name: 'worker 3',
      role: 'editor',
      expiresInDays: 30,
    });
    const cases: [object, string, string][] = [
      [{ name: '  ', role: 'editor' }, 'name must be 1-100 characters', 'name'],
      [
        { name: 'a\u200bb', role: 'editor' },
        'name contains control or invisible characters',
        'name',
      ],
      [{ name: 'k', role: 'admin' }, 'role must be viewer, editor or owner, got "admin"', 'role'],
      [
        { name: 'k', role: 'viewer', expiresInDays: 0.5 },
        'expiresInDays must be a whole number of days from 1 to 3650',
        'expiresInDays',
      ],
      [
        { name: 'k', role: 'viewer', expiresInDays: 3651 },
        'expiresInDays must be a whole number of days from 1 to 3650',
        'expiresInDays',
      ],
    ];
    for (const [input, message, field] of cases) {
      const err = (() => {
        try {
          parseOrThrow(apiKeyInputSchema, input);
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(err).toBeInstanceOf(SchemaInputError);
      expect((err as SchemaInputError).message).toBe(message);
      expect((err as SchemaInputError).field).toBe(field);
    }
  });

  it('checks a new user, password length included', () => {
    expect(userInputSchema.parse({ email: 'A@b.c', name: 'Ana' })).toEqual({
      email: 'a@b.c',
      name: 'Ana',
    });
    expect(() =>
      parseOrThrow(userInputSchema, { email: 'a@b.c', name: 'Ana', password: 'short' }),
    ).toThrow('password must be 10-128 characters');
  });
});
