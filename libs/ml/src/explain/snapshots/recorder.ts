/**
 * The snapshots of one run: chooses the probes once, takes a snapshot when asked, keeps each file
 * and the run's snapshots within their budgets, stores them through the tracker, and writes the
 * index last. Storing never fails training: an upload error is listed in the index.
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageSplit } from '../../data/dataset';
import type { RunTracker } from '../../tracking/run-tracker';
import type { PhaseName } from '../../transfer/phases';
import { defaultCamLayer } from '../graph';
import { downsample, toBase64 } from './encode';
import type { ResolvedSnapshotOptions } from './options';
import { selectProbes } from './probes';
import { takeSnapshot } from './snapshot';
import {
  SNAPSHOT_FINAL_NAME,
  SNAPSHOT_INDEX_NAME,
  SNAPSHOT_KIND,
  SNAPSHOT_PROBES_NAME,
  snapshotName,
  type SnapshotEntry,
  type SnapshotFile,
  type SnapshotIndex,
  type SnapshotProbe,
  type SnapshotProbesFile,
  type SnapshotSkip,
} from './types';

/** Where the recorder stores files (a RunTracker, or a test's fake). */
export type SnapshotSink = Pick<RunTracker, 'uploadArtifact'>;

/** The run's data the snapshots read. */
export interface SnapshotRunData {
  test: ImageSplit;
  /** `[height, width, channels]`. */
  shape: [number, number, number];
  classNames: readonly string[];
  seed: number;
  /** Multiplier of the pixel bytes, as the model was trained (default 1/255, as the pack's). */
  scale?: number;
}

/** Records a run's snapshots; one per run. */
export class SnapshotRecorder {
  readonly entries: SnapshotEntry[] = [];
  readonly skipped: SnapshotSkip[] = [];
  readonly probes: SnapshotProbe[];
  private camLayer: string | null = null;
  private epochSeconds = 0;
  private readonly phases: SnapshotIndex['phases'] = [];

  constructor(
    private readonly sink: SnapshotSink,
    private readonly data: SnapshotRunData,
    readonly options: ResolvedSnapshotOptions,
  ) {
    this.probes = selectProbes(data.test, {
      perClass: options.probesPerClass,
      maxProbes: options.maxProbes,
      seed: data.seed,
      numClasses: data.classNames.length,
    });
  }

  /** Stores the probe images and finds the CAM layer (the explanation pack's default). */
  async begin(model: tf.LayersModel): Promise<void> {
    try {
      this.camLayer = defaultCamLayer(model).path;
    } catch (err) {
      this.skip('gradcam', err);
    }
    await this.store(SNAPSHOT_PROBES_NAME, this.probesFile(), { probes: this.probes.length });
  }

  /** True when a snapshot is due after this 1-based epoch. */
  due(epoch: number): boolean {
    return epoch % this.options.every === 0;
  }

  /**
   * Takes and stores the snapshot after a 1-based `epoch`, unless the run's budgets are spent
   * (then it is listed as skipped). The final one ignores the run's time budget.
   */
  async capture(
    model: tf.LayersModel,
    at: { epoch: number; phase: PhaseName; final: boolean },
  ): Promise<SnapshotFile | undefined> {
    this.notePhase(at.epoch, at.phase);
    const what = at.final ? 'final' : `epoch ${at.epoch}`;
    const o = this.options;
    if (this.entries.length >= o.maxSnapshots - (at.final ? 0 : 1)) {
      this.skipped.push({ what, reason: `${o.maxSnapshots} snapshots per run reached` });
      return undefined;
    }
    if (!at.final && this.epochSeconds > o.maxTotalSeconds) {
      this.skipped.push({ what, reason: `time budget of ${o.maxTotalSeconds} s per run spent` });
      return undefined;
    }
    const images = this.probeImages();
    let snapshot: SnapshotFile;
    try {
      snapshot = takeSnapshot({
        model,
        images,
        probes: this.probes,
        camLayer: this.camLayer,
        ...at,
        filters: { maxFilters: o.maxFilters, scaling: o.filterScaling },
        maxSeconds: o.maxSeconds,
      });
    } finally {
      images.dispose();
    }
    if (!at.final) this.epochSeconds += snapshot.seconds;
    const bytes = this.fit(snapshot);
    if (!bytes) {
      this.skipped.push({ what, reason: `over the byte budget of ${o.maxBytes}` });
      return undefined;
    }
    const name = at.final ? SNAPSHOT_FINAL_NAME : snapshotName(at.epoch);
    const stored = await this.store(name, bytes, {
      epoch: at.epoch,
      phase: at.phase,
      final: at.final,
    });
    if (stored)
      this.entries.push({
        name,
        epoch: at.epoch,
        phase: at.phase,
        final: at.final,
        bytes: bytes.length,
        seconds: snapshot.seconds,
      });
    return snapshot;
  }

  /** The index as it stands. */
  index(): SnapshotIndex {
    return {
      version: 1,
      createdAt: new Date().toISOString(),
      probes: SNAPSHOT_PROBES_NAME,
      every: this.options.every,
      camLayer: this.camLayer,
      phases: this.phases,
      snapshots: this.entries,
      totalBytes: this.entries.reduce((s, e) => s + e.bytes, 0),
      totalSeconds: Number(this.entries.reduce((s, e) => s + e.seconds, 0).toFixed(3)),
      skipped: this.skipped,
    };
  }

  /** Stores the index (after the final snapshot): the one file that lists every snapshot. */
  async finish(): Promise<void> {
    await this.store(SNAPSHOT_INDEX_NAME, jsonBytes(this.index()), {
      snapshots: this.entries.length,
    });
  }

  private notePhase(epoch: number, phase: PhaseName): void {
    const last = this.phases[this.phases.length - 1];
    if (last?.phase === phase) last.epochs = Math.max(last.epochs, epoch - last.firstEpoch + 1);
    else this.phases.push({ phase, firstEpoch: epoch, epochs: 1 });
  }

  /** The JSON bytes of a snapshot within the byte budget, dropping filters then statistics; null if it still does not fit. */
  private fit(snapshot: SnapshotFile): Uint8Array | null {
    let bytes = jsonBytes(snapshot);
    for (const part of ['filters', 'layers', 'cams'] as const) {
      if (bytes.length <= this.options.maxBytes) return bytes;
      if (snapshot[part] === undefined) continue;
      delete snapshot[part];
      snapshot.skipped.push({ what: part, reason: `byte budget of ${this.options.maxBytes}` });
      bytes = jsonBytes(snapshot);
    }
    return bytes.length <= this.options.maxBytes ? bytes : null;
  }

  /** The probes' pixels scaled to floats `[probes, H, W, C]`, as the pack's sampleImages makes them. */
  private probeImages(): tf.Tensor4D {
    const [H, W, C] = this.data.shape;
    const per = H * W * C;
    const scale = this.data.scale ?? 1 / 255;
    const x = new Float32Array(this.probes.length * per);
    this.probes.forEach((p, i) => {
      for (let k = 0; k < per; k++)
        x[i * per + k] = this.data.test.images[p.index * per + k]! * scale;
    });
    return tf.tensor4d(x, [this.probes.length, H, W, C]);
  }

  private probesFile(): Uint8Array {
    const [H, W, C] = this.data.shape;
    const per = H * W * C;
    const raw = new Uint8Array(this.probes.length * per);
    this.probes.forEach((p, i) =>
      raw.set(this.data.test.images.subarray(p.index * per, (p.index + 1) * per), i * per),
    );
    // The smallest whole stride that brings the images within their byte budget.
    const stride = Math.max(1, Math.ceil(Math.sqrt(raw.length / this.options.maxProbeBytes)));
    const small = downsample(raw, [this.probes.length, H, W, C], stride);
    const file: SnapshotProbesFile = {
      version: 1,
      classNames: [...this.data.classNames],
      imageShape: this.data.shape,
      storedShape: small.shape,
      probes: this.probes,
      images: toBase64(small.pixels),
    };
    return jsonBytes(file);
  }

  private async store(
    name: string,
    bytes: Uint8Array,
    metadata: Record<string, unknown>,
  ): Promise<boolean> {
    try {
      await this.sink.uploadArtifact(name, bytes, {
        kind: SNAPSHOT_KIND,
        mimeType: 'application/json',
        metadata: { kind: SNAPSHOT_KIND, ...metadata },
      });
      return true;
    } catch (err) {
      this.skip(name, err);
      return false;
    }
  }

  private skip(what: string, err: unknown): void {
    this.skipped.push({ what, reason: err instanceof Error ? err.message : String(err) });
  }
}

function jsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}
