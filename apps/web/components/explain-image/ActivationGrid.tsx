'use client';
// The activation grid with zoom: every tile is a button (one tab stop, arrow keys move between
// tiles) that opens the channel large in a modal dialog with its index, value range and the
// colour bar; the dialog steps through channels with ← / → and closes with Escape.
import { colormapCss } from '@convscope/viz';
import {
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type RefObject,
} from 'react';
import styles from '../ExplainImage.module.css';
import {
  channelSummary,
  formatValue,
  gridTiles,
  type GridTile,
  type UploadResult,
} from './result-shaping';

type Grid = NonNullable<UploadResult['activations']['grid']>;
type Statistics = UploadResult['activations']['statistics'];

/** The grid image with a button over each tile, and the zoom dialog. */
export function ActivationGrid({
  grid,
  shape,
  layer,
  statistics,
}: {
  grid: Grid;
  shape: number[];
  layer: string;
  statistics: Statistics;
}) {
  const tiles = useMemo(() => gridTiles(grid, shape), [grid, shape]);
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const [focus, setFocus] = useState(0);
  const [open, setOpen] = useState<number | null>(null);
  const src = `data:image/png;base64,${grid.pngBase64}`;
  return (
    <figure className={styles.grid}>
      <div className={styles.gridWrap}>
        {/* A plain <img>: the inline PNG from the worker. */}
        <img
          src={src}
          width={grid.width}
          height={grid.height}
          alt={grid.caption}
          data-testid="explain-grid"
        />
        <TileButtons
          tiles={tiles}
          grid={grid}
          focus={focus}
          buttons={buttons}
          onFocus={setFocus}
          onOpen={(k) => {
            setFocus(k);
            setOpen(k);
          }}
        />
      </div>
      <figcaption className="meta">
        {grid.caption}
        {tiles.length ? ' · click a tile (or Enter on it) to open the channel large' : ''}
      </figcaption>
      {open !== null && tiles[open] ? (
        <TileDialog
          tile={tiles[open]}
          count={tiles.length}
          layer={layer}
          statistics={statistics}
          src={src}
          onStep={(k) => {
            setOpen(k);
            setFocus(k);
          }}
          onClose={() => {
            setOpen(null);
            buttons.current[focus]?.focus();
          }}
        />
      ) : null}
    </figure>
  );
}

/**
 * A transparent button over each tile (positions in percent, so they follow the scaled image);
 * one tab stop, the arrow keys move between tiles.
 */
function TileButtons({
  tiles,
  grid,
  focus,
  buttons,
  onFocus,
  onOpen,
}: {
  tiles: GridTile[];
  grid: Grid;
  focus: number;
  buttons: RefObject<(HTMLButtonElement | null)[]>;
  onFocus: (k: number) => void;
  onOpen: (k: number) => void;
}) {
  const columns = grid.columns ?? 1;
  const step: Record<string, number> = {
    ArrowLeft: -1,
    ArrowRight: 1,
    ArrowUp: -columns,
    ArrowDown: columns,
  };
  function onKey(e: KeyboardEvent<HTMLButtonElement>, k: number) {
    const d = step[e.key];
    if (d === undefined) return;
    e.preventDefault();
    const next = Math.min(tiles.length - 1, Math.max(0, k + d));
    onFocus(next);
    buttons.current[next]?.focus();
  }
  const pct = (v: number, of: number) => `${(100 * v) / of}%`;
  return tiles.map((t) => (
    <button
      key={t.channel}
      ref={(el) => {
        buttons.current[t.channel] = el;
      }}
      type="button"
      className={styles.gridTile}
      style={{
        left: pct(t.x, grid.width),
        top: pct(t.y, grid.height),
        width: pct(t.width, grid.width),
        height: pct(t.height, grid.height),
      }}
      tabIndex={t.channel === focus ? 0 : -1}
      aria-label={`Channel ${t.channel}: open large`}
      title={`Channel ${t.channel}`}
      data-testid="explain-grid-tile"
      data-channel={t.channel}
      onClick={() => onOpen(t.channel)}
      onKeyDown={(e) => onKey(e, t.channel)}
    />
  ));
}

/** A canvas ref on which the tile, cropped from the grid image at `src`, is drawn. */
function useTileCanvas(src: string, tile: GridTile): RefObject<HTMLCanvasElement | null> {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const img = new Image();
    let live = true;
    img.onload = () => {
      const c = canvas.current;
      const ctx = c?.getContext('2d');
      if (!live || !c || !ctx) return;
      c.width = tile.width;
      c.height = tile.height;
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(img, tile.x, tile.y, tile.width, tile.height, 0, 0, tile.width, tile.height);
      c.dataset.channel = String(tile.channel);
    };
    img.src = src;
    return () => {
      live = false;
    };
  }, [src, tile]);
  return canvas;
}

/**
 * One channel large: the tile cropped from the grid image, its statistics, the colour bar (its
 * title id is unique: the grid is also used by the explanations page's on-demand card).
 */
function TileDialog({
  tile,
  count,
  layer,
  statistics,
  src,
  onStep,
  onClose,
}: {
  tile: GridTile;
  count: number;
  layer: string;
  statistics: Statistics;
  /** The grid image's URL (a data URL). */
  src: string;
  onStep: (channel: number) => void;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const k = tile.channel;
  const canvas = useTileCanvas(src, tile);
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);
  const step = (d: number) => onStep((k + d + count) % count);
  return (
    <dialog
      ref={dialog}
      className={styles.tileDialog}
      aria-labelledby={titleId}
      data-testid="explain-tile-dialog"
      data-channel={k}
      onClose={onClose}
      onKeyDown={(e) => {
        if (e.key === 'ArrowLeft') step(-1);
        else if (e.key === 'ArrowRight') step(1);
      }}
    >
      <div className={styles.tileHead}>
        <h3 id={titleId}>
          {layer} · channel {k}
        </h3>
        <button
          type="button"
          className="btn"
          onClick={() => dialog.current?.close()}
          data-testid="explain-tile-close"
        >
          Close
        </button>
      </div>
      <canvas
        ref={canvas}
        className={styles.tileCanvas}
        role="img"
        aria-label={`Activations of channel ${k} of ${layer}`}
        data-testid="explain-tile-canvas"
      />
      <TileStats statistics={statistics} channel={k} />
      <TileNav channel={k} count={count} onStep={step} />
    </dialog>
  );
}

/** Previous / next channel buttons (wrapping around). */
function TileNav({
  channel: k,
  count,
  onStep,
}: {
  channel: number;
  count: number;
  onStep: (delta: number) => void;
}) {
  return (
    <div className={styles.tileNav}>
      <button
        type="button"
        className="btn"
        onClick={() => onStep(-1)}
        data-testid="explain-tile-prev"
      >
        ← Channel {(k - 1 + count) % count}
      </button>
      <button
        type="button"
        className="btn"
        onClick={() => onStep(1)}
        data-testid="explain-tile-next"
      >
        Channel {(k + 1) % count} →
      </button>
    </div>
  );
}

/** The colour bar with the channel's range under it, and its statistics. */
function TileStats({ statistics, channel }: { statistics: Statistics; channel: number }) {
  const s = channelSummary(statistics, channel);
  return (
    <>
      <div
        className={styles.colorBar}
        style={{
          background: `linear-gradient(to right, ${[0, 0.25, 0.5, 0.75, 1].map((x) => colormapCss('viridis', x)).join(', ')})`,
        }}
        aria-hidden
      />
      <div className={`meta ${styles.colorBarLabels}`}>
        <span>{s.min !== null ? formatValue(s.min) : 'channel min'}</span>
        <span>{formatValue(s.max)}</span>
      </div>
      <dl className={styles.tileStats} data-testid="explain-tile-stats">
        <dt>Value range</dt>
        <dd className="num">
          {formatValue(s.min)} … {formatValue(s.max)}
        </dd>
        <dt>Mean</dt>
        <dd className="num">{formatValue(s.mean)}</dd>
        <dt>Zeros</dt>
        <dd className="num">
          {s.zeroFraction === null ? '—' : `${(s.zeroFraction * 100).toFixed(1)}%`}
        </dd>
      </dl>
      <p className="meta">
        Each channel is scaled from its own minimum to its maximum (viridis), so weak and strong
        channels both show their pattern.
      </p>
    </>
  );
}
