// Sample images: GET /runs/:id/samples/:index.png decoded back to the uploaded bytes, the
// errors it answers, ETag/304, and the Run.samples field, on both databases.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRun, databases, startTestApi, uniq, type TestApi } from './helpers';

/** Deterministic distinct pixels: image i, byte j. */
function pixels(count: number, size: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: count * size }, (_, k) => (k * 31 + seed * 17 + (k >> 5)) % 256);
}

/** Decodes a PNG into raw pixels with the PNG's own channel count. */
async function decode(png: Buffer) {
  const meta = await sharp(png).metadata();
  let img = sharp(png);
  // sharp decodes to sRGB by default; keep a grayscale PNG one channel.
  if (meta.channels === 1) img = img.toColourspace('b-w');
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  return { data, info, meta };
}

describe.each(databases)('sample images on $label', (db) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(db);
  });
  afterAll(async () => {
    await api?.stop();
  });

  async function upload(
    runId: string,
    bytes: Uint8Array,
    metadata: Record<string, unknown> | null,
    name = 'test-samples.bin',
  ) {
    const qs = new URLSearchParams({ kind: 'samples' });
    if (metadata) qs.set('metadata', JSON.stringify(metadata));
    const res = await api.fetch(`${api.origin}/runs/${runId}/artifacts/${name}?${qs}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: Buffer.from(bytes),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { sha256: string };
  }

  const get = (runId: string, file: string, init?: RequestInit) =>
    api.fetch(`${api.origin}/runs/${runId}/samples/${file}`, init);

  it('serves each grayscale image as a one-channel PNG with exactly the uploaded pixels', async () => {
    const runId = await createRun(api, { project: uniq('smp') });
    const [h, w] = [7, 5];
    const bytes = pixels(6, h * w, 1);
    await upload(runId, bytes, {
      format: 'uint8-nhwc',
      split: 'test',
      count: 6,
      total: 10,
      height: h,
      width: w,
      channels: 1,
    });
    for (const index of [0, 3, 5]) {
      const res = await get(runId, `${index}.png`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      const { data, info, meta } = await decode(Buffer.from(await res.arrayBuffer()));
      expect(meta.format).toBe('png');
      expect([info.width, info.height, meta.channels]).toEqual([w, h, 1]);
      expect(Array.from(data)).toEqual(
        Array.from(bytes.subarray(index * h * w, (index + 1) * h * w)),
      );
    }
    // Neighbouring images differ, so the test would notice an off-by-one offset.
    expect(Array.from(bytes.subarray(0, h * w))).not.toEqual(
      Array.from(bytes.subarray(h * w, 2 * h * w)),
    );

    const info = await api.ok(
      `query($id: ID!) { run(id: $id) { samples { split count total height width channels sha256 } } }`,
      {
        id: runId,
      },
    );
    expect(info.run.samples).toMatchObject({
      split: 'test',
      count: 6,
      total: 10,
      height: h,
      width: w,
      channels: 1,
    });
    expect(info.run.samples.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('serves RGB images and upscales by nearest neighbour with ?scale', async () => {
    const runId = await createRun(api, { project: uniq('smp') });
    const [h, w, c] = [4, 6, 3];
    const bytes = pixels(3, h * w * c, 2);
    await upload(runId, bytes, {
      format: 'uint8-nhwc',
      count: 3,
      height: h,
      width: w,
      channels: c,
    });
    const image = bytes.subarray(2 * h * w * c, 3 * h * w * c);
    const plain = await decode(Buffer.from(await (await get(runId, '2.png')).arrayBuffer()));
    expect([plain.info.width, plain.info.height, plain.info.channels]).toEqual([w, h, 3]);
    expect(Array.from(plain.data)).toEqual(Array.from(image));

    const scale = 3;
    const res = await get(runId, `2.png?scale=${scale}`);
    expect(res.status).toBe(200);
    const big = await decode(Buffer.from(await res.arrayBuffer()));
    expect([big.info.width, big.info.height]).toEqual([w * scale, h * scale]);
    const expected: number[] = [];
    for (let y = 0; y < h * scale; y++)
      for (let x = 0; x < w * scale; x++)
        for (let k = 0; k < c; k++)
          // -1 (never a byte) where the source pixel is missing, so the comparison fails.
          expected.push(image[(Math.floor(y / scale) * w + Math.floor(x / scale)) * c + k] ?? -1);
    expect(Array.from(big.data)).toEqual(expected);
  });

  it('answers ETag and 304, with an ETag per artifact, index and scale', async () => {
    const runId = await createRun(api, { project: uniq('smp') });
    const { sha256 } = await upload(runId, pixels(2, 9, 3), {
      format: 'uint8-nhwc',
      count: 2,
      height: 3,
      width: 3,
      channels: 1,
    });
    const res = await get(runId, '1.png?scale=2');
    const etag = res.headers.get('etag');
    expect(etag).toBe(`"${sha256}-1-2"`);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const again = await get(runId, '1.png?scale=2', { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    const other = await get(runId, '0.png?scale=2', { headers: { 'if-none-match': etag! } });
    expect(other.status).toBe(200);
    // New bytes under the same name: the old ETag no longer matches.
    const replaced = await upload(runId, pixels(2, 9, 4), {
      format: 'uint8-nhwc',
      count: 2,
      height: 3,
      width: 3,
      channels: 1,
    });
    expect(replaced.sha256).not.toBe(sha256);
    const fresh = await get(runId, '1.png?scale=2', { headers: { 'if-none-match': etag! } });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('etag')).toBe(`"${replaced.sha256}-1-2"`);
  });

  it('answers clear JSON errors: unknown run, no samples, index out of range, bad scale or name', async () => {
    const runId = await createRun(api, { project: uniq('smp') });
    const error = async (res: Response) => {
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      return (await res.json()) as { code: string; message: string };
    };

    let res = await get('no-such-run', '0.png');
    expect(res.status).toBe(404);
    expect(await error(res)).toMatchObject({ code: 'RUN_NOT_FOUND' });

    res = await get(runId, '0.png');
    expect(res.status).toBe(404);
    const none = await error(res);
    expect(none.code).toBe('SAMPLES_NOT_FOUND');
    expect(none.message).toMatch(
      /no sample images of the test split \(no test-samples\.bin artifact/,
    );
    expect(
      (await api.ok(`query($id: ID!) { run(id: $id) { samples { count } } }`, { id: runId })).run
        .samples,
    ).toBeNull();

    await upload(runId, pixels(4, 4, 5), {
      format: 'uint8-nhwc',
      count: 4,
      total: 9,
      height: 2,
      width: 2,
      channels: 1,
    });
    res = await get(runId, '4.png');
    expect(res.status).toBe(404);
    const range = await error(res);
    expect(range.code).toBe('SAMPLE_NOT_FOUND');
    expect(range.message).toBe(
      `Sample 4 not found: run ${runId} stores test samples 0 to 3 (of 9 evaluated)`,
    );

    for (const [file, pattern] of [
      ['-1.png', /<index>\.png/],
      ['1.jpg', /<index>\.png/],
      ['abc.png', /<index>\.png/],
      ['1.png?scale=0', /scale must be an integer from 1 to 16, got 0/],
      ['1.png?scale=17', /scale must be an integer from 1 to 16/],
      ['1.png?scale=2.5', /scale must be an integer/],
      ['1.png?scale=', /scale must be an integer/],
    ] as const) {
      res = await get(runId, file);
      expect(res.status, file).toBe(400);
      const body = await error(res);
      expect(body.code).toBe('BAD_USER_INPUT');
      expect(body.message).toMatch(pattern);
    }
    // Another split has no images.
    res = await get(runId, '0.png?split=validation');
    expect(res.status).toBe(404);
    expect((await error(res)).message).toMatch(/validation split \(no validation-samples\.bin/);
  });

  it('refuses an artifact whose metadata does not describe its bytes (409 naming the problem)', async () => {
    const runId = await createRun(api, { project: uniq('smp') });
    await upload(runId, pixels(3, 4, 6), {
      format: 'uint8-nhwc',
      count: 4,
      height: 2,
      width: 2,
      channels: 1,
    });
    let res = await get(runId, '0.png');
    expect(res.status).toBe(409);
    expect(((await res.json()) as { message: string }).message).toMatch(
      /not a samples artifact: 12 bytes, expected count x height x width x channels = 16/,
    );
    const runId2 = await createRun(api, { project: uniq('smp') });
    await upload(runId2, pixels(1, 4, 6), null);
    res = await get(runId2, '0.png');
    expect(res.status).toBe(409);
    expect(((await res.json()) as { message: string }).message).toMatch(
      /no metadata describing its shape/,
    );
  });
});
