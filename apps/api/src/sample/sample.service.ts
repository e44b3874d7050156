// Sample images of an evaluation: the run's `<split>-samples.bin` artifact (raw uint8 pixels,
// row-major [count, height, width, channels], image i = the prediction with sample index i,
// uploaded by libs/ml RunTracker.logSamples) described from its metadata, and one image of it
// encoded as PNG. A finished run's artifacts are never replaced, so a later evaluation of it
// (`npm run evaluate`) stores its images as `<split>-samples-<tag>.bin`; the newest wins.
import sharp from 'sharp';
import { apiError, badInput, ErrorCode, notFound } from '../common/errors';
import { isJsonObject } from '../common/json';
import type { ArtifactModel, ArtifactService } from '../artifact/artifact.service';

/** Largest accepted `scale` of a sample PNG. */
export const MAX_SAMPLE_SCALE = 16;
/** Largest side of a scaled sample PNG, in pixels (bounds the work of one request). */
export const MAX_SAMPLE_SIDE = 2048;

/** Name of the samples artifact of a split (the name libs/ml uploads). */
export function samplesArtifactName(split: string): string {
  return `${split}-samples.bin`;
}

/**
 * True if `name` holds the images of `split`: `<split>-samples.bin`, or
 * `<split>-samples-<tag>.bin` (letters, digits, `_`) stored by a later evaluation.
 */
export function isSamplesArtifactOf(name: string, split: string): boolean {
  if (name === samplesArtifactName(split)) return true;
  const prefix = `${split}-samples-`;
  return (
    name.startsWith(prefix) &&
    name.endsWith('.bin') &&
    /^[A-Za-z0-9_]+$/.test(name.slice(prefix.length, -'.bin'.length))
  );
}

/** The newest samples artifact of `split` among a run's artifacts (latest createdAt, then name). */
export function latestSamplesArtifact(
  artifacts: readonly ArtifactModel[],
  split: string,
): ArtifactModel | undefined {
  let best: ArtifactModel | undefined;
  for (const a of artifacts) {
    if (!isSamplesArtifactOf(a.name, split)) continue;
    const newer =
      !best ||
      a.createdAt.getTime() > best.createdAt.getTime() ||
      (a.createdAt.getTime() === best.createdAt.getTime() && a.name > best.name);
    if (newer) best = a;
  }
  return best;
}

/** The stored images of a split (shape of the SampleImages GraphQL type). */
export interface SampleSetModel {
  split: string;
  /** Images stored: sample indices 0..count-1. */
  count: number;
  /** Images in the evaluated split (count may be smaller: the upload is bounded). */
  total: number;
  height: number;
  width: number;
  channels: number;
  /** Hash of the artifact's bytes (changes when the images are replaced). */
  sha256: string;
}

/** One encoded sample image. */
export interface SamplePng {
  png: Buffer;
  /** Strong ETag (quoted): artifact hash, index and scale. */
  etag: string;
}

const dim = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

/**
 * Reads the shape of a samples artifact from its metadata and checks it describes the bytes.
 * @throws INVALID_STATE naming what is wrong (the artifact was not written by logSamples)
 */
export function describeSamples(artifact: ArtifactModel, split: string): SampleSetModel {
  const m = artifact.metadata;
  const bad = (what: string) =>
    apiError(
      ErrorCode.INVALID_STATE,
      `Artifact ${artifact.name} of run ${artifact.runId} is not a samples artifact: ${what}`,
      { artifact: artifact.name },
    );
  if (!isJsonObject(m)) throw bad('no metadata describing its shape');
  if (m.format !== 'uint8-nhwc') throw bad(`format is ${String(m.format)}, expected uint8-nhwc`);
  const { count, height, width, channels } = m;
  if (!dim(count) || !dim(height) || !dim(width) || !dim(channels) || channels > 4)
    throw bad('metadata needs positive integers count, height, width, and channels from 1 to 4');
  if (artifact.bytes !== count * height * width * channels)
    throw bad(
      `${artifact.bytes} bytes, expected count x height x width x channels = ${count * height * width * channels}`,
    );
  const total = dim(m.total) && m.total >= count ? m.total : count;
  return { split, count, total, height, width, channels, sha256: artifact.sha256 };
}

/** Parses a `scale` query value: an integer in [1, MAX_SAMPLE_SCALE] (default 1). */
export function parseScale(raw: unknown): number {
  if (raw === undefined) return 1;
  const scale = typeof raw === 'string' && /^\d{1,3}$/.test(raw) ? Number(raw) : NaN;
  if (!(scale >= 1 && scale <= MAX_SAMPLE_SCALE))
    throw badInput(`scale must be an integer from 1 to ${MAX_SAMPLE_SCALE}, got ${String(raw)}`, {
      field: 'scale',
    });
  return scale;
}

/** Serves the sample images of runs. */
export class SampleService {
  constructor(private readonly artifacts: ArtifactService) {}

  /** The samples of a run's split from its artifacts (as loaded for Run.artifacts); null when none. */
  fromArtifacts(artifacts: readonly ArtifactModel[], split: string): SampleSetModel | null {
    const a = latestSamplesArtifact(artifacts, split);
    return a ? describeSamples(a, split) : null;
  }

  /**
   * The ETag and (unless `ifNoneMatch` matches it) the PNG of sample `index` of a run's split,
   * `scale` times larger with nearest-neighbour sampling (pixels stay sharp).
   * @throws NOT_FOUND (entity Run, Samples or Sample), BAD_USER_INPUT for a bad scale or size
   */
  async png(
    runId: string,
    index: number,
    options: { split: string; scale: number; ifNoneMatch?: (etag: string) => boolean },
  ): Promise<{ etag: string; png: Buffer | null }> {
    const { split, scale } = options;
    const name = samplesArtifactName(split);
    const latest = latestSamplesArtifact(await this.artifacts.listOfRun(runId), split);
    if (!latest)
      throw apiError(
        ErrorCode.NOT_FOUND,
        `Run ${runId} has no sample images of the ${split} split (no ${name} artifact; runs logged before images were stored have none)`,
        { entity: 'Samples', id: `${runId}/${name}` },
      );
    const located = await this.artifacts.locate(runId, latest.name);
    const set = describeSamples(located.artifact, split);
    if (!Number.isSafeInteger(index) || index < 0 || index >= set.count)
      throw apiError(
        ErrorCode.NOT_FOUND,
        `Sample ${index} not found: run ${runId} stores ${split} samples 0 to ${set.count - 1}` +
          (set.total > set.count ? ` (of ${set.total} evaluated)` : ''),
        { entity: 'Sample', id: String(index), count: set.count },
      );
    if (Math.max(set.height, set.width) * scale > MAX_SAMPLE_SIDE)
      throw badInput(
        `scale ${scale} makes a ${set.width * scale} x ${set.height * scale} image; the largest side allowed is ${MAX_SAMPLE_SIDE}`,
        { field: 'scale' },
      );
    const etag = `"${set.sha256}-${index}-${scale}"`;
    if (options.ifNoneMatch?.(etag)) return { etag, png: null };

    const size = set.height * set.width * set.channels;
    // One sample's bytes from the store (a ranged read: the set may be large).
    const pixels = await this.artifacts.read(located.artifact.sha256, {
      range: { start: index * size, end: (index + 1) * size - 1 },
      maxBytes: size,
    });
    if (pixels.length !== size) throw notFound('Sample', String(index));
    let image = sharp(pixels, {
      raw: { width: set.width, height: set.height, channels: set.channels as 1 | 2 | 3 | 4 },
    });
    if (scale > 1)
      image = image.resize(set.width * scale, set.height * scale, { kernel: 'nearest' });
    // Grayscale stays a one-channel PNG (sharp would otherwise write sRGB).
    if (set.channels === 1) image = image.toColourspace('b-w');
    return { etag, png: await image.png().toBuffer() };
  }
}
