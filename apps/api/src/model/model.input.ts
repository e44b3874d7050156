// Inputs of model registration.
import { Field, InputType } from 'type-graphql';
import { ModelFormat } from './model.type';

/** What registerModel records. */
@InputType({ description: 'The artifact of a run to register as its model, and its format.' })
export class RegisterModelInput {
  @Field(() => ModelFormat, {
    description:
      'Format of the artifact: ONNX (a ModelProto file) or TFJS (a model.json with modelTopology and weightsManifest).',
  })
  format!: ModelFormat;

  @Field(() => String, {
    description:
      'Name of an artifact already uploaded to the run (PUT /runs/{runId}/artifacts/{name}); 1-255 characters.',
  })
  artifactName!: string;
}
