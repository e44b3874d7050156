import type { BadImageFile } from '../../data/image-folder';
import type { RunTracker } from '../../tracking/run-tracker';
import type { TrainingCallback } from '../training-callback';

/** Name of the artifact listing a streamed run's unreadable image files (path and reason). */
export const BAD_FILES_ARTIFACT = 'bad-files.json';

/**
 * Stores every unreadable image file met by the run (at its start and while reading batches),
 * with its reason, as {@link BAD_FILES_ARTIFACT} when training ends; nothing when there is none.
 * @param badFiles read when training ends (the dataset adds files met while reading batches)
 */
export function badFilesCallback(
  tracker: RunTracker,
  badFiles: () => readonly BadImageFile[],
): TrainingCallback {
  return {
    name: 'bad-files',
    onTrainEnd: async () => {
      const files = badFiles();
      if (files.length === 0) return;
      await tracker.uploadArtifact(
        BAD_FILES_ARTIFACT,
        new TextEncoder().encode(JSON.stringify(files, null, 2)),
        {
          kind: 'report',
          mimeType: 'application/json',
          metadata: { description: 'image files skipped as unreadable', count: files.length },
        },
      );
    },
  };
}
