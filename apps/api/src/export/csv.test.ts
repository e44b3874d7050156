import { describe, expect, it } from 'vitest';
import { csvField, csvRecord } from './export.service';

describe('RFC 4180 CSV', () => {
  it('quotes only fields with commas, quotes, CR or LF, doubling quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField(' spaced ')).toBe(' spaced ');
    expect(csvField(0.1)).toBe('0.1');
    expect(csvField(-2.5e-300)).toBe('-2.5e-300');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
  });

  it('ends every record with CRLF', () => {
    expect(csvRecord(['name', 'step'])).toBe('name,step\r\n');
    expect(csvRecord(['a,"b"', 1, null])).toBe('"a,""b""",1,\r\n');
  });
});
