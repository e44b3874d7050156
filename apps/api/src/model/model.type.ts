// GraphQL types of registered models: which artifact of a run is its trained model, and in
// which format, so any framework's run (TF.js, PyTorch via ONNX) names its model the same way.
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { ModelFormat } from './model-format';

export { ModelFormat };

registerEnumType(ModelFormat, {
  name: 'ModelFormat',
  description: 'Format of a registered model artifact.',
  valuesConfig: {
    ONNX: {
      description:
        'An ONNX ModelProto file (e.g. torch.onnx.export). Explanations that run a model in the browser or the explain worker need TFJS.',
    },
    TFJS: {
      description:
        'A TensorFlow.js LayersModel: a model.json (modelTopology, weightsManifest) with its weight files beside it.',
    },
  },
});

/** The model registered for a run. */
@ObjectType({ description: 'The trained model of a run: one of its artifacts, in a known format.' })
export class RegisteredModel {
  @Field(() => ModelFormat, { description: 'Format of the artifact.' })
  format!: ModelFormat;

  @Field(() => String, { description: 'Name of the artifact of the run holding the model.' })
  artifactName!: string;

  @Field(() => String, {
    description:
      'Absolute download URL of the artifact: {API public origin}/runs/{runId}/artifacts/{artifactName}.',
  })
  artifactUrl!: string;
}
