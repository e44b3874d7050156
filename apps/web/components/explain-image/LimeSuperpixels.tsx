'use client';
// The LIME view shared by the explanations page (the pack's LIME) and the upload page: the top
// superpixels for the class at full strength, numbered, with an outline, the rest faded; their
// weights in a legend; thin superpixel boundaries and the superpixels against the class behind
// toggles (off by default, so the picture is the image, not the segmentation).
import {
  LIME_VIEW_COLORS,
  limeTopSegments,
  limeViewPixels,
  segmentAnchors,
  type RankedSegment,
} from '@convscope/viz';
import { useId, useMemo, useState } from 'react';
import { PixelCanvas } from '../PixelCanvas';
import styles from './Lime.module.css';

/** A LIME explanation as the view needs it (the pack's JSON, or an upload's result). */
export interface LimeData {
  width: number;
  height: number;
  /** Superpixel per pixel, `[height, width]` row-major. */
  labels: number[];
  /** Weight per superpixel. */
  coefficients: number[];
  /** Weighted R² of the local fit, when known. */
  score?: number;
}

/** How many superpixels for (and against) the class are highlighted. */
export const LIME_TOP = 5;

/** `rgb(r, g, b)` of a colour triple. */
const rgb = (c: readonly number[]) => `rgb(${c.join(', ')})`;

/** "+0.300" / "−0.100": weights with their sign, three decimals. */
export function formatWeight(w: number): string {
  return `${w < 0 ? '−' : '+'}${Math.abs(w).toFixed(3)}`;
}

/** The ranked superpixels shown, the drawn picture and the number anchors. */
function useLimeView(
  lime: LimeData,
  image: ImageData | null,
  o: { scale: number; boundaries: boolean; against: boolean },
) {
  const { scale, boundaries, against } = o;
  const ranked = useMemo(
    () =>
      limeTopSegments({ coefficients: lime.coefficients, top: LIME_TOP, topNegative: LIME_TOP }),
    [lime],
  );
  const shown = useMemo(
    () => (against ? ranked : ranked.filter((s) => s.sign === 'for')),
    [ranked, against],
  );
  const view = useMemo(
    () =>
      image && image.data.length === lime.width * lime.height * 4
        ? limeViewPixels({
            image: image.data,
            labels: lime.labels,
            width: lime.width,
            height: lime.height,
            scale,
            highlight: shown,
            boundaries,
          })
        : null,
    [image, lime, scale, shown, boundaries],
  );
  const anchors = useMemo(
    () =>
      segmentAnchors(
        lime.labels,
        lime.width,
        shown.map((s) => s.segment),
      ),
    [lime, shown],
  );
  return { shown, view, anchors };
}

/**
 * The LIME picture of `image` (RGBA pixels of the same size as `lime`) with its legend and
 * toggles. `size` is the picture's side in CSS pixels (rounded down to a whole multiple).
 */
export function LimeSuperpixels({
  lime,
  image,
  title,
  size = 224,
  testId = 'lime-view',
}: {
  lime: LimeData;
  image: ImageData | null;
  /** What is explained, e.g. "LIME · T-shirt/top". */
  title: string;
  size?: number;
  testId?: string;
}) {
  const [boundaries, setBoundaries] = useState(false);
  const [against, setAgainst] = useState(false);
  const scale = Math.max(1, Math.floor(size / Math.max(lime.width, lime.height)));
  const { shown, view, anchors } = useLimeView(lime, image, { scale, boundaries, against });
  const bySegment = new Map(shown.map((s) => [s.segment, s]));
  return (
    <figure
      className={styles.lime}
      data-testid={testId}
      data-boundaries={boundaries ? 'on' : 'off'}
      data-against={against ? 'on' : 'off'}
    >
      <div className={styles.picture}>
        <PixelCanvas
          pixels={view?.pixels ?? null}
          width={view?.width ?? 1}
          height={view?.height ?? 1}
          scale={1}
          testId="lime-canvas"
          label={`${title}: the top superpixels for the class highlighted and numbered`}
        />
        {view
          ? anchors.map((a) => {
              const s = bySegment.get(a.segment)!;
              return (
                <span
                  key={`${s.sign}${s.segment}`}
                  className={`${styles.badge} ${s.sign === 'for' ? styles.for : styles.against}`}
                  style={{
                    left: `${(100 * a.x) / lime.width}%`,
                    top: `${(100 * a.y) / lime.height}%`,
                  }}
                  aria-hidden
                >
                  {badgeText(s)}
                </span>
              );
            })
          : null}
      </div>
      <figcaption className={styles.caption}>
        <span>
          {title}
          {lime.score !== undefined ? ` · fit R² ${lime.score.toFixed(2)}` : ''}
        </span>
        <LimeToggles
          boundaries={boundaries}
          against={against}
          onBoundaries={setBoundaries}
          onAgainst={setAgainst}
        />
        <LimeLegend segments={shown} />
      </figcaption>
    </figure>
  );
}

/** The two toggles: superpixel boundaries, and the superpixels against the class. */
function LimeToggles(props: {
  boundaries: boolean;
  against: boolean;
  onBoundaries: (on: boolean) => void;
  onAgainst: (on: boolean) => void;
}) {
  const id = useId();
  return (
    <div className={styles.toggles}>
      <label htmlFor={`${id}-b`}>
        <input
          id={`${id}-b`}
          type="checkbox"
          checked={props.boundaries}
          onChange={(e) => props.onBoundaries(e.target.checked)}
          data-testid="lime-boundaries"
        />{' '}
        Superpixel boundaries
      </label>
      <label htmlFor={`${id}-a`}>
        <input
          id={`${id}-a`}
          type="checkbox"
          checked={props.against}
          onChange={(e) => props.onAgainst(e.target.checked)}
          data-testid="lime-against"
        />{' '}
        Against the class
      </label>
    </div>
  );
}

/** "1" for the strongest superpixel for the class, "−1" for the strongest against it. */
function badgeText(s: RankedSegment): string {
  return s.sign === 'for' ? String(s.rank) : `−${s.rank}`;
}

/** The highlighted superpixels with their weights, strongest first. */
function LimeLegend({ segments }: { segments: RankedSegment[] }) {
  if (segments.length === 0)
    return <p className="meta">No superpixel has a positive weight for this class.</p>;
  return (
    <ol className={styles.legend} data-testid="lime-legend" aria-label="Top superpixels">
      {segments.map((s) => (
        <li
          key={`${s.sign}${s.segment}`}
          data-testid="lime-segment"
          data-segment={s.segment}
          data-sign={s.sign}
          data-weight={s.weight}
        >
          <span
            className={`${styles.badgeInline} ${s.sign === 'for' ? styles.for : styles.against}`}
          >
            {badgeText(s)}
          </span>
          <span className="num">{formatWeight(s.weight)}</span>
          <span className="meta">
            superpixel {s.segment} · {s.sign === 'for' ? 'for' : 'against'} the class
          </span>
        </li>
      ))}
      <li className={`meta ${styles.note}`}>
        <span className={styles.swatch} style={{ borderColor: rgb(LIME_VIEW_COLORS.for) }} />
        weight = how much the class probability rises when the superpixel is kept (LIME&apos;s local
        linear fit)
      </li>
    </ol>
  );
}
