// Nullable lookups (`run(id)`, `project(name)`, `explanationJob(id)`) answer null both for an
// unknown id and for one the caller may not read, so the two cannot be told apart.
import { errorCode } from '../common/errors';

/** Runs a guard check; false when it answered NOT_FOUND, rethrows anything else. */
export async function readable(check: () => Promise<unknown>): Promise<boolean> {
  try {
    await check();
    return true;
  } catch (err) {
    if (errorCode(err) === 'NOT_FOUND') return false;
    throw err;
  }
}
