'use client';
import { blendHeatmap, heatmapFromRgba, limeCoefficients } from '@convscope/viz';
import { useEffect, useMemo, useState } from 'react';
import {
  METHOD_LABELS,
  className,
  packFileUrl,
  sampleFiles,
  samplesWith,
  type ExplanationIndex,
  type PackFile,
} from '../lib/explain-pack';
import { sampleImageUrl } from '../lib/samples';
import { useImagePixels } from '../lib/use-image-pixels';
import { LimeSuperpixels, type LimeData } from './explain-image/LimeSuperpixels';
import { PixelCanvas } from './PixelCanvas';
import styles from './Explain.module.css';

/** The pack's LIME JSON (older packs may lack `coefficients`). */
interface StoredLime {
  width: number;
  height: number;
  numSegments?: number;
  labels: number[];
  coefficients?: number[];
  positive: { segment: number; weight: number }[];
  negative: { segment: number; weight: number }[];
  score: number;
}

/**
 * Input-space explanations of the few samples the pack has them for: vanilla-gradient and
 * SmoothGrad saliency (magma over the image), and LIME (the top superpixels for the class
 * numbered with their weights, the rest faded; boundaries and the ones against the class on request).
 */
export function SaliencyLimeView({
  runId,
  index,
  sample,
  onPick,
}: {
  runId: string;
  index: ExplanationIndex;
  sample: number;
  onPick: (sample: number) => void;
}) {
  const candidates = useMemo(() => {
    const seen = new Map<number, (typeof index.samples)[number]>();
    for (const s of [...samplesWith(index, 'saliency'), ...samplesWith(index, 'lime')])
      seen.set(s.index, s);
    return [...seen.values()].sort((a, b) => a.index - b.index);
  }, [index]);
  const saliency = sampleFiles(index, 'saliency', sample);
  const lime = sampleFiles(index, 'lime', sample)[0];
  const { pixels: image } = useImagePixels(sampleImageUrl(runId, sample));
  const [H, W] = index.imageShape;
  const scale = Math.max(1, Math.floor(168 / W));
  return (
    <section className="card" data-testid="saliency-view">
      <div className="card-header">
        <h2>Saliency and LIME</h2>
        <span className="meta">computed for a few samples only (LIME is slow)</span>
      </div>
      <div className="card-body">
        <div className={styles.controls}>
          <span className="meta">Samples with these maps:</span>
          {candidates.map((s) => (
            <button
              key={s.index}
              type="button"
              className={`btn ${s.index === sample ? styles.activeLink : ''}`}
              data-testid="saliency-sample"
              data-sample={s.index}
              onClick={() => onPick(s.index)}
            >
              #{s.index} {className(index, s.label)}
              {s.correct ? '' : ` → ${className(index, s.predicted)}`}
            </button>
          ))}
        </div>
        {saliency.length === 0 && !lime ? (
          <div className="meta">Sample #{sample} has no saliency or LIME maps; pick one above.</div>
        ) : (
          <div className={styles.galleryRow}>
            {saliency.map((f) => (
              <SaliencyFigure
                key={f.name}
                runId={runId}
                file={f}
                image={image}
                W={W}
                H={H}
                scale={scale}
                index={index}
              />
            ))}
            {lime ? <LimeFigure runId={runId} file={lime} image={image} index={index} /> : null}
          </div>
        )}
      </div>
    </section>
  );
}

function SaliencyFigure(props: {
  runId: string;
  file: PackFile;
  image: ImageData | null;
  W: number;
  H: number;
  scale: number;
  index: ExplanationIndex;
}) {
  const { pixels: heat } = useImagePixels(packFileUrl(props.runId, props.file.name));
  const blended = useMemo(
    () =>
      props.image && heat && props.image.data.length === heat.data.length
        ? blendHeatmap({
            image: props.image.data,
            heatmap: heatmapFromRgba(heat.data),
            alpha: 0.7,
            colormap: 'magma',
          })
        : null,
    [props.image, heat],
  );
  const m = props.file.metadata;
  return (
    <figure className={styles.figure} data-testid="saliency-figure" data-method={m.method}>
      <PixelCanvas
        pixels={blended}
        width={props.W}
        height={props.H}
        scale={props.scale}
        label={`${m.method} saliency`}
      />
      <figcaption>
        {METHOD_LABELS[m.method ?? ''] ?? m.method} · {className(props.index, m.classIndex ?? 0)}
      </figcaption>
    </figure>
  );
}

function LimeFigure(props: {
  runId: string;
  file: PackFile;
  image: ImageData | null;
  index: ExplanationIndex;
}) {
  const [lime, setLime] = useState<LimeData | null>(null);
  const url = packFileUrl(props.runId, props.file.name);
  useEffect(() => {
    let live = true;
    fetch(url)
      .then((r) => r.json() as Promise<StoredLime>)
      .then((d) => live && setLime({ ...d, coefficients: limeCoefficients(d) }))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [url]);
  const m = props.file.metadata;
  return (
    <div className={styles.figure} data-testid="lime-figure">
      {lime ? (
        <LimeSuperpixels
          lime={lime}
          image={props.image}
          title={`LIME · ${className(props.index, m.classIndex ?? 0)}`}
        />
      ) : (
        <span className="meta">Loading LIME…</span>
      )}
    </div>
  );
}
