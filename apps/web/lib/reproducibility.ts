import { graphql } from './gql';
import type { RunReproducibilityQuery } from './gql/graphql';

/**
 * The reproducibility record of one run (Run.reproducibility), git diff and config text
 * included. Fetched once by the run page's card (it does not change while the run trains, and
 * can be 512 KiB: not part of the 2 s live query).
 */
export const RUN_REPRODUCIBILITY_QUERY = graphql(`
  query RunReproducibility($id: ID!) {
    run(id: $id) {
      id
      reproducibility {
        configFile {
          path
          text
          sha256
          truncated
        }
        git {
          commit
          branch
          dirty
          diff
          diffBytes
          diffTruncated
        }
        command
        host
        os {
          platform
          release
          arch
        }
        node
        tfjs
        backend
        dataset {
          sha256
          fileCount
          bytesRead
          truncated
          files {
            path
          }
        }
      }
    }
  }
`);

/** The record as the run page gets it. */
export type ReproducibilityRecord = NonNullable<
  NonNullable<RunReproducibilityQuery['run']>['reproducibility']
>;

/** The compact facts of the record: label, value, and a test id (pure; unit-tested). */
export function reproducibilityFacts(
  r: ReproducibilityRecord,
): { label: string; value: string; testId: string }[] {
  const facts: { label: string; value: string; testId: string }[] = [];
  const add = (label: string, value: string | null | undefined, testId: string) => {
    if (value) facts.push({ label, value, testId });
  };
  add(
    'Git commit',
    r.git
      ? `${r.git.commit.slice(0, 12)}${r.git.branch ? ` (${r.git.branch})` : ''}${r.git.dirty ? ' · dirty' : ' · clean'}`
      : 'not a git checkout',
    'repro-git',
  );
  add('Host', r.host, 'repro-host');
  add('OS', `${r.os.platform} ${r.os.release} (${r.os.arch})`, 'repro-os');
  add('Node.js', r.node, 'repro-node');
  add('TF.js', r.tfjs, 'repro-tfjs');
  add('Backend', r.backend, 'repro-backend');
  add('Config file', r.configFile?.path, 'repro-config');
  add(
    'Dataset',
    r.dataset
      ? `sha256 ${r.dataset.sha256.slice(0, 12)} · ${r.dataset.fileCount.toLocaleString('en-US')} file${r.dataset.fileCount === 1 ? '' : 's'}${r.dataset.truncated ? ' (partial)' : ''}`
      : null,
    'repro-dataset',
  );
  return facts;
}

/** A command line as a shell would read it back (arguments with spaces or quotes quoted). */
export function formatCommand(argv: readonly string[]): string {
  return argv
    .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}

/** What the compare page reads of each run's record (a subset of the type). */
export interface ComparedReproducibility {
  git?: { commit: string; dirty: boolean; branch?: string | null } | null;
  host: string;
  os: { platform: string; release: string; arch: string };
  node: string;
  tfjs?: string | null;
  backend?: string | null;
  dataset?: { sha256: string } | null;
  configFile?: { path: string; sha256: string } | null;
}

/** One compared reproducibility field: its key, whether runs differ, each run's value. */
export interface ReproducibilityDiffRow {
  key: string;
  differs: boolean;
  values: (string | boolean | null)[];
}

const FIELDS: readonly [string, (r: ComparedReproducibility) => string | boolean | null][] = [
  ['repro.git.commit', (r) => r.git?.commit ?? null],
  ['repro.git.dirty', (r) => r.git?.dirty ?? null],
  ['repro.git.branch', (r) => r.git?.branch ?? null],
  ['repro.host', (r) => r.host],
  ['repro.os', (r) => `${r.os.platform} ${r.os.release} ${r.os.arch}`],
  ['repro.node', (r) => r.node],
  ['repro.tfjs', (r) => r.tfjs ?? null],
  ['repro.backend', (r) => r.backend ?? null],
  ['repro.dataset.sha256', (r) => r.dataset?.sha256 ?? null],
  ['repro.config.sha256', (r) => r.configFile?.sha256 ?? null],
];

/**
 * The reproducibility fields of compared runs side by side, in the shape of the hyperparameter
 * rows (pure). Runs without a record read as null throughout; a field null in every run is left
 * out; `differs` when any two runs' values differ.
 */
export function reproducibilityDiff(
  runs: readonly { reproducibility?: ComparedReproducibility | null }[],
): ReproducibilityDiffRow[] {
  if (!runs.some((r) => r.reproducibility)) return [];
  return FIELDS.flatMap(([key, read]) => {
    const values = runs.map((r) => (r.reproducibility ? read(r.reproducibility) : null));
    if (values.every((v) => v === null)) return [];
    const differs = values.some((v) => v !== values[0]);
    return [{ key, differs, values }];
  });
}
