/** Computing the projector and storing it with a run. */
import type { RunTracker } from '../../tracking/run-tracker';
import type { ProjectorIndex } from './artifact';
import { computeProjectorFiles, type ProjectorInput } from './compute';

/** What {@link logProjector} reports. */
export interface ProjectorLogResult {
  index: ProjectorIndex;
  /** Bytes uploaded. */
  bytes: number;
  /** Wall time of computing and uploading, seconds. */
  seconds: number;
}

/** Computes the projector of `input` and uploads its files with the tracker's run. */
export async function logProjector(
  tracker: RunTracker,
  input: ProjectorInput,
): Promise<ProjectorLogResult> {
  const t0 = performance.now();
  const { files, index } = await computeProjectorFiles(input);
  for (const f of files)
    await tracker.uploadArtifact(f.name, f.data, {
      kind: f.kind,
      mimeType: f.mimeType,
      metadata: f.metadata,
    });
  return {
    index,
    bytes: files.reduce((s, f) => s + f.bytes, 0),
    seconds: (performance.now() - t0) / 1000,
  };
}
