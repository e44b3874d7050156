/**
 * Canvas drawing of a projector layout: points batched by colour (one path per colour, so 10,000
 * points are a few dozen fills), misclassified samples as crosses, the highlighted sample ringed.
 * Points keep their screen size while zooming.
 */
import type { ViewTransform } from '@convscope/viz';

/** What {@link drawPoints} draws. */
export interface DrawInput {
  /** Un-zoomed CSS-pixel positions. */
  sx: Float32Array;
  sy: Float32Array;
  /** Colour of each point. */
  colors: readonly string[];
  /** 1 for a misclassified point (drawn as a cross when `markWrong`). */
  wrong: Uint8Array;
  markWrong: boolean;
  transform: ViewTransform;
  width: number;
  height: number;
  /** Point to ring (hovered here or in the other run), or null. */
  highlight: number | null;
  /** Radius in CSS pixels. */
  radius: number;
  /** Ring colour (the page's text colour). */
  ink: string;
}

/** Draws every point into a canvas context already scaled to CSS pixels. */
export function drawPoints(ctx: CanvasRenderingContext2D, d: DrawInput): void {
  const { sx, sy, transform: t, radius: r } = d;
  ctx.clearRect(0, 0, d.width, d.height);
  const byColor = new Map<string, number[]>();
  d.colors.forEach((c, i) => {
    const list = byColor.get(c);
    if (list) list.push(i);
    else byColor.set(c, [i]);
  });
  ctx.globalAlpha = 0.85;
  ctx.lineWidth = 1.5;
  for (const [color, points] of byColor) {
    ctx.fillStyle = color;
    ctx.strokeStyle = color;
    const dots = new Path2D();
    const crosses = new Path2D();
    for (const i of points) {
      const x = sx[i]! * t.k + t.x;
      const y = sy[i]! * t.k + t.y;
      if (x < -r || y < -r || x > d.width + r || y > d.height + r) continue;
      if (d.markWrong && d.wrong[i]) {
        crosses.moveTo(x - r - 1, y - r - 1);
        crosses.lineTo(x + r + 1, y + r + 1);
        crosses.moveTo(x + r + 1, y - r - 1);
        crosses.lineTo(x - r - 1, y + r + 1);
      } else {
        dots.moveTo(x + r, y);
        dots.arc(x, y, r, 0, 2 * Math.PI);
      }
    }
    ctx.fill(dots);
    ctx.stroke(crosses);
  }
  ctx.globalAlpha = 1;
  if (d.highlight !== null && d.highlight < sx.length) {
    const x = sx[d.highlight]! * t.k + t.x;
    const y = sy[d.highlight]! * t.k + t.y;
    ctx.lineWidth = 2.5;
    ctx.strokeStyle = d.ink;
    ctx.beginPath();
    ctx.arc(x, y, r + 6, 0, 2 * Math.PI);
    ctx.stroke();
  }
}

/** Sizes a canvas for the device pixel ratio and returns its context scaled to CSS pixels. */
export function prepareCanvas(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
): CanvasRenderingContext2D | null {
  const dpr = Math.min(window.devicePixelRatio || 1, 2);
  if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
  }
  const ctx = canvas.getContext('2d');
  ctx?.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}
