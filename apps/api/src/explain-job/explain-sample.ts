// The image of a stored sample as an explain job's input: sample `index` of the run's newest
// `<split>-samples.bin`, encoded as PNG by the sample service (the bytes GET
// /runs/:id/samples/:index.png serves), checked first so each mistake gets its own answer.
import { apiError, badInput, ErrorCode } from '../common/errors';
import type { ArtifactService } from '../artifact/artifact.service';
import {
  describeSamples,
  latestSamplesArtifact,
  samplesArtifactName,
  SampleService,
} from '../sample/sample.service';
import type { SampleSource } from './explain-image';

/** Split names the sample route accepts. */
const SPLIT = /^[\w.-]{1,100}$/;

/**
 * Checks a sample reference: a split name and a non-negative index.
 * @throws BAD_USER_INPUT naming the field
 */
export function checkSampleSource(source: SampleSource): SampleSource {
  if (!SPLIT.test(source.split))
    throw badInput(
      `split must be 1-100 letters, digits, '.', '_' or '-', got ${JSON.stringify(source.split)}`,
      {
        field: 'split',
      },
    );
  if (!Number.isSafeInteger(source.index) || source.index < 0)
    throw badInput(`index must be a non-negative integer, got ${source.index}`, { field: 'index' });
  return source;
}

/**
 * The PNG of a stored sample.
 * @throws INVALID_STATE (`reason: SAMPLES_NOT_FOUND`) when the run stored no images of the split;
 *   BAD_USER_INPUT (field `index`) naming the split's count when the index is past it
 */
export async function readSamplePng(
  artifacts: ArtifactService,
  runId: string,
  source: SampleSource,
): Promise<Buffer> {
  const { split, index } = checkSampleSource(source);
  const latest = latestSamplesArtifact(await artifacts.listOfRun(runId), split);
  if (!latest)
    throw apiError(
      ErrorCode.INVALID_STATE,
      `Run ${runId} has no stored ${split} samples: artifact ${samplesArtifactName(split)} is missing (an evaluation stores them; runs logged before images were stored have none)`,
      { reason: 'SAMPLES_NOT_FOUND', artifact: samplesArtifactName(split) },
    );
  const set = describeSamples(latest, split);
  if (index >= set.count)
    throw badInput(
      `index ${index} is out of range: run ${runId} stores ${set.count} ${split} samples (0 to ${set.count - 1})` +
        (set.total > set.count ? ` of the ${set.total} evaluated` : ''),
      { field: 'index', count: set.count },
    );
  const { png } = await new SampleService(artifacts).png(runId, index, { split, scale: 1 });
  // png is null only when an If-None-Match matched, and none was given.
  if (!png) throw new Error('the sample service returned no image');
  return png;
}
