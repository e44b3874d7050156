import { writeModelDir } from '../../models/serialize-model';
import type { TrainingCallback } from '../training-callback';

/** Writes the trained model to `dir` (`model.json` + `weights.bin`) when training ends. */
export function modelExportCallback(dir: string): TrainingCallback {
  return {
    name: 'model-export',
    onTrainEnd: async ({ serialized }) => {
      await writeModelDir(dir, await serialized());
    },
  };
}
