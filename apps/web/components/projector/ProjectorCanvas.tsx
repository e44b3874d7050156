'use client';
import {
  buildPointIndex,
  hitTest,
  isMisclassified,
  pointColors,
  pointOfSample,
  screenPositions,
  type ProjectorColorMode,
  type ProjectorData,
  type ProjectorLayoutData,
  type ViewTransform,
} from '@convscope/viz';
import { select, zoom, zoomIdentity } from 'd3';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useRef, useState } from 'react';
import { sampleExplainHref } from '../../lib/projector';
import type { SampleImages } from '../../lib/queries';
import { hasImage, sampleImageUrl, sampleScale } from '../../lib/samples';
import { drawPoints, prepareCanvas } from './draw';
import styles from './Projector.module.css';

const PADDING = 14;
const HIT_RADIUS = 7;

/** Props of {@link ProjectorCanvas}. */
export interface ProjectorCanvasProps {
  runId: string;
  data: ProjectorData;
  layout: ProjectorLayoutData;
  mode: ProjectorColorMode;
  markWrong: boolean;
  /** Sample ringed (hovered here or in the other run, or chosen by index). */
  highlightSample: number | null;
  /** Told the sample under the pointer (null when none). */
  onHoverSample?: (sample: number | null) => void;
  samples: SampleImages | null;
  /** Accessible name of the chart. */
  label: string;
}

function useWidth(ref: React.RefObject<HTMLDivElement | null>): number {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) => setWidth(Math.floor(entry?.contentRect.width ?? 0)));
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return width;
}

/** Screen positions, hit-test index, colours and marks of the layout's points. */
function useGeometry(props: ProjectorCanvasProps, width: number, height: number) {
  const { data, layout, mode, highlightSample } = props;
  const pos = useMemo(
    () => screenPositions(layout, { width, height, padding: PADDING }),
    [layout, width, height],
  );
  const index = useMemo(() => buildPointIndex(pos), [pos]);
  const colors = useMemo(() => pointColors(data, layout, mode), [data, layout, mode]);
  const wrong = useMemo(
    () => Uint8Array.from(layout.samples, (s) => (isMisclassified(data, s) ? 1 : 0)),
    [data, layout],
  );
  const highlight = highlightSample === null ? null : pointOfSample(layout, highlightSample);
  return { pos, index, colors, wrong, highlight };
}

/** d3-zoom on the canvas, reporting its transform; a change of `deps` starts unzoomed. */
function useZoom(
  canvasRef: React.RefObject<HTMLCanvasElement | null>,
  onZoom: (t: ViewTransform) => void,
  deps: unknown[],
): void {
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const z = zoom<HTMLCanvasElement, unknown>()
      .scaleExtent([1, 40])
      .on('zoom', (e: { transform: ViewTransform }) =>
        onZoom({ k: e.transform.k, x: e.transform.x, y: e.transform.y }),
      );
    const sel = select(canvas);
    sel.call(z).call(z.transform, zoomIdentity);
    return () => {
      sel.on('.zoom', null);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- deps are the caller's
  }, [canvasRef, onZoom, ...deps]);
}

/**
 * The projector's scatter plot on a canvas: d3-zoom pans and zooms (the wheel, a drag, a pinch;
 * double-click zooms in), a quadtree finds the point under the pointer, a tooltip shows the
 * sample's image and classes, and a click opens the sample's explanations.
 */
export function ProjectorCanvas(props: ProjectorCanvasProps) {
  const { runId, data, layout, markWrong, samples } = props;
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [transform, setTransform] = useState<ViewTransform>({ k: 1, x: 0, y: 0 });
  const [hover, setHover] = useState<{ point: number; x: number; y: number } | null>(null);
  const router = useRouter();
  const width = useWidth(wrapRef);
  const height = Math.max(240, Math.min(width, 560));

  const { pos, index, colors, wrong, highlight } = useGeometry(props, width, height);
  useZoom(canvasRef, setTransform, [layout, width]);
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || width === 0) return;
    const ctx = prepareCanvas(canvas, width, height);
    if (!ctx) return;
    const ink = getComputedStyle(canvas).color || '#000';
    const base = { colors, wrong, markWrong, transform, width, height, highlight, ink };
    drawPoints(ctx, { ...pos, ...base, radius: 2.5 });
  }, [pos, colors, wrong, markWrong, transform, width, height, highlight]);

  const pointAt = (e: React.PointerEvent | React.MouseEvent) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const at = { x: e.clientX - rect.left, y: e.clientY - rect.top };
    return { at, point: hitTest(index, at, transform, HIT_RADIUS) };
  };
  const sample = hover ? (layout.samples[hover.point] ?? null) : null;
  const highlightPos =
    highlight === null
      ? null
      : {
          x: Math.round(pos.sx[highlight]! * transform.k + transform.x),
          y: Math.round(pos.sy[highlight]! * transform.k + transform.y),
        };

  return (
    <div ref={wrapRef} className={styles.canvasWrap} style={{ height }}>
      <canvas
        ref={canvasRef}
        className={styles.canvas}
        style={{ width, height }}
        role="img"
        aria-label={props.label}
        data-testid="projector-canvas"
        data-points={layout.points}
        data-highlight-x={highlightPos?.x}
        data-highlight-y={highlightPos?.y}
        onPointerMove={(e) => {
          const { at, point } = pointAt(e);
          setHover(point === null ? null : { point, ...at });
          props.onHoverSample?.(point === null ? null : (layout.samples[point] ?? null));
        }}
        onPointerLeave={() => {
          setHover(null);
          props.onHoverSample?.(null);
        }}
        onClick={(e) => {
          const { point } = pointAt(e);
          const s = point === null ? undefined : layout.samples[point];
          if (s !== undefined) router.push(sampleExplainHref(runId, s));
        }}
      />
      {hover && sample !== null ? (
        <SampleTooltip
          runId={runId}
          data={data}
          sample={sample}
          samples={samples}
          x={hover.x}
          y={hover.y}
          width={width}
        />
      ) : null}
    </div>
  );
}

/** The tooltip of a hovered point: the sample's image, index, true and predicted class, confidence. */
function SampleTooltip(props: {
  runId: string;
  data: ProjectorData;
  sample: number;
  samples: SampleImages | null;
  x: number;
  y: number;
  width: number;
}) {
  const { data, sample, samples } = props;
  const label = data.labels[sample] ?? 0;
  const predicted = data.predicted[sample] ?? 0;
  const left = props.x > props.width - 200 ? props.x - 190 : props.x + 14;
  const scale = samples ? sampleScale(samples) : 1;
  return (
    <div
      className={styles.tooltip}
      style={{ left, top: props.y + 14 }}
      data-testid="projector-tooltip"
      role="status"
    >
      {samples && hasImage(samples, sample) ? (
        <img
          className={styles.thumb}
          src={sampleImageUrl(props.runId, sample, scale)}
          width={samples.width * scale}
          height={samples.height * scale}
          alt={`test sample ${sample}`}
          data-testid="projector-thumbnail"
        />
      ) : null}
      <div className="mono">#{sample}</div>
      <div>true: {data.classNames[label] ?? label}</div>
      <div className={label === predicted ? undefined : styles.wrong}>
        predicted: {data.classNames[predicted] ?? predicted}
      </div>
      <div>confidence: {(data.confidence[sample] ?? 0).toFixed(3)}</div>
    </div>
  );
}
