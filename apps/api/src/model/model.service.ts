// Model registration rules: the artifact must exist on the run and look like the format it is
// registered as (an ONNX ModelProto's first field, a TF.js model.json's two keys). Runs of the
// TF.js library upload `model.json` and are TFJS without registering anything.
import type { ArtifactModel, ArtifactService } from '../artifact/artifact.service';
import { badInput } from '../common/errors';
import { isJsonObject } from '../common/json';
import type { RunModel } from '../run/run.model';
import type { RunService } from '../run/run.service';
import { limits, LIMITS } from '../common/limits';
import { ModelFormat } from './model-format';
import type { RegisterModelInput } from './model.input';
import type { ModelRepository, ModelRow } from './model.repository';

/** The artifact the TF.js library stores a trained model as. */
export const TFJS_MODEL_ARTIFACT = 'model.json';
/** Largest model.json read to check it (the topology; the weights are separate files). */
const MAX_MODEL_JSON_BYTES = 32 * 1024 * 1024;

/** A run's model as exposed by the API (shape of the RegisteredModel GraphQL type). */
export interface RegisteredModelModel {
  format: ModelFormat;
  artifactName: string;
  artifactUrl: string;
}

/**
 * The ir_version of a serialized ONNX ModelProto, or null when the bytes do not start like one:
 * protobuf field 1 (ir_version) as a varint, tag byte 0x08, then a positive value.
 */
export function onnxIrVersion(bytes: Uint8Array): number | null {
  if (bytes[0] !== 0x08) return null;
  let value = 0;
  for (let i = 1; i < Math.min(bytes.length, 6); i++) {
    const b = bytes[i]!; // i < bytes.length
    value += (b & 0x7f) * 2 ** (7 * (i - 1));
    if ((b & 0x80) === 0) return value > 0 ? value : null;
  }
  return null;
}

/** Registers and reports the models of runs. */
export class ModelService {
  constructor(
    private readonly repo: ModelRepository,
    private readonly artifacts: ArtifactService,
    private readonly runs: RunService,
  ) {}

  /**
   * Registers an artifact of the run as its model (replacing an earlier registration).
   * @throws BAD_USER_INPUT (bad name, content not of the format), NOT_FOUND (run or artifact)
   */
  async register(runId: string, input: RegisterModelInput): Promise<RunModel> {
    const format = input.format;
    const artifactName = limits.id(input.artifactName, 'artifactName', LIMITS.artifactName);
    const { artifact } = await this.artifacts.locate(runId, artifactName);
    if (format === ModelFormat.ONNX) await this.checkOnnx(artifact);
    else await this.checkTfjs(artifact);
    await this.repo.register(runId, format, artifactName);
    return this.runs.get(runId);
  }

  /** Registrations of several runs, in the order of `runIds` (null: unknown run). */
  async registrationsOf(runIds: readonly string[]): Promise<(ModelRow | null)[]> {
    const rows = new Map((await this.repo.findByRunIds(runIds)).map((r) => [r.id, r]));
    return runIds.map((id) => rows.get(id) ?? null);
  }

  /**
   * The model of a run: its registration, else `model.json` as TFJS (what the TF.js library
   * uploads), else null. `artifacts` are the run's artifacts.
   */
  modelOf(
    runId: string,
    row: ModelRow | null,
    artifacts: readonly ArtifactModel[],
  ): RegisteredModelModel | null {
    const format = Object.values(ModelFormat).find((f) => f === row?.modelFormat);
    if (format && row?.modelArtifact)
      return {
        format,
        artifactName: row.modelArtifact,
        artifactUrl: this.artifacts.urlOf(runId, row.modelArtifact),
      };
    const tfjs = artifacts.find((a) => a.name === TFJS_MODEL_ARTIFACT);
    return tfjs
      ? { format: ModelFormat.TFJS, artifactName: tfjs.name, artifactUrl: tfjs.url }
      : null;
  }

  private async checkOnnx(artifact: ArtifactModel): Promise<void> {
    // The first 8 bytes (fewer when the file is shorter) hold the first field.
    const head = await this.artifacts.read(artifact.sha256, {
      range: { start: 0, end: 7 },
      maxBytes: 8,
    });
    if (onnxIrVersion(head) === null)
      throw badInput(
        `Artifact ${artifact.name} is not an ONNX model: an ONNX file is a protobuf ModelProto starting with field 1 (ir_version, first byte 0x08)`,
        { field: 'artifactName', format: ModelFormat.ONNX },
      );
  }

  private async checkTfjs(artifact: ArtifactModel): Promise<void> {
    const problem = (why: string) =>
      badInput(
        `Artifact ${artifact.name} is not a TF.js model.json: ${why} (TFJS needs the model.json with modelTopology and weightsManifest)`,
        { field: 'artifactName', format: ModelFormat.TFJS },
      );
    if (artifact.bytes > MAX_MODEL_JSON_BYTES)
      throw problem(`it has ${artifact.bytes} bytes, more than ${MAX_MODEL_JSON_BYTES}`);
    const text = await this.artifacts.read(artifact.sha256, { maxBytes: MAX_MODEL_JSON_BYTES });
    let json: unknown;
    try {
      json = JSON.parse(text.toString('utf8'));
    } catch {
      throw problem('it is not valid JSON');
    }
    if (!isJsonObject(json)) throw problem('it is not a JSON object');
    if (!isJsonObject(json.modelTopology)) throw problem('modelTopology is missing');
    if (!Array.isArray(json.weightsManifest)) throw problem('weightsManifest is missing');
  }
}
