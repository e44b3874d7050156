'use client';
import {
  DEFAULT_HEATMAP_COLORMAP,
  HEATMAP_COLORMAPS,
  blendHeatmap,
  colormapCss,
  heatmapFromRgba,
  rankMethods,
  type ColormapName,
} from '@convscope/viz';
import { useMemo, useState } from 'react';
import {
  METHOD_LABELS,
  camClasses,
  camFile,
  camMethodsFor,
  className,
  packFileUrl,
  type ExplanationIndex,
} from '../lib/explain-pack';
import { sampleImageUrl } from '../lib/samples';
import { useImagePixels } from '../lib/use-image-pixels';
import { PixelCanvas } from './PixelCanvas';
import styles from './Explain.module.css';

/** Blended image + heatmap pixels, or null until both are loaded and of one size. */
function useBlend(
  image: ImageData | null,
  heat: ImageData | null,
  alpha: number,
  colormap: ColormapName,
): Uint8ClampedArray | null {
  return useMemo(() => {
    if (!image || !heat || image.width !== heat.width || image.height !== heat.height) return null;
    return blendHeatmap({
      image: image.data,
      heatmap: heatmapFromRgba(heat.data),
      alpha,
      colormap,
    });
  }, [image, heat, alpha, colormap]);
}

/** The class, method, opacity and colormap chosen for a sample, kept valid for its files. */
function useCamChoice(index: ExplanationIndex, sample: number) {
  const classes = useMemo(() => camClasses(index, sample), [index, sample]);
  const [chosenClass, setChosenClass] = useState<number | null>(null);
  const cls =
    chosenClass !== null && classes.includes(chosenClass) ? chosenClass : (classes[0] ?? 0);
  const methods = useMemo(() => camMethodsFor(index, sample, cls), [index, sample, cls]);
  const [chosenMethod, setChosenMethod] = useState('gradcam');
  const method = methods.includes(chosenMethod) ? chosenMethod : (methods[0] ?? 'gradcam');
  const [alpha, setAlpha] = useState(0.5);
  const [colormap, setColormap] = useState<ColormapName>(DEFAULT_HEATMAP_COLORMAP);
  // Another sample: back to its first class (while rendering, not in an effect).
  const [classSample, setClassSample] = useState(sample);
  if (classSample !== sample) {
    setClassSample(sample);
    setChosenClass(null);
  }
  return {
    classes,
    cls,
    setClass: setChosenClass,
    methods,
    method,
    setMethod: setChosenMethod,
    alpha,
    setAlpha,
    colormap,
    setColormap,
  };
}

type CamChoice = ReturnType<typeof useCamChoice>;

/**
 * Grad-CAM view: the image, the class activation map blended over it on a canvas (alpha slider,
 * colormap), class and method selectors, and every method side by side with its deletion /
 * insertion faithfulness (the best one highlighted).
 */
export function GradCamView({
  runId,
  index,
  sample,
}: {
  runId: string;
  index: ExplanationIndex;
  sample: number;
}) {
  const choice = useCamChoice(index, sample);
  const { cls, methods, method, alpha, colormap } = choice;
  const s = index.samples.find((x) => x.index === sample);
  const { pixels: image } = useImagePixels(sampleImageUrl(runId, sample));
  const ranked = rankMethods(
    methods.map((m) => {
      const f = camFile(index, sample, cls, m)!;
      return {
        method: m,
        insertionAuc: f.metadata.insertionAuc ?? NaN,
        deletionAuc: f.metadata.deletionAuc ?? NaN,
      };
    }),
  );
  const classLabel = (c: number) =>
    `${className(index, c)}${s && c === s.label ? ' (true)' : ''}${s && c === s.predicted ? ' (predicted)' : ''}`;
  return (
    <section className="card" data-testid="gradcam-view">
      <div className="card-header">
        <h2>Class activation maps</h2>
        <span className="meta">
          layer {index.camLayer ?? '—'} · the map of a class shows where the evidence for it lies
        </span>
      </div>
      <div className="card-body">
        {choice.classes.length === 0 ? (
          <div className="meta">No class activation maps for this sample.</div>
        ) : (
          <>
            <CamControls choice={choice} classLabel={classLabel} />
            <CamFigures
              runId={runId}
              index={index}
              sample={sample}
              choice={choice}
              image={image}
              classLabel={classLabel}
            />
            <h3 className={styles.subhead}>Methods side by side</h3>
            <p className="meta">
              Deletion: class probability as the most salient pixels are removed (lower area is
              better); insertion: as they are added to a blank image (higher is better). Score =
              insertion − deletion.
            </p>
            <div className={styles.methods} data-testid="gradcam-methods">
              {ranked.map((r) => (
                <MethodTile
                  key={r.method}
                  runId={runId}
                  index={index}
                  sample={sample}
                  cls={cls}
                  method={r.method}
                  image={image}
                  alpha={alpha}
                  colormap={colormap}
                  insertion={r.insertionAuc}
                  deletion={r.deletionAuc}
                  score={r.score}
                  best={r.best}
                  selected={r.method === method}
                  onSelect={() => choice.setMethod(r.method)}
                />
              ))}
            </div>
          </>
        )}
      </div>
    </section>
  );
}

/** Class, method and colormap selectors and the opacity slider. */
function CamControls({
  choice,
  classLabel,
}: {
  choice: CamChoice;
  classLabel: (c: number) => string;
}) {
  const { alpha } = choice;
  return (
    <div className={styles.controls}>
      <label>
        Class{' '}
        <select
          data-testid="gradcam-class"
          value={choice.cls}
          onChange={(e) => choice.setClass(Number(e.target.value))}
        >
          {choice.classes.map((c) => (
            <option key={c} value={c}>
              {classLabel(c)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Method{' '}
        <select
          data-testid="gradcam-method"
          value={choice.method}
          onChange={(e) => choice.setMethod(e.target.value)}
        >
          {choice.methods.map((m) => (
            <option key={m} value={m}>
              {METHOD_LABELS[m] ?? m}
            </option>
          ))}
        </select>
      </label>
      <label>
        Colormap{' '}
        <select
          data-testid="gradcam-colormap"
          value={choice.colormap}
          onChange={(e) => choice.setColormap(e.target.value as ColormapName)}
        >
          {HEATMAP_COLORMAPS.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <label>
        Opacity{' '}
        <input
          type="range"
          min={0}
          max={1}
          step={0.05}
          value={alpha}
          data-testid="gradcam-alpha"
          onChange={(e) => choice.setAlpha(Number(e.target.value))}
        />{' '}
        <span className="num">{alpha.toFixed(2)}</span>
      </label>
    </div>
  );
}

/** The sample image beside the chosen map blended over it, with the colormap's legend. */
function CamFigures({
  runId,
  index,
  sample,
  choice,
  image,
  classLabel,
}: {
  runId: string;
  index: ExplanationIndex;
  sample: number;
  choice: CamChoice;
  image: ImageData | null;
  classLabel: (c: number) => string;
}) {
  const { cls, method, colormap } = choice;
  const s = index.samples.find((x) => x.index === sample);
  const file = camFile(index, sample, cls, method);
  const { pixels: heat } = useImagePixels(file ? packFileUrl(runId, file.name) : null);
  const blended = useBlend(image, heat, choice.alpha, colormap);
  const [H, W] = index.imageShape;
  const scale = Math.max(1, Math.floor(224 / W));
  return (
    <div className={styles.galleryRow}>
      <figure className={styles.figure}>
        <PixelCanvas
          pixels={image ? image.data : null}
          width={W}
          height={H}
          scale={scale}
          testId="gradcam-image"
          label={`test sample ${sample}`}
        />
        <figcaption>
          #{sample}: true {s ? className(index, s.label) : '?'}, predicted{' '}
          {s ? `${className(index, s.predicted)} (${(s.confidence * 100).toFixed(0)}%)` : '?'}
        </figcaption>
      </figure>
      <figure className={styles.figure} data-method={method} data-class={cls}>
        <PixelCanvas
          pixels={blended}
          width={W}
          height={H}
          scale={scale}
          testId="gradcam-canvas"
          label={`${METHOD_LABELS[method] ?? method} for ${className(index, cls)}`}
        />
        <figcaption>
          {METHOD_LABELS[method] ?? method} · {classLabel(cls)}
        </figcaption>
        <div
          className={styles.legend}
          style={{
            background: `linear-gradient(to right, ${[0, 0.25, 0.5, 0.75, 1].map((x) => colormapCss(colormap, x)).join(', ')})`,
          }}
          aria-hidden
        />
        <div className={`meta ${styles.legendLabels}`}>
          <span>low</span>
          <span>high</span>
        </div>
      </figure>
    </div>
  );
}

function MethodTile(props: {
  runId: string;
  index: ExplanationIndex;
  sample: number;
  cls: number;
  method: string;
  image: ImageData | null;
  alpha: number;
  colormap: ColormapName;
  insertion: number;
  deletion: number;
  score: number;
  best: boolean;
  selected: boolean;
  onSelect: () => void;
}) {
  const file = camFile(props.index, props.sample, props.cls, props.method);
  const { pixels: heat } = useImagePixels(file ? packFileUrl(props.runId, file.name) : null);
  const blended = useBlend(props.image, heat, props.alpha, props.colormap);
  const [H, W] = props.index.imageShape;
  return (
    <button
      type="button"
      className={`${styles.methodTile} ${props.best ? styles.best : ''} ${props.selected ? styles.active : ''}`}
      data-method={props.method}
      data-best={props.best ? 'true' : 'false'}
      onClick={props.onSelect}
    >
      <PixelCanvas
        pixels={blended}
        width={W}
        height={H}
        scale={Math.max(1, Math.floor(112 / W))}
        label={METHOD_LABELS[props.method] ?? props.method}
      />
      <strong>
        {METHOD_LABELS[props.method] ?? props.method}
        {props.best ? ' ★ most faithful' : ''}
      </strong>
      <span className="num">
        ins {props.insertion.toFixed(3)} · del {props.deletion.toFixed(3)}
      </span>
      <span className="num">score {props.score.toFixed(3)}</span>
    </button>
  );
}
