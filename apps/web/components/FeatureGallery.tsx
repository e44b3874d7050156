'use client';
import { gridTileAt, gridTileRect } from '@convscope/viz';
import { useMemo, useState, type MouseEvent } from 'react';
import {
  activationGrids,
  cropRgba,
  formatShape,
  packFileUrl,
  tileGrid,
  type ExplanationIndex,
  type PackFile,
  type PackMetadata,
  type StoredGrid,
} from '../lib/explain-pack';
import { useImagePixels } from '../lib/use-image-pixels';
import { PixelCanvas } from './PixelCanvas';
import styles from './Explain.module.css';

const GRID_PX = 420; // displayed width of a channel grid
const ZOOM_PX = 196; // displayed size of an enlarged channel

/**
 * Layer-by-layer feature gallery: one layer at a time (Previous / Next walk the layers in model
 * order), its channel grid for the chosen sample with the layer's shape in the caption; clicking
 * a channel enlarges it.
 */
export function FeatureGallery({
  runId,
  index,
  sample,
}: {
  runId: string;
  index: ExplanationIndex;
  sample: number;
}) {
  const grids = useMemo(() => activationGrids(index, sample), [index, sample]);
  const [step, setStep] = useState(0);
  const [channel, setChannel] = useState<number | null>(null);
  const at = Math.min(step, Math.max(0, grids.length - 1));
  const file = grids[at];
  const { pixels } = useImagePixels(file ? packFileUrl(runId, file.name) : null);
  // Another grid has other channels: drop the chosen one (while rendering, not in an effect).
  const [channelGrid, setChannelGrid] = useState(file?.name);
  if (channelGrid !== file?.name) {
    setChannelGrid(file?.name);
    setChannel(null);
  }
  if (!file) {
    return (
      <section className="card" data-testid="feature-gallery">
        <div className="card-header">
          <h2>Feature maps</h2>
        </div>
        <div className="card-body meta">No activation grids for this sample.</div>
      </section>
    );
  }
  const m = file.metadata;
  const grid = tileGrid(m.grid!, m.channels ?? 0);
  const scale = Math.max(1, Math.floor(GRID_PX / (pixels?.width ?? GRID_PX)));
  const layerInfo = index.layers.find((l) => l.path === m.layer);
  const onClick = (e: MouseEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const k = gridTileAt(
      grid,
      ((e.clientX - r.left) / r.width) * e.currentTarget.width,
      ((e.clientY - r.top) / r.height) * e.currentTarget.height,
    );
    if (k !== null) setChannel(k);
  };
  const zoom = channel !== null && pixels ? cropRgba(pixels, gridTileRect(grid, channel)) : null;
  const tile = m.grid!;
  return (
    <section className="card" data-testid="feature-gallery">
      <div className="card-header">
        <h2>Feature maps</h2>
        <span className="meta">
          activations of sample #{sample}, each channel scaled to its own range
        </span>
      </div>
      <div className="card-body">
        <LayerStepper grids={grids} at={at} metadata={m} layerInfo={layerInfo} onStep={setStep} />
        <div className={styles.galleryRow}>
          <figure className={styles.figure}>
            <PixelCanvas
              pixels={pixels ? pixels.data : null}
              width={pixels?.width ?? 1}
              height={pixels?.height ?? 1}
              scale={scale}
              testId="feature-grid"
              label={`channel grid of ${m.layer}`}
              className={styles.clickable}
              onClick={onClick}
            />
            <figcaption>
              {m.layer}: {formatShape(m.shape)} · click a channel to enlarge it
            </figcaption>
          </figure>
          <ChannelZoom zoom={zoom} tile={tile} channel={channel} layer={m.layer} />
        </div>
      </div>
    </section>
  );
}

/**
 * Previous / Next buttons around the caption of layer `at` (name, class, shape, channels shown),
 * and the list of every layer to jump to.
 */
function LayerStepper({
  grids,
  at,
  metadata: m,
  layerInfo,
  onStep,
}: {
  grids: PackFile[];
  at: number;
  /** Metadata of `grids[at]`. */
  metadata: PackMetadata;
  layerInfo: ExplanationIndex['layers'][number] | undefined;
  onStep: (step: number) => void;
}) {
  return (
    <>
      <div className={styles.stepper}>
        <button
          type="button"
          className="btn"
          data-testid="layer-prev"
          disabled={at === 0}
          onClick={() => onStep(at - 1)}
        >
          ← Previous layer
        </button>
        <span data-testid="layer-caption" data-layer={m.layer}>
          Layer {at + 1} of {grids.length}: <strong>{m.layer}</strong>
          {layerInfo ? ` (${layerInfo.className})` : ''} · {formatShape(m.shape)}
          {m.channels !== undefined && m.shape?.[2] !== undefined && m.channels < m.shape[2]
            ? ` (first ${m.channels} channels)`
            : ''}
        </span>
        <button
          type="button"
          className="btn"
          data-testid="layer-next"
          disabled={at >= grids.length - 1}
          onClick={() => onStep(at + 1)}
        >
          Next layer →
        </button>
      </div>
      <ol className={styles.layerList} aria-label="layers">
        {grids.map((g, i) => (
          <li key={g.name}>
            <button
              type="button"
              className={i === at ? styles.activeLink : styles.link}
              onClick={() => onStep(i)}
            >
              {g.metadata.layer}
            </button>
          </li>
        ))}
      </ol>
    </>
  );
}

/** The chosen channel enlarged (`zoom`: its cropped pixels), or a hint to click one. */
function ChannelZoom({
  zoom,
  tile,
  channel,
  layer,
}: {
  zoom: Uint8ClampedArray | null;
  tile: StoredGrid;
  channel: number | null;
  layer: string | undefined;
}) {
  return (
    <figure className={styles.figure} data-testid="channel-zoom" data-channel={channel ?? ''}>
      {zoom ? (
        <>
          <PixelCanvas
            pixels={zoom}
            width={tile.tileWidth}
            height={tile.tileHeight}
            scale={Math.max(1, Math.floor(ZOOM_PX / tile.tileWidth))}
            testId="channel-zoom-canvas"
            label={`channel ${channel} of ${layer}`}
          />
          <figcaption>
            {layer} · channel {channel} · {tile.tileHeight} × {tile.tileWidth}
          </figcaption>
        </>
      ) : (
        <div className={`meta ${styles.placeholder}`}>
          Click a channel of the grid to enlarge it.
        </div>
      )}
    </figure>
  );
}
