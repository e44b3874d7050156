// GraphQL type of explanation jobs.
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { ExplanationJobKind, ExplanationJobStatus } from './explain-job.service';
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

registerEnumType(ExplanationJobKind, {
  name: 'ExplanationJobKind',
  description: 'What an explanation job computes.',
  valuesConfig: {
    IMAGE: {
      description:
        'Explanations of one image: uploaded (POST /runs/{runId}/explain) or a stored sample (explainSample).',
    },
    PROJECTION: {
      description:
        "The run's embedding projector (requestProjection); the worker stores its files as run artifacts.",
    },
  },
});

/** Where an explained image came from: a stored sample of the run. */
@ObjectType({
  description:
    "A stored sample of the run: image `index` of the split's samples (GET /runs/{runId}/samples/{index}.png).",
})
export class ExplanationSource {
  @Field(() => String, { description: 'The split, e.g. "test".' })
  split!: string;

  @Field(() => Int, { description: "The sample's index in the split's stored images." })
  index!: number;
}

/** An on-demand explanation of an image (or other on-demand work) by a run's stored model. */
@ObjectType({
  description:
    "On-demand work on a run's stored model by an explain worker. IMAGE jobs explain one image (uploaded with " +
    'POST /runs/{runId}/explain, or a stored sample through explainSample): top-k prediction, class activation ' +
    "map, any methods with their faithfulness and one layer's activations, cached per (run, image sha256, params" +
    ', sample). PROJECTION jobs compute the embedding projector (requestProjection).',
})
export class ExplanationJob {
  @Field(() => ID, { description: 'Unique id.' })
  id!: string;

  @Field(() => ID, { description: 'The run whose model explains the image.' })
  runId!: string;

  @Field(() => ExplanationJobKind, { description: 'What the job computes.' })
  kind!: ExplanationJobKind;

  @Field(() => ExplanationJobStatus, { description: 'Where the job stands.' })
  status!: ExplanationJobStatus;

  @Field(() => ExplanationSource, {
    nullable: true,
    description:
      'The stored sample an IMAGE job explains; null for an uploaded image and other kinds.',
  })
  source!: ExplanationSource | null;

  @Field(() => String, {
    nullable: true,
    description: 'The sha256 of the image bytes (hex); null for kinds without an image.',
  })
  imageSha256!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Media type of the image: image/png or image/jpeg; null for kinds without an image.',
  })
  imageMime!: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Size of the image in bytes; null for kinds without an image.',
  })
  imageBytes!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Width of the image in pixels; null for kinds without an image.',
  })
  imageWidth!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Height of the image in pixels; null for kinds without an image.',
  })
  imageHeight!: number | null;

  @Field(() => JSONScalar, {
    description:
      'IMAGE: { method, methods, classIndex, layer, topK, activationsLayer } (null: the default; methods in ' +
      'lower case, e.g. "integrated-gradients"). PROJECTION: {}.',
  })
  params!: unknown;

  @Field(() => JSONScalar, {
    nullable: true,
    description:
      'When DONE, IMAGE: { predictions: [{ classIndex, className, probability }], cam: { method, layer, classIndex, ' +
      'className, score, mapShape, map, heatmapShape, heatmap }, methods: [{ method, classIndex, className, layer ' +
      '(null for input attributions), heatmapShape, heatmap (0-1 rows at the model input size), faithfulness: ' +
      '{ deletionAuc, insertionAuc } }], activations: { layer, shape, statistics, grid }, conversion: { from: ' +
      '{ width, height, channels }, to: { width, height, channels }, steps }, ... }. PROJECTION: what the ' +
      'projector worker stored (artifact names).',
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

  @Field(() => String, {
    nullable: true,
    description: 'GET it for the image; null for kinds without an image.',
  })
  imageUrl!: string | null;
}

/** What explainSample returns. */
@ObjectType({
  description: 'The job explaining a stored sample, and whether it was answered from the cache.',
})
export class ExplainSampleResult {
  @Field(() => ExplanationJob, {
    description: 'The job, at once in any state: poll explanationJob(id) until DONE or FAILED.',
  })
  job!: ExplanationJob;

  @Field(() => Boolean, {
    description:
      'True when the result was stored before this request (the job is DONE; no work was done).',
  })
  cached!: boolean;
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
