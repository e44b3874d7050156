// GraphQL types of runs and run pages.
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { Project } from '../project/project.type';
import { FinalRunStatus, RunStatus } from './run-status';
import { JSONScalar } from '../common/json-scalar';

registerEnumType(RunStatus, { name: 'RunStatus' });
registerEnumType(FinalRunStatus, { name: 'FinalRunStatus' });

/** One training run. Metric, summary and artifact fields are resolved in their modules. */
@ObjectType({ description: 'One training run.' })
export class Run {
  @Field(() => ID)
  id!: string;

  /** Not exposed: used by the Run.project field resolver. */
  projectId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => RunStatus)
  status!: RunStatus;

  @Field(() => Project)
  project?: Project;

  @Field(() => JSONScalar)
  hyperparameters!: Record<string, unknown>;

  @Field(() => [String])
  tags!: string[];

  @Field(() => String, { nullable: true })
  notes!: string | null;

  @Field(() => JSONScalar, { nullable: true })
  modelSummary!: unknown;

  @Field(() => JSONScalar, { nullable: true })
  datasetInfo!: unknown;

  @Field(() => String, { nullable: true })
  backend!: string | null;

  @Field(() => String, { nullable: true })
  backendReason!: string | null;

  @Field(() => String, { nullable: true })
  error!: string | null;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => DateTimeResolver, { nullable: true })
  startedAt!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true })
  endedAt!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true })
  heartbeatAt!: Date | null;
}

/** Relay-style page info. */
@ObjectType()
export class PageInfo {
  @Field(() => String, { nullable: true })
  endCursor!: string | null;

  @Field(() => Boolean)
  hasNextPage!: boolean;
}

/** A page of runs. */
@ObjectType()
export class RunConnection {
  @Field(() => Int)
  totalCount!: number;

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => [Run])
  nodes!: Run[];
}
