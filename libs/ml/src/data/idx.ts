import { gunzipSync, gzipSync } from 'node:zlib';
import { readFile } from 'node:fs/promises';

/** A decoded IDX array (the format of MNIST and Fashion-MNIST). Only unsigned bytes are supported. */
export interface IdxArray {
  /** Dimensions, e.g. `[count, 28, 28]` for images or `[count]` for labels. */
  shape: number[];
  /** Row-major values. */
  data: Uint8Array;
}

/** Raised for a missing, truncated or malformed IDX file; the message names the file and the problem. */
export class IdxFormatError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'IdxFormatError';
  }
}

const UBYTE = 0x08;

/**
 * Parses an IDX buffer, gzip-compressed or not (detected by the gzip magic bytes).
 * @param bytes file contents
 * @param file name used in error messages
 */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  let raw = bytes;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      raw = gunzipSync(bytes);
    } catch (err) {
      throw new IdxFormatError(file, `corrupt gzip data (${(err as Error).message})`);
    }
  }
  if (raw.length < 4) throw new IdxFormatError(file, `too short for an IDX header (${raw.length} bytes)`);
  if (raw[0] !== 0 || raw[1] !== 0) {
    throw new IdxFormatError(file, 'bad magic number: the first two bytes must be zero');
  }
  const [, , type = 0, rank = 0] = raw;
  if (type !== UBYTE) {
    throw new IdxFormatError(file, `unsupported element type 0x${type.toString(16)} (only unsigned byte 0x08)`);
  }
  if (rank < 1 || rank > 4) throw new IdxFormatError(file, `unsupported rank ${rank}`);
  const headerBytes = 4 + 4 * rank;
  if (raw.length < headerBytes) {
    throw new IdxFormatError(file, `truncated header: ${raw.length} bytes, need ${headerBytes}`);
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const shape: number[] = [];
  for (let d = 0; d < rank; d++) shape.push(view.getUint32(4 + 4 * d, false));
  const expected = shape.reduce((a, b) => a * b, 1);
  const actual = raw.length - headerBytes;
  if (actual < expected) {
    throw new IdxFormatError(
      file,
      `truncated data: header declares shape [${shape.join(', ')}] = ${expected} bytes but only ${actual} follow`,
    );
  }
  if (actual > expected) {
    throw new IdxFormatError(file, `${actual - expected} unexpected trailing bytes after the data`);
  }
  return { shape, data: raw.subarray(headerBytes) };
}

/** Reads and parses one IDX file (`.gz` or plain). Errors name the file. */
export async function readIdxFile(file: string): Promise<IdxArray> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new IdxFormatError(file, code === 'ENOENT' ? 'file not found' : `cannot read (${code ?? err})`);
  }
  return parseIdx(bytes, file);
}

/** Encodes an unsigned-byte IDX array, gzip-compressed (used to build the committed subset). */
export function encodeIdx(array: IdxArray): Buffer {
  const header = Buffer.alloc(4 + 4 * array.shape.length);
  header[2] = UBYTE;
  header[3] = array.shape.length;
  array.shape.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return gzipSync(Buffer.concat([header, Buffer.from(array.data.buffer, array.data.byteOffset, array.data.byteLength)]), {
    level: 9,
  });
}
