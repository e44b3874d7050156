'use client';
import { CAM_METHODS, type ExplainResult } from '../../lib/explain-image';
import styles from '../ExplainImage.module.css';
import { Overlay } from './Overlay';

/** The three result cards of a finished job: prediction, class activation map and activations. */
export function ExplainResults({
  r,
  cached,
  preview,
  alpha,
  onAlpha,
}: {
  r: ExplainResult;
  /** Whether the API answered from its cache. */
  cached: boolean | undefined;
  /** Object URL of the uploaded image, under the map. */
  preview: string;
  alpha: number;
  onAlpha: (alpha: number) => void;
}) {
  return (
    <div className={styles.results} data-testid="explain-result">
      <PredictionCard r={r} cached={cached} />
      <CamCard r={r} preview={preview} alpha={alpha} onAlpha={onAlpha} />
      <ActivationsCard r={r} />
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

/** The class activation map over the image, with its opacity slider. */
function CamCard({
  r,
  preview,
  alpha,
  onAlpha,
}: {
  r: ExplainResult;
  preview: string;
  alpha: number;
  onAlpha: (alpha: number) => void;
}) {
  return (
    <section className="card">
      <div className="card-header">
        <h2>{CAM_METHODS.find((m) => m.value === r.cam.method)?.label ?? r.cam.method}</h2>
        <span className="meta">
          class {r.cam.className} · layer {r.cam.layer}
        </span>
      </div>
      <div className="card-body">
        <Overlay imageUrl={preview} heatmap={r.cam.heatmap} alpha={alpha} />
        <label className={styles.slider}>
          Heatmap opacity {Math.round(alpha * 100)}%
          <input
            type="range"
            min={0}
            max={1}
            step={0.05}
            value={alpha}
            onChange={(e) => onAlpha(Number(e.target.value))}
            data-testid="explain-alpha"
          />
        </label>
      </div>
    </section>
  );
}

/** The activation grid of the chosen layer, or its strongest units when it is not spatial. */
function ActivationsCard({ r }: { r: ExplainResult }) {
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
          <figure className={styles.grid}>
            {/* A plain <img>: the inline PNG from the worker. */}
            <img
              src={`data:image/png;base64,${r.activations.grid.pngBase64}`}
              width={r.activations.grid.width}
              height={r.activations.grid.height}
              alt={r.activations.grid.caption}
              data-testid="explain-grid"
            />
            <figcaption className="meta">{r.activations.grid.caption}</figcaption>
          </figure>
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
