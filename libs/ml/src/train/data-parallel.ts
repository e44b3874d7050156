import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ImageSplit } from '../data/dataset';
import type { ModelPreset } from '../models/presets';

/*
 * Synchronous data parallelism for the wasm backend, the way PyTorch's DDP does it: every worker
 * thread holds a full replica built from the same preset and seed (so the replicas start
 * identical without any weight broadcast), computes the gradients of its shard of each batch,
 * publishes them in its slot of a SharedArrayBuffer and waits at a barrier. Then, by default
 * ('shared' update), rank r averages the slots over its 1/W slice of the flat parameter vector,
 * runs the optimizer step on that slice (data-parallel-optimizer.ts, float32 like tf.train's) and
 * writes the new values to a shared weight buffer; after a second barrier every replica loads
 * all of them (reduce-scatter + all-gather). The 'replicated' update, the first version, has
 * every replica average all slots and apply the optimizer to all weights itself. Either way the
 * replicas perform the same float operations on the same values and stay bitwise identical.
 *
 * Why threads: TF.js's wasm backend is single-threaded in Node (no WASM threads), so one model
 * uses one core; two processes training at once on 2 cores reached 1.92x one process.
 */

/** Options of {@link createDataParallelTrainer}. */
export interface DataParallelOptions {
  /** Preset every replica is built from with `buildModel` (layers, loss, optimizer). */
  preset: ModelPreset;
  /** Units of the final dense layer, as `buildModel`'s `numClasses`. */
  numClasses: number;
  /**
   * Number of worker threads (replicas). Default: the number of CPUs, at most 4. A batch is
   * split into this many shards, so batches smaller than this leave some workers idle.
   */
  workers?: number;
  /** Seed of the initial weights, as `buildModel`'s `seed` (default 42). */
  seed?: number;
  /** Overrides the preset's learning rate. */
  learningRate?: number;
  /** Training-set size N of the tau-derived weight decay (presets with `weightDecay`). */
  trainSize?: number;
  /** Multiplier of the pixel bytes, as `makeBatch`'s `rescale` (default: divide by 255). */
  rescale?: number;
  /**
   * How the averaged gradient is applied: 'shared' (default) splits the optimizer step over the
   * replicas, each updating 1/W of the weights; 'replicated' repeats it on every replica.
   * Both give the same weights (bitwise, tested); 'replicated' is kept to measure the gain.
   */
  update?: DataParallelUpdate;
}

/** See {@link DataParallelOptions.update}. */
export type DataParallelUpdate = 'shared' | 'replicated';

/** What one data-parallel step reports, as `model.trainOnBatch` with the 'accuracy' metric. */
export interface DataParallelStep {
  /** The batch's mean loss plus regularisation. */
  loss: number;
  /** Fraction of the batch predicted right (the compiled 'accuracy' metric). */
  accuracy: number;
}

/** A set of replicas trained in lock step; see {@link createDataParallelTrainer}. */
export interface DataParallelTrainer {
  /** Number of worker threads (replicas). */
  readonly workers: number;
  /**
   * One optimizer step on the batch `indices` of `split`: the batch is cut into contiguous,
   * near-equal shards, one per worker, and the shard gradients are averaged weighted by shard
   * size, which equals the gradient of the whole batch's mean loss.
   * @returns the batch's mean loss (plus regularisation), as `model.trainOnBatch` reports it
   */
  trainOnBatch(split: ImageSplit, indices: ArrayLike<number>): Promise<number>;
  /** {@link trainOnBatch}, reporting the batch's accuracy as well. */
  step(split: ImageSplit, indices: ArrayLike<number>): Promise<DataParallelStep>;
  /**
   * Puts every replica back to its initial state (weights from the seed, fresh optimizer state),
   * as a newly created trainer; used after measuring a few steps.
   */
  reset(): Promise<void>;
  /**
   * Every weight of one replica (`model.getWeights()` order, trainable and not), copied out.
   * @param rank which replica (default 0). Trainable weights are identical on all replicas;
   *   batch-normalisation moving statistics are each replica's own (as in DDP, rank 0's count).
   */
  getWeights(rank?: number): Promise<Float32Array[]>;
  /** Terminates the worker threads; the trainer cannot be used afterwards. Idempotent. */
  dispose(): Promise<void>;
}

/** What each worker receives as `workerData`. */
export interface WorkerConfig {
  rank: number;
  workers: number;
  preset: ModelPreset;
  numClasses: number;
  seed: number;
  learningRate?: number;
  trainSize?: number;
  rescale?: number;
  update: DataParallelUpdate;
}

/** Indices into the control Int32Array shared by all workers. */
export const CTL_ARRIVED = 0;
export const CTL_ABORT = 1;

/** Messages from the main thread to a worker. */
export type ToWorker =
  | {
      type: 'attach';
      /** `workers * paramCount` float32 gradient slots, one per rank. */
      grads: SharedArrayBuffer;
      /** `2 * workers` float64: every rank's shard loss and shard hits. */
      stats: SharedArrayBuffer;
      /** `paramCount` float32: the trainable weights, flat (written by the shared update). */
      weights: SharedArrayBuffer;
      /** Int32 control words (arrival counter, abort flag). */
      ctl: SharedArrayBuffer;
    }
  | {
      type: 'step';
      /** 1-based step number. */
      step: number;
      /** This worker's shard: pixel bytes and labels of `counts[rank]` images. */
      images: Uint8Array;
      labels: Uint8Array;
      /** Shard size of every rank (the averaging weights). */
      counts: number[];
    }
  | { type: 'reset' }
  | { type: 'getWeights' };

/** Messages from a worker to the main thread. */
export type FromWorker =
  | { type: 'ready'; paramCount: number }
  | { type: 'attached' }
  | { type: 'stepDone'; loss: number; accuracy: number }
  | { type: 'weights'; weights: Float32Array[] }
  | { type: 'error'; message: string };

/** Default worker count: one per CPU, at most 4. */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/**
 * Source of the script each worker evaluates. Node's Worker loads a file entry without the
 * module hooks of its parent (tsx or vitest: "Unknown file extension .ts"), so the TypeScript
 * entry is imported from a tiny eval'd script that registers tsx first. Works under `tsx` and
 * under vitest (both tried). Resolved before any worker starts, so a missing tsx leaks none.
 */
function workerScript(): string {
  const entry = new URL('./data-parallel.worker.ts', import.meta.url).href;
  const tsxApi = import.meta.resolve('tsx/esm/api');
  return (
    `import(${JSON.stringify(tsxApi)})` +
    `.then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`
  );
}

/** One worker and the replies it still owes, in request order. */
interface Replica {
  worker: Worker;
  pending: { resolve: (m: FromWorker) => void; reject: (e: Error) => void }[];
}

class Trainer implements DataParallelTrainer {
  private steps = 0;
  private failure: Error | null = null;
  private disposed = false;
  /** Serialises calls: a step must finish on every worker before anything else starts. */
  private queue: Promise<unknown> = Promise.resolve();
  private ctl: Int32Array | null = null;

  constructor(
    private readonly replicas: Replica[],
    private readonly pixels: number,
  ) {
    replicas.forEach((r) => {
      r.worker.on('message', (m: FromWorker) => {
        const p = r.pending.shift();
        if (m.type === 'error') {
          const err = new Error(m.message);
          p?.reject(err);
          // The other workers may be blocked at the barrier waiting for this one: release them.
          this.fail(err);
        } else p?.resolve(m);
      });
      r.worker.on('error', (err) => this.fail(err));
      r.worker.on('exit', (code) => {
        if (!this.disposed) this.fail(new Error(`data-parallel worker exited with code ${code}`));
      });
    });
  }

  get workers(): number {
    return this.replicas.length;
  }

  /** Marks the trainer broken, wakes workers blocked at the barrier and rejects all waiters. */
  private replica(rank: number): Replica {
    const r = this.replicas[rank];
    if (!r) throw new RangeError(`no replica ${rank} (${this.replicas.length} workers)`);
    return r;
  }

  private fail(err: Error): void {
    this.failure ??= err;
    if (this.ctl) {
      Atomics.store(this.ctl, CTL_ABORT, 1);
      Atomics.notify(this.ctl, CTL_ARRIVED);
    }
    for (const r of this.replicas) for (const p of r.pending.splice(0)) p.reject(err);
  }

  /** Sends one message and resolves with that worker's next reply. */
  request(rank: number, msg: ToWorker, transfer: ArrayBuffer[] = []): Promise<FromWorker> {
    return new Promise<FromWorker>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      const r = this.replica(rank);
      r.pending.push({ resolve, reject });
      r.worker.postMessage(msg, transfer);
    });
  }

  /** Resolves with every worker's next reply (sent unsolicited, e.g. 'ready'). */
  nextReply(rank: number): Promise<FromWorker> {
    return new Promise<FromWorker>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.replica(rank).pending.push({ resolve, reject });
    });
  }

  attachBuffers(paramCount: number): Promise<FromWorker[]> {
    const k = this.replicas.length;
    const grads = new SharedArrayBuffer(k * paramCount * Float32Array.BYTES_PER_ELEMENT);
    const stats = new SharedArrayBuffer(2 * k * Float64Array.BYTES_PER_ELEMENT);
    const weights = new SharedArrayBuffer(paramCount * Float32Array.BYTES_PER_ELEMENT);
    const ctl = new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT);
    this.ctl = new Int32Array(ctl);
    return Promise.all(
      this.replicas.map((_, rank) =>
        this.request(rank, { type: 'attach', grads, stats, weights, ctl }),
      ),
    );
  }

  private serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(() => {
      if (this.disposed) throw new Error('data-parallel trainer is disposed');
      if (this.failure) throw this.failure;
      return run();
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  async trainOnBatch(split: ImageSplit, indices: ArrayLike<number>): Promise<number> {
    return (await this.step(split, indices)).loss;
  }

  step(split: ImageSplit, indices: ArrayLike<number>): Promise<DataParallelStep> {
    return this.serial(async () => {
      const n = indices.length;
      if (n === 0) throw new RangeError('trainOnBatch: empty batch');
      for (let i = 0; i < n; i++) {
        const idx = indices[i] ?? NaN;
        if (!Number.isInteger(idx) || idx < 0 || idx >= split.count)
          throw new RangeError(`trainOnBatch: index ${idx} is outside the split (${split.count})`);
      }
      const k = this.replicas.length;
      // Contiguous near-equal shards: the first n % k shards get one image more.
      const counts = Array.from({ length: k }, (_, r) => Math.floor(n / k) + (r < n % k ? 1 : 0));
      const step = ++this.steps;
      let start = 0;
      const replies = counts.map((count, rank) => {
        const images = new Uint8Array(count * this.pixels);
        const labels = new Uint8Array(count);
        // Every index was checked above to be a sample of the split.
        for (let i = 0; i < count; i++) {
          const src = indices[start + i]!;
          images.set(
            split.images.subarray(src * this.pixels, (src + 1) * this.pixels),
            i * this.pixels,
          );
          labels[i] = split.labels[src]!;
        }
        start += count;
        return this.request(rank, { type: 'step', step, images, labels, counts }, [
          images.buffer,
          labels.buffer,
        ]);
      });
      const [first] = await Promise.all(replies);
      if (first?.type !== 'stepDone') throw new Error(`unexpected reply ${first?.type}`);
      return { loss: first.loss, accuracy: first.accuracy };
    });
  }

  reset(): Promise<void> {
    return this.serial(async () => {
      await Promise.all(this.replicas.map((_, rank) => this.request(rank, { type: 'reset' })));
    });
  }

  getWeights(rank = 0): Promise<Float32Array[]> {
    return this.serial(async () => {
      if (!Number.isInteger(rank) || rank < 0 || rank >= this.replicas.length)
        throw new RangeError(`getWeights: no replica ${rank} (workers: ${this.replicas.length})`);
      const reply = await this.request(rank, { type: 'getWeights' });
      if (reply.type !== 'weights') throw new Error(`unexpected reply ${reply.type}`);
      return reply.weights;
    });
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.fail(new Error('data-parallel trainer is disposed'));
    await Promise.all(this.replicas.map((r) => r.worker.terminate()));
  }
}

/**
 * Creates `workers` replicas of a preset's model, each on its own worker thread with its own
 * wasm backend, trained in lock step by synchronous data parallelism (averaged gradients, no
 * weight broadcasts). Resolves once every replica is built.
 *
 * Workers run the TypeScript sources through tsx (a devDependency of the workspace), so this
 * works under `tsx` and vitest. Dropout and other stochastic layers draw different noise on each
 * replica (their seeds are offset by rank), as independent batches would.
 *
 * @example
 * const trainer = await createDataParallelTrainer({ preset: getPreset('fmnist-cnn'), numClasses: 10 });
 * try {
 *   const loss = await trainer.trainOnBatch(ds.train, [0, 1, 2, 3]);
 *   const weights = await trainer.getWeights(); // into model.setWeights(...)
 * } finally {
 *   await trainer.dispose();
 * }
 */
export async function createDataParallelTrainer(
  options: DataParallelOptions,
): Promise<DataParallelTrainer> {
  const workers = options.workers ?? defaultWorkerCount();
  if (!Number.isInteger(workers) || workers < 1)
    throw new RangeError(`workers must be a positive integer, got ${workers}`);
  const [h, w, c] = options.preset.inputShape;
  const script = workerScript();
  const replicas: Replica[] = [];
  for (let rank = 0; rank < workers; rank++) {
    const config: WorkerConfig = {
      rank,
      workers,
      preset: options.preset,
      numClasses: options.numClasses,
      seed: options.seed ?? 42,
      learningRate: options.learningRate,
      trainSize: options.trainSize,
      rescale: options.rescale,
      update: options.update ?? 'shared',
    };
    replicas.push({ worker: new Worker(script, { eval: true, workerData: config }), pending: [] });
  }
  const trainer = new Trainer(replicas, h * w * c);
  try {
    const ready = await Promise.all(replicas.map((_, rank) => trainer.nextReply(rank)));
    const counts = ready.map((m) => (m.type === 'ready' ? m.paramCount : -1));
    const [paramCount = -1] = counts;
    if (counts.some((n) => n !== paramCount))
      throw new Error(`replicas disagree on the parameter count: ${counts.join(', ')}`);
    await trainer.attachBuffers(paramCount);
  } catch (err) {
    await trainer.dispose();
    throw err;
  }
  return trainer;
}
