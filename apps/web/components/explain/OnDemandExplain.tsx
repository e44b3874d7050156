'use client';
import {
  DEFAULT_HEATMAP_COLORMAP,
  blendHeatmap,
  colorizeHeatmap,
  colormapCss,
  formatPercent,
} from '@convscope/viz';
import { useMemo, useState } from 'react';
import {
  EXPLAIN_METHODS,
  MAX_METHODS,
  flatHeatmap,
  methodLabel,
  rankMaps,
  type ExplainLayer,
  type MethodMap,
  type SampleResult,
} from '../../lib/explain-sample';
import { sampleImageUrl } from '../../lib/samples';
import { useImagePixels } from '../../lib/use-image-pixels';
import { ActivationGrid } from '../explain-image/ActivationGrid';
import type { UploadResult } from '../explain-image/result-shaping';
import { PixelCanvas } from '../PixelCanvas';
import { useSampleExplanation, type SampleExplanationState } from './use-sample-explanation';
import styles from '../Explain.module.css';

/** The parameters the selectors set (null: the API's default). */
export interface OnDemandParams {
  classIndex: number | null;
  layer: string | null;
  methods: string[];
}

/** Props of {@link OnDemandExplain}. */
export interface OnDemandExplainProps {
  runId: string;
  classNames: readonly string[];
  /** Layers with a spatial output, in model order. */
  layers: readonly ExplainLayer[];
  sample: number;
  /** True and predicted class of the sample, when the page knows them. */
  known: { label: number; predicted: number } | null;
  params: OnDemandParams;
  onParams: (p: OnDemandParams) => void;
}

/**
 * Explanations of any test sample, computed on demand by the explain worker: every class, every
 * spatial layer and every method can be chosen; several methods show side by side with their
 * deletion / insertion faithfulness (the most faithful marked). Cached answers come at once.
 */
export function OnDemandExplain(props: OnDemandExplainProps) {
  const { runId, sample, params } = props;
  const request = useMemo(
    () =>
      params.methods.length > 0
        ? {
            index: sample,
            classIndex: params.classIndex,
            layer: params.layer,
            methods: params.methods,
          }
        : null,
    [sample, params.classIndex, params.layer, params.methods],
  );
  const state = useSampleExplanation(runId, request);
  const [alpha, setAlpha] = useState(0.5);
  // The predicted class: known from the picker, else the top-1 of the sample's last answer
  // (kept while another request runs, so the class list does not flicker).
  const top1 = state.result?.predictions[0]?.classIndex;
  const [seenTop1, setSeenTop1] = useState<{ sample: number; cls: number } | null>(null);
  if (top1 !== undefined && (seenTop1?.sample !== sample || seenTop1.cls !== top1))
    setSeenTop1({ sample, cls: top1 });
  const tags = {
    label: props.known?.label ?? null,
    predicted: props.known?.predicted ?? (seenTop1?.sample === sample ? seenTop1.cls : null),
  };
  return (
    <section
      className="card"
      data-testid="ondemand"
      data-sample={sample}
      data-phase={state.phase}
      data-cached={state.cached ? 'true' : 'false'}
      aria-labelledby="ondemand-title"
    >
      <div className="card-header">
        <h2 id="ondemand-title">Explain sample #{sample}</h2>
        <span className="meta">computed on demand from the run&apos;s model, then cached</span>
      </div>
      <div className="card-body">
        <OnDemandControls {...props} tags={tags} alpha={alpha} onAlpha={setAlpha} />
        <JobStatus state={state} />
        {state.result ? (
          <>
            <Predictions predictions={state.result.predictions} known={props.known} />
            <MethodMaps runId={runId} sample={sample} maps={state.result.methods} alpha={alpha} />
            <FeatureMaps activations={state.result.activations} />
          </>
        ) : null}
      </div>
    </section>
  );
}

/** "Computing (queued)…", "Done · from the cache", or the error, announced politely. */
function JobStatus({ state }: { state: SampleExplanationState }) {
  const text =
    state.phase === 'idle'
      ? 'Choose at least one method.'
      : state.phase === 'requesting'
        ? 'Asking for the explanation…'
        : state.phase === 'QUEUED'
          ? 'Queued: waiting for an explain worker…'
          : state.phase === 'RUNNING'
            ? 'Running: the worker is computing it…'
            : state.phase === 'DONE'
              ? state.cached
                ? 'Done · served from the cache'
                : 'Done · computed now'
              : `Failed: ${state.error ?? 'unknown error'}`;
  return (
    <p
      className={`meta ${state.phase === 'FAILED' ? styles.error : ''}`}
      role="status"
      data-testid="ondemand-status"
      data-phase={state.phase}
    >
      {text}
      {state.phase === 'DONE' && state.cached ? (
        <span className={styles.badge} data-testid="ondemand-cached">
          cached
        </span>
      ) : null}
    </p>
  );
}

/** Class (every class), layer (every spatial layer), methods (up to four) and opacity. */
function OnDemandControls({
  classNames,
  layers,
  tags,
  params,
  onParams,
  alpha,
  onAlpha,
}: OnDemandExplainProps & {
  /** The sample's true and predicted class where known (null: unknown). */
  tags: { label: number | null; predicted: number | null };
  alpha: number;
  onAlpha: (a: number) => void;
}) {
  const tag = (c: number) =>
    `${c === tags.label ? ' (true)' : ''}${c === tags.predicted ? ' (predicted)' : ''}`;
  const toggle = (m: string, on: boolean) =>
    onParams({
      ...params,
      methods: on
        ? [...params.methods, m].slice(-MAX_METHODS)
        : params.methods.filter((x) => x !== m),
    });
  return (
    <div className={styles.ondemandControls}>
      <label>
        Class{' '}
        <select
          data-testid="ondemand-class"
          value={params.classIndex ?? ''}
          onChange={(e) =>
            onParams({
              ...params,
              classIndex: e.target.value === '' ? null : Number(e.target.value),
            })
          }
        >
          <option value="">predicted class</option>
          {classNames.map((n, c) => (
            <option key={c} value={c}>
              {n}
              {tag(c)}
            </option>
          ))}
        </select>
      </label>
      <label>
        CAM layer{' '}
        <select
          data-testid="ondemand-layer"
          value={params.layer ?? ''}
          onChange={(e) => onParams({ ...params, layer: e.target.value || null })}
        >
          <option value="">default (last spatial layer)</option>
          {layers.map((l) => (
            <option key={l.name} value={l.name}>
              {l.name} ({l.shape.join(' × ')})
            </option>
          ))}
        </select>
      </label>
      <MethodChoice methods={params.methods} onToggle={toggle} />
      <label>
        Opacity{' '}
        <input
          type="range"
          min={0}
          max={1}
          step={0.05}
          value={alpha}
          data-testid="ondemand-alpha"
          onChange={(e) => onAlpha(Number(e.target.value))}
        />{' '}
        <span className="num">{alpha.toFixed(2)}</span>
      </label>
    </div>
  );
}

/** A checkbox per method (every method of the API), at most {@link MAX_METHODS} checked. */
function MethodChoice({
  methods,
  onToggle,
}: {
  methods: string[];
  onToggle: (method: string, on: boolean) => void;
}) {
  return (
    <fieldset className={styles.methodChoice} data-testid="ondemand-methods">
      <legend>Methods (up to {MAX_METHODS})</legend>
      {EXPLAIN_METHODS.map((m) => (
        <label key={m.value} title={m.family === 'cam' ? 'at the CAM layer' : 'input pixels'}>
          <input
            type="checkbox"
            value={m.value}
            checked={methods.includes(m.value)}
            onChange={(e) => onToggle(m.value, e.target.checked)}
          />{' '}
          {m.label}
        </label>
      ))}
    </fieldset>
  );
}

/** The model's top classes for the sample, the true one marked when known. */
function Predictions({
  predictions,
  known,
}: {
  predictions: { classIndex: number; className: string; probability: number }[];
  known: { label: number } | null;
}) {
  if (predictions.length === 0) return null;
  return (
    <ol className={styles.topk} data-testid="ondemand-topk" aria-label="top predictions">
      {predictions.map((p) => (
        <li key={p.classIndex} data-class={p.classIndex}>
          <span>
            {p.className || `class ${p.classIndex}`}
            {known && p.classIndex === known.label ? ' (true)' : ''}
          </span>
          <span className="num">{formatPercent(p.probability, 1)}</span>
        </li>
      ))}
    </ol>
  );
}

/** Each method's map over the sample, ranked by faithfulness (insertion − deletion). */
function MethodMaps({
  runId,
  sample,
  maps,
  alpha,
}: {
  runId: string;
  sample: number;
  maps: MethodMap[];
  alpha: number;
}) {
  const { pixels: image } = useImagePixels(sampleImageUrl(runId, sample));
  const ranked = useMemo(() => rankMaps(maps), [maps]);
  if (maps.length === 0) return <p className="meta">The result holds no maps.</p>;
  return (
    <>
      <p className="meta">
        Deletion: class probability as the most salient pixels are removed (lower is better);
        insertion: as they are added to a blank image (higher is better). Score = insertion −
        deletion.
      </p>
      <div className={styles.methods} data-testid="ondemand-maps">
        <figure className={`${styles.methodTile} ${styles.mapTile}`}>
          <PixelCanvas
            pixels={image ? image.data : null}
            width={image?.width ?? 1}
            height={image?.height ?? 1}
            scale={Math.max(1, Math.floor(168 / (image?.width ?? 168)))}
            testId="ondemand-image"
            label={`test sample ${sample}`}
          />
          <figcaption className={styles.mapCaption}>
            <strong>Sample #{sample}</strong>
            <span>the image the model saw</span>
          </figcaption>
        </figure>
        {ranked.map((m) => (
          <MapFigure key={`${m.method}:${m.layer ?? ''}`} map={m} image={image} alpha={alpha} />
        ))}
      </div>
      <div
        className={styles.legend}
        style={{
          maxWidth: 224,
          background: `linear-gradient(to right, ${[0, 0.25, 0.5, 0.75, 1].map((x) => colormapCss(DEFAULT_HEATMAP_COLORMAP, x)).join(', ')})`,
        }}
        aria-hidden
      />
      <div className={`meta ${styles.legendLabels}`} style={{ maxWidth: 224 }}>
        <span>low</span>
        <span>high</span>
      </div>
    </>
  );
}

/**
 * The CAM layer's activations for the sample: the worker's channel grid, each tile opening large
 * (the upload page's zoomable grid), or a line when the layer is not spatial.
 */
function FeatureMaps({ activations }: { activations: SampleResult['activations'] }) {
  // The worker's activations object: the shape the upload page's grid reads.
  const a = activations as UploadResult['activations'] | null;
  if (!a?.grid) return null;
  return (
    <section className={styles.featureMaps} data-testid="ondemand-activations" data-layer={a.layer}>
      <h3 className={styles.subhead}>
        Feature maps · {a.layer} ({a.shape.join(' × ')})
      </h3>
      <ActivationGrid grid={a.grid} shape={a.shape} layer={a.layer} statistics={a.statistics} />
    </section>
  );
}

/** One map blended over the image (the map alone when their sizes differ). */
function MapFigure({
  map: m,
  image,
  alpha,
}: {
  map: ReturnType<typeof rankMaps>[number];
  image: ImageData | null;
  alpha: number;
}) {
  const [H, W] = m.heatmapShape;
  const pixels = useMemo(() => {
    const heat = flatHeatmap(m.heatmap);
    if (image && image.width === W && image.height === H)
      return blendHeatmap({
        image: image.data,
        heatmap: heat,
        alpha,
        colormap: DEFAULT_HEATMAP_COLORMAP,
      });
    return colorizeHeatmap({ heatmap: heat, colormap: DEFAULT_HEATMAP_COLORMAP });
  }, [m.heatmap, image, alpha, H, W]);
  const label = `${methodLabel(m.method)} for ${m.className || `class ${m.classIndex}`}${m.layer ? ` at ${m.layer}` : ''}`;
  return (
    <figure
      className={`${styles.methodTile} ${styles.mapTile} ${m.best ? styles.best : ''}`}
      data-testid="ondemand-map"
      data-method={m.method}
      data-class={m.classIndex}
      data-layer={m.layer ?? ''}
      data-best={m.best ? 'true' : 'false'}
    >
      <PixelCanvas
        pixels={pixels}
        width={W}
        height={H}
        scale={Math.max(1, Math.floor(168 / W))}
        testId="ondemand-canvas"
        label={label}
      />
      <figcaption className={styles.mapCaption}>
        <strong>
          {methodLabel(m.method)}
          {m.best ? ' ★ most faithful' : ''}
        </strong>
        <span>
          {m.className || `class ${m.classIndex}`}
          {m.layer ? ` · ${m.layer}` : ' · input pixels'}
        </span>
        {m.faithfulness ? (
          <span className="num" data-testid="ondemand-faithfulness">
            ins {m.faithfulness.insertionAuc.toFixed(3)} · del{' '}
            {m.faithfulness.deletionAuc.toFixed(3)} · score {m.score.toFixed(3)}
          </span>
        ) : null}
      </figcaption>
    </figure>
  );
}
