// The committed contract must be exactly what the code emits (run emit-schema.ts to update).
import fs from 'node:fs';
import { buildSchema, findBreakingChanges, findDangerousChanges } from 'graphql';
import { describe, expect, it } from 'vitest';
import { emitSchemaText, schemaFilePath } from '../src/emit-schema';

describe('schema.graphql', () => {
  it('has no change the code made without updating the committed contract', async () => {
    // Named changes first: a code change that breaks the committed contract (and so every client
    // typed against it) fails here with what broke, before the text comparison below.
    const committed = buildSchema(fs.readFileSync(schemaFilePath, 'utf8'));
    const emitted = buildSchema(await emitSchemaText());
    const named = (c: { type: string; description: string }) => `${c.type}: ${c.description}`;
    expect(findBreakingChanges(committed, emitted).map(named)).toEqual([]);
    expect(findDangerousChanges(committed, emitted).map(named)).toEqual([]);
  });

  it('matches the schema built from the code', async () => {
    const committed = fs.readFileSync(schemaFilePath, 'utf8');
    const emitted = await emitSchemaText();
    expect(
      committed,
      'apps/api/schema.graphql is stale: run `npx tsx apps/api/src/emit-schema.ts`',
    ).toBe(emitted);
  });

  it('parses and keeps the names the clients use', async () => {
    const schema = buildSchema(await emitSchemaText());
    const query = schema.getQueryType()!.getFields();
    expect(Object.keys(query).sort()).toEqual([
      'apiKeys',
      'compareRuns',
      'explanationJob',
      'me',
      'presets',
      'project',
      'projects',
      'run',
      'runs',
      'savedViews',
      'sweep',
      'sweeps',
      'users',
      'workers',
    ]);
    const mutation = schema.getMutationType()!.getFields();
    for (const m of [
      'createProject',
      'createRun',
      'startRun',
      'heartbeat',
      'logMetrics',
      'finishRun',
      'updateRun',
      'logEvaluation',
      'claimExplanationJob',
      'completeExplanationJob',
      'failExplanationJob',
      'explainSample',
      'requestProjection',
      'queueRun',
      'cancelRun',
      'registerWorker',
      'claimJob',
      'heartbeatWorker',
      'completeJob',
      'failJob',
      'acknowledgeCancel',
      'startQueuedRun',
      'createSweep',
      'pauseSweep',
      'resumeSweep',
      'stopSweep',
    ])
      expect(mutation[m]).toBeDefined();
    const run = schema.getType('Run') as import('graphql').GraphQLObjectType;
    for (const f of ['evaluation', 'evaluations', 'predictions', 'explanationJobs'])
      expect(run.getFields()[f]).toBeDefined();
  });
});
