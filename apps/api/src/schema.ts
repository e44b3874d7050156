// Builds the GraphQL schema from the type-graphql resolvers. This module (and everything it
// imports) uses legacy decorators: load it through schema-loader.ts.
import 'reflect-metadata';
import { lexicographicSortSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { ArtifactResolver } from './artifact/artifact.resolver';
import { requireGuardCheck } from './auth/guard-enforcer';
import { IdentityResolver, ProjectAccessResolver } from './auth/identity.resolver';
import { CompareResolver } from './compare/compare.resolver';
import { EvaluationFieldsResolver, EvaluationResolver } from './evaluation/evaluation.resolver';
import { LoggedPredictionsResolver } from './evaluation/logged-predictions.resolver';
import { ExplainJobResolver } from './explain-job/explain-job.resolver';
import { MetricResolver } from './metric/metric.resolver';
import { ModelResolver } from './model/model.resolver';
import { ProjectResolver } from './project/project.resolver';
import { markOneOfInputs } from './run/run.input';
import { RunResolver } from './run/run.resolver';
import { SampleResolver } from './sample/sample.resolver';
import { UncertaintyFieldsResolver, UncertaintyResolver } from './uncertainty/uncertainty.resolver';

let built: Promise<GraphQLSchema> | undefined;

/** The API schema (built once per process; resolvers read services from the context). */
export function buildApiSchema(): Promise<GraphQLSchema> {
  // Sorted so the emitted file does not change with import order.
  built ??= buildSchema({
    resolvers: [
      ProjectResolver,
      RunResolver,
      MetricResolver,
      ArtifactResolver,
      EvaluationResolver,
      EvaluationFieldsResolver,
      LoggedPredictionsResolver,
      CompareResolver,
      SampleResolver,
      ExplainJobResolver,
      UncertaintyResolver,
      UncertaintyFieldsResolver,
      IdentityResolver,
      ProjectAccessResolver,
      ModelResolver,
    ],
    // Every root field must ask the AccessGuard (see auth/guard-enforcer.ts).
    globalMiddlewares: [requireGuardCheck],
    validate: false,
  })
    // type-graphql cannot declare one-of inputs (RunSortKey): marked on the built schema.
    .then(markOneOfInputs)
    .then(lexicographicSortSchema);
  return built;
}
