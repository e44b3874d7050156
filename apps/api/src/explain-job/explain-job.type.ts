// GraphQL type of explanation jobs.
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { ExplanationJobStatus } from './explain-job.service';
import { JSONScalar } from '../common/json-scalar';
import { connectionOf } from '../common/connection';

registerEnumType(ExplanationJobStatus, {
  name: 'ExplanationJobStatus',
  description: 'State of an explanation job.',
  valuesConfig: {
    DONE: { description: 'The result is stored.' },
    FAILED: { description: 'It failed; error says why. A new request for it queues it again.' },
    QUEUED: { description: 'Waiting for an explain worker.' },
    RUNNING: { description: 'Claimed by an explain worker.' },
  },
});

/** An on-demand explanation of an uploaded image by a run's stored model. */
@ObjectType({
  description:
    'An on-demand explanation of an image uploaded with POST /runs/{runId}/explain: top-k prediction, class ' +
    "activation map and one layer's activations, computed by an explain worker from the run's stored model and " +
    'cached per (run, image sha256, params).',
})
export class ExplanationJob {
  @Field(() => ID, { description: 'Unique id.' })
  id!: string;

  @Field(() => ID, { description: 'The run whose model explains the image.' })
  runId!: string;

  @Field(() => ExplanationJobStatus, { description: 'Where the job stands.' })
  status!: ExplanationJobStatus;

  @Field(() => String, { description: 'The sha256 of the uploaded image bytes (hex).' })
  imageSha256!: string;

  @Field(() => String, {
    description: 'Media type of the uploaded image: image/png or image/jpeg.',
  })
  imageMime!: string;

  @Field(() => Int, { description: 'Size of the uploaded image in bytes.' })
  imageBytes!: number;

  @Field(() => Int, { description: 'Width of the uploaded image in pixels.' })
  imageWidth!: number;

  @Field(() => Int, { description: 'Height of the uploaded image in pixels.' })
  imageHeight!: number;

  @Field(() => JSONScalar, {
    description: '{ method, classIndex, layer, topK, activationsLayer } (null: the default).',
  })
  params!: unknown;

  @Field(() => JSONScalar, {
    nullable: true,
    description:
      'When DONE: { predictions: [{ classIndex, className, probability }], cam: { method, layer, classIndex, ' +
      'className, score, mapShape, map, heatmapShape, heatmap }, activations: { layer, shape, statistics, grid }, ... }.',
  })
  result!: unknown;

  @Field(() => String, { nullable: true, description: 'Why the job FAILED.' })
  error!: string | null;

  @Field(() => Int, { description: 'Claims so far (a worker lost mid-job counts).' })
  attempts!: number;

  @Field(() => String, { nullable: true, description: 'The worker that claimed it last.' })
  workerId!: string | null;

  @Field(() => DateTimeResolver, { description: 'When it was queued.' })
  createdAt!: Date;

  @Field(() => DateTimeResolver, {
    nullable: true,
    description: 'When its last claim began; null while never claimed.',
  })
  startedAt!: Date | null;

  @Field(() => DateTimeResolver, {
    nullable: true,
    description: 'When it became DONE or FAILED; null before.',
  })
  finishedAt!: Date | null;

  @Field(() => String, { description: 'GET it to poll the job (JSON { job }).' })
  url!: string;

  @Field(() => String, { description: 'GET it for the uploaded image.' })
  imageUrl!: string;
}

/** What claimExplanationJob returns: the job plus the secret that completes or fails it. */
@ObjectType({
  description:
    'An explanation job handed to a worker by claimExplanationJob, with the claimToken that completeExplanationJob ' +
    'and failExplanationJob require (shown only here; a job queued again gets a new one at its next claim).',
})
export class ClaimedExplanationJob extends ExplanationJob {
  @Field(() => String, {
    description: 'Secret of this claim: send it with the result or the error of the job.',
  })
  claimToken!: string;
}

/** A page of a run's explanation jobs. */
@ObjectType({
  description: "A page of a run's explanation jobs (Relay connection), newest first.",
})
export class ExplanationJobConnection extends connectionOf(ExplanationJob, 'ExplanationJob') {}
