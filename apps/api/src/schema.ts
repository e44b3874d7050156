// Builds the GraphQL schema from the type-graphql resolvers. This module (and everything it
// imports) uses legacy decorators: load it through schema-loader.ts.
import 'reflect-metadata';
import { lexicographicSortSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { ArtifactResolver } from './artifact/artifact.resolver';
import { enforceGuardChecks } from './auth/guard-enforcer';
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
import { RunManagementResolver } from './run/run-management.resolver';
import { SampleResolver } from './sample/sample.resolver';
import {
  QueueResolver,
  RunWorkerFieldResolver,
  WorkerFieldsResolver,
} from './queue/queue.resolver';
import { SavedViewResolver } from './saved-view/saved-view.resolver';
import { SweepResolver } from './sweep/sweep.resolver';
import { UncertaintyFieldsResolver, UncertaintyResolver } from './uncertainty/uncertainty.resolver';

let built: Promise<GraphQLSchema> | undefined;

// type-graphql builds Query and Mutation without descriptions; the contract documents them.
function describeRootTypes(schema: GraphQLSchema): GraphQLSchema {
  const query = schema.getQueryType();
  const mutation = schema.getMutationType();
  if (query)
    query.description =
      'Reads. Any caller may read public projects; members read their private ones. A field returning one object by id answers null when the id names nothing the caller may read; every other unknown id (in lists of ids, filters and arguments of lists) fails with NOT_FOUND naming it.';
  if (mutation)
    mutation.description =
      'Writes, each checked against the project role it needs (viewer < editor < owner) or server-admin rights. Unknown or unreadable ids fail with NOT_FOUND naming the id; bad input with BAD_USER_INPUT naming the field.';
  return schema;
}

/** The API schema (built once per process; resolvers read services from the context). */
export function buildApiSchema(): Promise<GraphQLSchema> {
  // Sorted so the emitted file does not change with import order.
  built ??= buildSchema({
    resolvers: [
      ProjectResolver,
      RunResolver,
      RunManagementResolver,
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
      SavedViewResolver,
      SweepResolver,
      QueueResolver,
      RunWorkerFieldResolver,
      WorkerFieldsResolver,
    ],
    validate: false,
  })
    // type-graphql cannot declare one-of inputs (RunSortKey): marked on the built schema.
    .then(markOneOfInputs)
    .then(describeRootTypes)
    .then(lexicographicSortSchema)
    // Every root field must ask the AccessGuard (see auth/guard-enforcer.ts).
    .then(enforceGuardChecks);
  return built;
}
