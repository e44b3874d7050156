'use client';
import styles from '../ExplainImage.module.css';
import { Overlay } from './Overlay';
import {
  methodLabel,
  rankedMethodResults,
  type RankedResult,
  type UploadResult,
} from './result-shaping';

/** What the faithfulness numbers mean (legend text and the tiles' tooltip). */
const FAITHFULNESS_HELP =
  'Deletion AUC: the class probability as the most salient pixels are removed first (lower is ' +
  'better: the map found what the model needs). Insertion AUC: the probability as they are ' +
  'added to a blank image first (higher is better). Score = insertion − deletion; the highest ' +
  'score is marked most faithful.';

/** Every computed method's map over the image, side by side, with its faithfulness. */
export function MethodsCard({
  r,
  preview,
  alpha,
  onAlpha,
  grayscale,
}: {
  r: UploadResult;
  preview: string;
  alpha: number;
  onAlpha: (alpha: number) => void;
  /** The model saw the image in grey. */
  grayscale: boolean;
}) {
  const ranked = rankedMethodResults(r);
  const first = ranked[0]?.result;
  return (
    <section className="card" data-testid="explain-methods-card">
      <div className="card-header">
        <h2>Where the model looked</h2>
        <span className="meta">
          class {first?.className ?? r.cam.className}
          {ranked.length > 1 ? ` · ${ranked.length} methods side by side` : ''}
        </span>
      </div>
      <div className="card-body">
        <div className={styles.methodTiles} data-testid="explain-method-tiles">
          {ranked.map((m) => (
            <MethodTile
              key={m.method}
              m={m}
              preview={preview}
              alpha={alpha}
              grayscale={grayscale}
            />
          ))}
        </div>
        {r.skipped?.length ? (
          <ul className="meta" data-testid="explain-skipped-methods">
            {r.skipped.map((m) => (
              <li key={m.method}>
                {methodLabel(m.method)} not computed: {m.reason}
              </li>
            ))}
          </ul>
        ) : null}
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
        <p className={`meta ${styles.faithLegend}`} data-testid="explain-faithfulness-legend">
          <span className={styles.bestBadge}>most faithful</span> {FAITHFULNESS_HELP}
        </p>
      </div>
    </section>
  );
}

/** One method: its map over the image, its layer and class, its AUCs and score. */
function MethodTile({
  m,
  preview,
  alpha,
  grayscale,
}: {
  m: RankedResult;
  preview: string;
  alpha: number;
  grayscale: boolean;
}) {
  const f = m.result.faithfulness;
  const label = methodLabel(m.method);
  return (
    <figure
      className={`${styles.methodTile} ${m.best ? styles.bestTile : ''}`}
      data-testid="explain-method-tile"
      data-method={m.method}
      data-best={m.best ? 'true' : 'false'}
    >
      <figcaption className={styles.methodHead}>
        <strong>{label}</strong>
        {m.best ? <span className={styles.bestBadge}>most faithful</span> : null}
      </figcaption>
      <Overlay
        imageUrl={preview}
        heatmap={m.result.heatmap}
        alpha={alpha}
        size={200}
        grayscale={grayscale}
        label={`${label} for ${m.result.className} blended over the image`}
      />
      <span className="meta">
        {m.result.layer ? `layer ${m.result.layer}` : 'input pixels'} · {m.result.className}
      </span>
      {f ? (
        <dl className={styles.auc} title={FAITHFULNESS_HELP}>
          <dt>Deletion AUC ↓</dt>
          <dd className="num" data-testid="explain-deletion">
            {f.deletionAuc.toFixed(3)}
          </dd>
          <dt>Insertion AUC ↑</dt>
          <dd className="num" data-testid="explain-insertion">
            {f.insertionAuc.toFixed(3)}
          </dd>
          <dt>Score</dt>
          <dd className="num">{m.score.toFixed(3)}</dd>
        </dl>
      ) : (
        <span className="meta">no faithfulness computed</span>
      )}
    </figure>
  );
}
