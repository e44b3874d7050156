// GraphQL inputs of explanation jobs: explainSample's input and the method enum.
import { Field, InputType, Int, registerEnumType } from 'type-graphql';

/**
 * Explanation methods: GraphQL names, valued by the names jobs store and results use (the ones
 * parseExplainParams accepts).
 */
export enum ExplainMethod {
  EIGENCAM = 'eigencam',
  GRADCAM = 'gradcam',
  GRADCAMPP = 'gradcampp',
  INTEGRATED_GRADIENTS = 'integrated-gradients',
  LAYERCAM = 'layercam',
  SALIENCY = 'saliency',
  SCORECAM = 'scorecam',
  SMOOTHGRAD = 'smoothgrad',
}

registerEnumType(ExplainMethod, {
  name: 'ExplainMethod',
  description:
    'An explanation method. CAM methods explain the class at a layer (ExplainSampleInput.layer); input ' +
    'attributions (SALIENCY, SMOOTHGRAD, INTEGRATED_GRADIENTS) explain pixels. Results name them in lower case ' +
    '("integrated-gradients").',
  valuesConfig: {
    EIGENCAM: {
      description: "Eigen-CAM: the first principal component of the layer's activations.",
    },
    GRADCAM: { description: 'Grad-CAM: activations weighted by their mean gradient.' },
    GRADCAMPP: { description: 'Grad-CAM++: higher-order gradient weights.' },
    INTEGRATED_GRADIENTS: { description: 'Integrated gradients from a black baseline.' },
    LAYERCAM: {
      description: 'Layer-CAM: activations weighted by their positive gradients, per position.',
    },
    SALIENCY: { description: 'Vanilla gradients of the class score with respect to the pixels.' },
    SCORECAM: {
      description: 'Score-CAM: each channel weighted by the score of the image it masks (slow).',
    },
    SMOOTHGRAD: { description: 'SmoothGrad: gradients averaged over noisy copies of the image.' },
  },
});

/** Input of explainSample. */
@InputType({
  description:
    "What to explain: sample `index` of the run's stored `split` images, with which methods, for which class and at " +
    'which layer.',
})
export class ExplainSampleInput {
  @Field(() => String, {
    nullable: true,
    defaultValue: 'test',
    description: 'The split whose stored samples hold the image (default "test").',
  })
  split?: string | null;

  @Field(() => Int, {
    description:
      "The sample's index in the split's stored images (0 to Run.samples(split).count - 1).",
  })
  index!: number;

  @Field(() => [ExplainMethod], {
    nullable: true,
    defaultValue: [ExplainMethod.GRADCAM],
    description:
      'Methods to compute into result.methods (1-4, default [GRADCAM]); result.cam uses the first CAM method ' +
      'listed (GRADCAM when none is).',
  })
  methods?: ExplainMethod[] | null;

  @Field(() => Int, {
    nullable: true,
    description: 'The class to explain; null: the predicted class.',
  })
  classIndex?: number | null;

  @Field(() => String, {
    nullable: true,
    description: "The CAM methods' layer (name or nested path); null: the last 4-D layer.",
  })
  layer?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The layer whose activations result.activations holds; null: the CAM layer.',
  })
  activationsLayer?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Classes in result.predictions (1-100, default 5).',
  })
  topK?: number | null;
}
