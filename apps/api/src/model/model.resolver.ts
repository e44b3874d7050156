// registerModel and Run.model (registrations batched per request).
import DataLoader from 'dataloader';
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { ApiContext } from '../common/context';
import { Run } from '../run/run.type';
import type { RunModel } from '../run/run.model';
import { RegisterModelInput } from './model.input';
import type { ModelRow } from './model.repository';
import type { RegisteredModelModel } from './model.service';
import { RegisteredModel } from './model.type';

/** One registration loader per request (the context lives as long as the request). */
const registrationLoaders = new WeakMap<ApiContext, DataLoader<string, ModelRow | null>>();

function registrationLoader(ctx: ApiContext): DataLoader<string, ModelRow | null> {
  let loader = registrationLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader((ids) => ctx.services.model.registrationsOf(ids));
    registrationLoaders.set(ctx, loader);
  }
  return loader;
}

/** Model registration of runs. */
@Resolver(() => Run)
export class ModelResolver {
  @Mutation(() => Run, {
    description:
      'Registers an artifact of the run as its trained model (editor role). The artifact must already be uploaded ' +
      '(NOT_FOUND naming it otherwise) and match the format: ONNX files start like a protobuf ModelProto, a TFJS ' +
      'artifact is a model.json with modelTopology and weightsManifest (BAD_USER_INPUT otherwise). A later ' +
      'registration replaces an earlier one; finished runs may register too.',
  })
  async registerModel(
    @Arg('runId', () => ID, { description: 'The run whose artifact is registered.' }) runId: string,
    @Arg('input', () => RegisterModelInput, { description: 'Format and artifact name.' })
    input: RegisterModelInput,
    @Ctx() ctx: ApiContext,
  ): Promise<RunModel> {
    await ctx.guard.requireRun(runId, 'editor');
    return ctx.services.model.register(runId, input);
  }

  @FieldResolver(() => RegisteredModel, {
    nullable: true,
    description:
      'The trained model of the run: the registered one, else the model.json a TF.js run uploads (TFJS); null when none.',
  })
  async model(@Root() run: RunModel, @Ctx() ctx: ApiContext): Promise<RegisteredModelModel | null> {
    const [row, artifacts] = await Promise.all([
      registrationLoader(ctx).load(run.id),
      ctx.loaders.artifactsByRunId.load(run.id),
    ]);
    return ctx.services.model.modelOf(run.id, row, artifacts);
  }
}
