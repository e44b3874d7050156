// GraphQL types of Run.reproducibility: what a run records about how it was made.
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { JSONScalar } from '../common/json-scalar';

/** The experiment config file a run was started with. */
@ObjectType({ description: 'The experiment config file (JSON/YAML) the run was started with.' })
export class ReproducibilityConfigFile {
  @Field(() => String, {
    description: 'Path as given on the command line (at most 1,024 characters).',
  })
  path!: string;

  @Field(() => String, {
    description: 'The file text (at most 64 KiB; the client cuts longer files and sets truncated).',
  })
  text!: string;

  @Field(() => String, { description: 'SHA-256 of the whole file (64 hex characters).' })
  sha256!: string;

  @Field(() => Boolean, { description: 'True when text holds only the first 64 KiB of the file.' })
  truncated!: boolean;
}

/** The git state of the working tree the run was started from. */
@ObjectType({ description: 'Git state of the working tree the run was started from.' })
export class ReproducibilityGit {
  @Field(() => String, { description: 'HEAD commit (7-64 hex characters).' })
  commit!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Current branch (at most 255 characters); null on a detached HEAD.',
  })
  branch!: string | null;

  @Field(() => Boolean, {
    description: 'True when tracked files differed from HEAD or untracked files existed.',
  })
  dirty!: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      'Output of `git diff HEAD` (at most 256 KiB; see diffTruncated); null when the tree was clean.',
  })
  diff!: string | null;

  @Field(() => Float, { description: 'Size of the whole diff in bytes (also when truncated).' })
  diffBytes!: number;

  @Field(() => Boolean, { description: 'True when diff holds only the first 256 KiB.' })
  diffTruncated!: boolean;
}

/** The operating system of the training host. */
@ObjectType({ description: 'Operating system of the training host.' })
export class ReproducibilityOs {
  @Field(() => String, { description: 'Node os.platform(), e.g. linux (at most 255 characters).' })
  platform!: string;

  @Field(() => String, { description: 'Kernel release, os.release() (at most 255 characters).' })
  release!: string;

  @Field(() => String, {
    description: 'CPU architecture, os.arch(), e.g. x64 (at most 255 characters).',
  })
  arch!: string;
}

/** One dataset file the fingerprint covers. */
@ObjectType({ description: 'One dataset file the fingerprint covers.' })
export class ReproducibilityDatasetFile {
  @Field(() => String, {
    description: 'Path relative to the dataset root (at most 1,024 characters).',
  })
  path!: string;

  @Field(() => Float, { description: 'File size in bytes.' })
  bytes!: number;

  @Field(() => String, {
    description: 'SHA-256 of the bytes read (the whole file unless the dataset is truncated).',
  })
  sha256!: string;
}

/** A fingerprint of the dataset files. */
@ObjectType({ description: 'SHA-256 fingerprint of the dataset files the run read.' })
export class ReproducibilityDataset {
  @Field(() => String, {
    description:
      'SHA-256 over every file read, in path order: for each file its relative path, a NUL, its size in decimal, a NUL, then its bytes.',
  })
  sha256!: string;

  @Field(() => Int, { description: 'Files found under the dataset root.' })
  fileCount!: number;

  @Field(() => Float, { description: 'Bytes hashed.' })
  bytesRead!: number;

  @Field(() => Boolean, {
    description:
      'True when the client stopped at its byte budget: the fingerprint then covers only the files listed as read.',
  })
  truncated!: boolean;

  @Field(() => [ReproducibilityDatasetFile], {
    description: 'The files hashed, in path order (at most 200 listed).',
  })
  files!: ReproducibilityDatasetFile[];
}

/** What a run records about how it was made. */
@ObjectType({
  description:
    'How a run was made: config, git state, command line, host, versions and a dataset fingerprint (at most 512 KiB in all).',
})
export class Reproducibility {
  @Field(() => ReproducibilityConfigFile, {
    nullable: true,
    description: 'The config file, when the run came from one; null otherwise.',
  })
  configFile!: ReproducibilityConfigFile | null;

  @Field(() => JSONScalar, {
    nullable: true,
    description:
      'The resolved config after defaults and command-line overrides (a JSON object of at most 64 KiB, 32 levels deep); null when none.',
  })
  resolvedConfig!: Record<string, unknown> | null;

  @Field(() => ReproducibilityGit, {
    nullable: true,
    description: 'Git state of the working tree; null when it was not a git checkout (or no git).',
  })
  git!: ReproducibilityGit | null;

  @Field(() => [String], {
    description: 'The command line (process.argv; at most 256 arguments of 4,096 characters).',
  })
  command!: string[];

  @Field(() => String, { description: 'Host name (at most 255 characters).' })
  host!: string;

  @Field(() => ReproducibilityOs, { description: 'Operating system.' })
  os!: ReproducibilityOs;

  @Field(() => String, { description: 'Node.js version, e.g. v22.11.0 (at most 255 characters).' })
  node!: string;

  @Field(() => String, {
    nullable: true,
    description: 'TensorFlow.js version (at most 255 characters); null when not TF.js.',
  })
  tfjs!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'TF.js backend the run trained on (at most 255 characters); null when unknown.',
  })
  backend!: string | null;

  @Field(() => ReproducibilityDataset, {
    nullable: true,
    description: 'Fingerprint of the dataset files; null when the data was not read from files.',
  })
  dataset!: ReproducibilityDataset | null;
}
