'use client';
import type { ExplainResult } from '../../lib/explain-image';
import styles from '../ExplainImage.module.css';
import { ActivationGrid } from './ActivationGrid';
import { ConversionNote } from './ConversionNote';
import { MethodsCard } from './MethodsCard';
import type { UploadResult } from './result-shaping';

/**
 * The result of a finished job: what was done to the image, the prediction, the methods side by
 * side with their faithfulness, and the activations.
 */
export function ExplainResults({
  r: result,
  cached,
  preview,
  alpha,
  onAlpha,
}: {
  r: ExplainResult;
  /** Whether the API answered from its cache. */
  cached: boolean | undefined;
  /** Object URL of the uploaded image, under the maps. */
  preview: string;
  alpha: number;
  onAlpha: (alpha: number) => void;
}) {
  // The worker's JSON may carry the newer fields (conversion, methods, grid layout).
  const r = result as UploadResult;
  return (
    <div className={styles.resultStack} data-testid="explain-result">
      {r.conversion ? <ConversionNote conversion={r.conversion} /> : null}
      <div className={styles.results}>
        <PredictionCard r={r} cached={cached} />
        <ActivationsCard r={r} />
      </div>
      <MethodsCard
        r={r}
        preview={preview}
        alpha={alpha}
        onAlpha={onAlpha}
        grayscale={(r.conversion?.to.channels ?? 3) === 1}
      />
    </div>
  );
}

/** The top-k classes as probability bars. */
function PredictionCard({ r, cached }: { r: ExplainResult; cached: boolean | undefined }) {
  return (
    <section className="card">
      <div className="card-header">
        <h2>Prediction</h2>
        <span className="meta">
          {cached ? 'cached' : 'computed'}
          {r.durationMs !== undefined ? ` in ${r.durationMs} ms` : ''}
        </span>
      </div>
      <div className="card-body">
        <ol className={styles.bars} data-testid="explain-topk">
          {r.predictions.map((p) => (
            <li key={p.classIndex}>
              <span className={styles.barLabel}>{p.className}</span>
              <span className={styles.barTrack}>
                <span
                  className={styles.barFill}
                  style={{ width: `${(p.probability * 100).toFixed(1)}%` }}
                />
              </span>
              <span className={styles.barValue}>{(p.probability * 100).toFixed(1)}%</span>
            </li>
          ))}
        </ol>
      </div>
    </section>
  );
}

/** The activation grid of the chosen layer, or its strongest units when it is not spatial. */
function ActivationsCard({ r }: { r: UploadResult }) {
  return (
    <section className="card">
      <div className="card-header">
        <h2>Activations</h2>
        <span className="meta">
          {r.activations.layer} ({r.activations.shape.join('×')})
        </span>
      </div>
      <div className="card-body">
        {r.activations.grid ? (
          <ActivationGrid
            grid={r.activations.grid}
            shape={r.activations.shape}
            layer={r.activations.layer}
            statistics={r.activations.statistics}
          />
        ) : (
          <p className="meta">
            {r.activations.shape.join('×')} values: not a spatial layer, no channel grid. Strongest
            units:{' '}
            {topUnits(r.activations.statistics.max)
              .map((u) => `#${u.index} (${u.value.toFixed(2)})`)
              .join(', ')}
          </p>
        )}
      </div>
    </section>
  );
}

/** The five largest values with their indices. */
function topUnits(values: number[]): { index: number; value: number }[] {
  return values
    .map((value, index) => ({ index, value }))
    .sort((a, b) => b.value - a.value)
    .slice(0, 5);
}
