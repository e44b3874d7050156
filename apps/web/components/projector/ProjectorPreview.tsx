'use client';
import {
  pointColors,
  screenPositions,
  type ProjectorData,
  type ProjectorLayoutData,
} from '@convscope/viz';
import { useEffect, useRef } from 'react';
import { drawPoints, prepareCanvas } from './draw';
import styles from './Projector.module.css';

const SIZE = 220;

/** A small static drawing of a layout coloured by true class (the run page's preview). */
export function ProjectorPreview(props: {
  data: ProjectorData;
  layout: ProjectorLayoutData;
  label: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const { data, layout } = props;
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const ctx = prepareCanvas(canvas, SIZE, SIZE);
    if (!ctx) return;
    drawPoints(ctx, {
      ...screenPositions(layout, { width: SIZE, height: SIZE, padding: 8 }),
      colors: pointColors(data, layout, 'label'),
      wrong: new Uint8Array(layout.points),
      markWrong: false,
      transform: { k: 1, x: 0, y: 0 },
      width: SIZE,
      height: SIZE,
      highlight: null,
      radius: 1.5,
      ink: '#000',
    });
  }, [data, layout]);
  return (
    <canvas
      ref={ref}
      className={styles.previewCanvas}
      style={{ width: SIZE, height: SIZE }}
      role="img"
      aria-label={props.label}
      data-testid="projector-preview"
    />
  );
}
