// GraphQL inputs of Run.reproducibility (checked by reproducibility.schema.ts).
import { Field, Float, InputType, Int } from 'type-graphql';
import { JSONScalar } from '../common/json-scalar';

/** The config file a run was started with. */
@InputType({ description: 'The experiment config file the run was started with.' })
export class ReproducibilityConfigFileInput {
  @Field(() => String, { description: 'Path as given (1-1,024 characters).' })
  path!: string;

  @Field(() => String, {
    description: 'The file text, at most 64 KiB (cut longer files and set truncated); no NUL.',
  })
  text!: string;

  @Field(() => String, { description: 'SHA-256 of the whole file: 64 lowercase hex characters.' })
  sha256!: string;

  @Field(() => Boolean, { description: 'True when text is only the start of the file.' })
  truncated!: boolean;
}

/** The git state of the working tree. */
@InputType({ description: 'Git state of the working tree the run was started from.' })
export class ReproducibilityGitInput {
  @Field(() => String, { description: 'HEAD commit: 7-64 lowercase hex characters.' })
  commit!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Current branch (1-255 characters); null on a detached HEAD.',
  })
  branch?: string | null;

  @Field(() => Boolean, { description: 'True when the tree differed from HEAD.' })
  dirty!: boolean;

  @Field(() => String, {
    nullable: true,
    description: '`git diff HEAD`, at most 256 KiB (cut and set diffTruncated); no NUL.',
  })
  diff?: string | null;

  @Field(() => Float, { description: 'Size of the whole diff in bytes (a non-negative integer).' })
  diffBytes!: number;

  @Field(() => Boolean, { description: 'True when diff is only the start of the diff.' })
  diffTruncated!: boolean;
}

/** The operating system of the host. */
@InputType({ description: 'Operating system of the training host.' })
export class ReproducibilityOsInput {
  @Field(() => String, { description: 'os.platform() (1-255 characters).' })
  platform!: string;

  @Field(() => String, { description: 'os.release() (1-255 characters).' })
  release!: string;

  @Field(() => String, { description: 'os.arch() (1-255 characters).' })
  arch!: string;
}

/** One dataset file of the fingerprint. */
@InputType({ description: 'One dataset file the fingerprint covers.' })
export class ReproducibilityDatasetFileInput {
  @Field(() => String, { description: 'Path relative to the dataset root (1-1,024 characters).' })
  path!: string;

  @Field(() => Float, { description: 'File size in bytes (a non-negative integer).' })
  bytes!: number;

  @Field(() => String, { description: 'SHA-256 of the bytes read: 64 lowercase hex characters.' })
  sha256!: string;
}

/** A fingerprint of the dataset files. */
@InputType({ description: 'SHA-256 fingerprint of the dataset files.' })
export class ReproducibilityDatasetInput {
  @Field(() => String, { description: 'SHA-256 over the files read: 64 lowercase hex characters.' })
  sha256!: string;

  @Field(() => Int, { description: 'Files found under the dataset root (>= 0).' })
  fileCount!: number;

  @Field(() => Float, { description: 'Bytes hashed (a non-negative integer).' })
  bytesRead!: number;

  @Field(() => Boolean, { description: 'True when hashing stopped at the byte budget.' })
  truncated!: boolean;

  @Field(() => [ReproducibilityDatasetFileInput], {
    description: 'The files hashed, in path order (at most 200).',
  })
  files!: ReproducibilityDatasetFileInput[];
}

/** How a run was made (createRun.input.reproducibility). */
@InputType({
  description:
    'How a run was made: config, git state, command line, host, versions, dataset fingerprint. At most 512 KiB serialised; every field is checked (BAD_USER_INPUT names the field and the limit).',
})
export class ReproducibilityInput {
  @Field(() => ReproducibilityConfigFileInput, {
    nullable: true,
    description: 'The config file, when one was used.',
  })
  configFile?: ReproducibilityConfigFileInput | null;

  @Field(() => JSONScalar, {
    nullable: true,
    description: 'The resolved config: a JSON object of at most 64 KiB, 32 levels deep.',
  })
  resolvedConfig?: unknown;

  @Field(() => ReproducibilityGitInput, {
    nullable: true,
    description: 'Git state; null when not a git checkout.',
  })
  git?: ReproducibilityGitInput | null;

  @Field(() => [String], {
    description: 'The command line (at most 256 arguments of at most 4,096 characters).',
  })
  command!: string[];

  @Field(() => String, { description: 'Host name (1-255 characters).' })
  host!: string;

  @Field(() => ReproducibilityOsInput, { description: 'Operating system.' })
  os!: ReproducibilityOsInput;

  @Field(() => String, { description: 'Node.js version (1-255 characters).' })
  node!: string;

  @Field(() => String, { nullable: true, description: 'TF.js version (1-255 characters).' })
  tfjs?: string | null;

  @Field(() => String, { nullable: true, description: 'TF.js backend (1-255 characters).' })
  backend?: string | null;

  @Field(() => ReproducibilityDatasetInput, {
    nullable: true,
    description: 'Fingerprint of the dataset files.',
  })
  dataset?: ReproducibilityDatasetInput | null;
}
