'use client';
import {
  camOverlay,
  decodeBase64,
  formatPercent,
  imageRgba,
  type ColormapName,
} from '@convscope/viz';
import { useMemo } from 'react';
import type { SnapshotFile, SnapshotProbes } from '../../../lib/snapshots';
import { PixelCanvas } from '../../PixelCanvas';
import styles from '../TrainingSnapshots.module.css';

/** Which class's map is shown. */
export type CamTarget = 'true' | 'predicted';

/** One probe at the chosen snapshot: the image with its Grad-CAM, and the prediction under it. */
function ProbeFigure({
  probes,
  snapshot,
  i,
  target,
  alpha,
  colormap,
}: {
  probes: SnapshotProbes;
  snapshot: SnapshotFile;
  i: number;
  target: CamTarget;
  alpha: number;
  colormap: ColormapName;
}) {
  const [h, w] = probes.storedShape;
  const p = snapshot.predictions[i];
  const cams = snapshot.cams;
  // The predicted class's map is stored only where it differs from the true class's.
  const stored = cams
    ? ((target === 'predicted' ? cams.predicted[i] : null) ?? cams.true[i])
    : null;
  // Grad-CAM keeps positive evidence only: an all-zero map means none at this layer and step.
  const empty = useMemo(
    () => (stored ? decodeBase64(stored).every((v) => v === 0) : false),
    [stored],
  );
  const pixels = useMemo(() => {
    const image = imageRgba(probes.pixels, probes.storedShape, i);
    if (!cams || !stored) return image;
    return camOverlay({
      image,
      imageShape: [h, w],
      map: decodeBase64(stored),
      mapShape: cams.shape,
      alpha,
      colormap,
    });
  }, [probes, i, cams, stored, h, w, alpha, colormap]);
  if (!p) return null;
  const names = probes.classNames;
  const right = p.predicted === p.label;
  const scale = Math.max(1, Math.round(84 / Math.max(h, w)));
  return (
    <figure
      className={styles.probe}
      data-testid="snapshot-probe"
      data-correct={right}
      data-empty-map={empty}
      title={empty ? 'no positive Grad-CAM evidence for this class at this step' : undefined}
    >
      <PixelCanvas
        pixels={pixels}
        width={w}
        height={h}
        scale={scale}
        testId="snapshot-probe-canvas"
        label={`test sample ${p.index}, ${names[p.label] ?? p.label}, Grad-CAM of the ${target === 'true' ? 'true' : 'predicted'} class`}
      />
      <figcaption>
        <span className={styles.truth}>{names[p.label] ?? p.label}</span>
        <span className={right ? styles.right : styles.wrong} data-testid="snapshot-prediction">
          {right ? '✓' : '✗'} {names[p.predicted] ?? p.predicted} {formatPercent(p.confidence, 0)}
        </span>
        {empty ? <span className="faint">no positive evidence</span> : null}
      </figcaption>
    </figure>
  );
}

/** The probes at one snapshot, in a grid that wraps on narrow screens. */
export function ProbeGrid(props: {
  probes: SnapshotProbes;
  snapshot: SnapshotFile;
  target: CamTarget;
  alpha: number;
  colormap: ColormapName;
}) {
  return (
    <div className={styles.probes} data-testid="snapshot-probes">
      {props.snapshot.predictions.map((p, i) => (
        <ProbeFigure key={p.index} {...props} i={i} />
      ))}
    </div>
  );
}
