import { describe, expect, it } from 'vitest';
import { csvField, csvRecord, probabilityColumns } from './export.service';

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

describe('probability column headers', () => {
  it('names each column p_<class name>, in class order', () => {
    expect(probabilityColumns(['T-shirt/top', 'Trouser', 'Ankle boot'], 3)).toEqual([
      'p_T-shirt/top',
      'p_Trouser',
      'p_Ankle boot',
    ]);
  });

  it('makes repeated names unique with _2, _3, even against a name that looks suffixed', () => {
    expect(probabilityColumns(['cat', 'cat', 'dog', 'cat', 'cat_2'], 5)).toEqual([
      'p_cat',
      'p_cat_2',
      'p_dog',
      'p_cat_3',
      'p_cat_2_2',
    ]);
  });

  it('falls back to the index for missing or blank names', () => {
    expect(probabilityColumns(['a', '  ', '\n'], 4)).toEqual(['p_a', 'p_1', 'p_2', 'p_3']);
    // A blank name's fallback that another class already uses is made unique too.
    expect(probabilityColumns(['1', ''], 2)).toEqual(['p_1', 'p_1_2']);
  });

  it('puts every name on one line and leaves quoting to the record', () => {
    const headers = probabilityColumns(['two\r\nlines', 'tab\there', 'a,"b"', '=SUM(A1)'], 4);
    expect(headers).toEqual(['p_two lines', 'p_tab here', 'p_a,"b"', 'p_=SUM(A1)']);
    expect(csvRecord(['index', ...headers])).toBe(
      'index,p_two lines,p_tab here,"p_a,""b""",p_=SUM(A1)\r\n',
    );
  });
});
