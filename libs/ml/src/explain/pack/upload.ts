/** Storing a computed pack with a run: its files, then its index. */
import type { RunTracker } from '../../tracking/run-tracker';
import { EXPLANATION_INDEX_NAME, type ExplanationIndex, type PackFile } from './types';

/** Uploads in flight at once. */
const PARALLEL_UPLOADS = 4;

/**
 * Uploads every file of a pack, {@link PARALLEL_UPLOADS} at a time, then the index last (so a
 * dashboard that sees the index finds every file it lists).
 * @param beforeIndex called when every file is stored, before the index is (it may complete the index)
 * @returns how many artifacts were uploaded, the index included
 */
export async function uploadPack(
  tracker: RunTracker,
  pack: { files: readonly PackFile[]; index: ExplanationIndex },
  beforeIndex?: (index: ExplanationIndex) => void,
): Promise<number> {
  const { files, index } = pack;
  let next = 0;
  const worker = async () => {
    for (let f = files[next++]; f !== undefined; f = files[next++]) {
      await tracker.uploadArtifact(f.name, f.data, {
        kind: f.kind,
        mimeType: f.mimeType,
        metadata: f.metadata,
      });
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_UPLOADS }, worker));
  beforeIndex?.(index);
  await tracker.uploadArtifact(
    EXPLANATION_INDEX_NAME,
    new TextEncoder().encode(JSON.stringify(index)),
    {
      kind: 'explanations',
      mimeType: 'application/json',
      metadata: {
        kind: 'explanations',
        files: files.length,
        totalBytes: index.totalBytes,
        samples: index.samples.length,
      },
    },
  );
  return files.length + 1;
}
