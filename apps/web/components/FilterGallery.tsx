'use client';
import { gridTileRect } from '@convscope/viz';
import { useState } from 'react';
import {
  cropRgba,
  formatShape,
  packFileUrl,
  tileGrid,
  type ExplanationIndex,
  type PackFile,
  type PackMetadata,
} from '../lib/explain-pack';
import type { SampleImages } from '../lib/queries';
import { useImagePixels } from '../lib/use-image-pixels';
import { PixelCanvas } from './PixelCanvas';
import { SampleImage } from './SampleImage';
import styles from './FilterGallery.module.css';

/** Channels per page of the gallery (the pack computes them in batches of the same size). */
export const FILTERS_PER_PAGE = 16;

/** Smallest drawn side of a pattern tile in CSS pixels (small patterns are scaled up, pixelated). */
const MIN_TILE = 96;

/** The filters file's metadata as libs/ml's filters stage writes it. */
type FilterMetadata = PackMetadata & {
  /** Channels of the layer, computed or not. */
  totalChannels?: number;
  /** Mean activation of each computed channel on its pattern. */
  losses?: number[];
  /** Share of each pattern's spectral energy at low frequencies. */
  lowFrequency?: number[];
  /** `[height, width]` the patterns were computed on. */
  canvas?: number[];
};

/** One page of a layer's computed channels. */
export interface FilterPage {
  /** Zero-based page, clamped to the pages there are. */
  page: number;
  pages: number;
  /** Positions in the file's channel list shown on this page. */
  positions: number[];
  /** "Channels 16–31 of 64". */
  label: string;
}

/**
 * The page `page` of `channels` (the computed channel numbers, in file order), with a label
 * naming the first and last channel shown and the layer's channel count.
 */
export function filterPage(
  channels: readonly number[],
  page: number,
  options: { perPage?: number; total?: number } = {},
): FilterPage {
  const perPage = options.perPage ?? FILTERS_PER_PAGE;
  const pages = Math.max(1, Math.ceil(channels.length / perPage));
  const p = Math.min(Math.max(0, Math.floor(page)), pages - 1);
  const positions = channels
    .map((_, i) => i)
    .slice(p * perPage, Math.min(channels.length, (p + 1) * perPage));
  const firstShown = channels[positions[0] ?? -1];
  const lastShown = channels[positions[positions.length - 1] ?? -1];
  const total = options.total ?? channels.length;
  const label =
    firstShown === undefined
      ? 'No channels'
      : `Channels ${firstShown}–${lastShown ?? firstShown} of ${total}`;
  return { page: p, pages, positions, label };
}

/**
 * The page that shows `channel`, or null when the pack did not compute it (left out by the time
 * budget, or not in the layer).
 */
export function pageOfChannel(
  channels: readonly number[],
  channel: number,
  perPage = FILTERS_PER_PAGE,
): number | null {
  const at = channels.indexOf(channel);
  return at < 0 ? null : Math.floor(at / perPage);
}

/**
 * Filter gallery: for each conv layer, every computed channel's pattern (the input that
 * activates it most, by gradient ascent) as large pixelated tiles, a page at a time, with the
 * mean activation it reaches and the test images that activate the channel most.
 */
export function FilterGallery({
  runId,
  index,
  samples,
}: {
  runId: string;
  index: ExplanationIndex;
  samples: SampleImages | null;
}) {
  const layers = index.files.filter((f) => f.kind === 'filters');
  const [chosen, setChosen] = useState(0);
  const file = layers[Math.min(chosen, layers.length - 1)];
  return (
    <section className="card" data-testid="filter-gallery">
      <div className="card-header">
        <h2>Filters</h2>
        <span className="meta">
          what each channel responds to, and the test images that excite it most
        </span>
      </div>
      <div className="card-body">
        {!file ? (
          <div className="meta">No filter patterns in the pack.</div>
        ) : (
          <>
            <div className="segmented" role="group" aria-label="conv layer">
              {layers.map((f, i) => (
                <button
                  key={f.name}
                  type="button"
                  className={f === file ? 'active' : ''}
                  aria-pressed={f === file}
                  data-testid="filter-layer"
                  onClick={() => setChosen(i)}
                >
                  {f.metadata.layer}
                </button>
              ))}
            </div>
            {/* keyed by file: a new layer starts on its first page */}
            <FilterLayer key={file.name} runId={runId} file={file} samples={samples} />
          </>
        )}
      </div>
    </section>
  );
}

/** One layer: caption, pager with a channel jump, and a page of tiles. */
function FilterLayer({
  runId,
  file,
  samples,
}: {
  runId: string;
  file: PackFile;
  samples: SampleImages | null;
}) {
  const { pixels } = useImagePixels(packFileUrl(runId, file.name));
  const m = file.metadata as FilterMetadata;
  const channels = m.channel ?? [];
  const total = m.totalChannels ?? channels.length;
  const [page, setPage] = useState(0);
  const [highlight, setHighlight] = useState<number | null>(null);
  const shown = filterPage(channels, page, { total });
  const grid = tileGrid(m.grid!, channels.length);
  const grayscale = (m.imageShape?.[2] ?? 1) === 1;
  return (
    <>
      <p className="meta" data-testid="filter-caption">
        {m.layer}: output {formatShape(m.shape)} · {channels.length} of {total} channels computed
        {m.canvas ? ` · patterns on a ${m.canvas[0]} × ${m.canvas[1]} canvas` : ''}
        {grayscale ? ' · grayscale' : ''}
      </p>
      <Pager
        shown={shown}
        channels={channels}
        total={total}
        onPage={setPage}
        onJump={(p, channel) => {
          setPage(p);
          setHighlight(channel);
        }}
      />
      <div className={styles.tiles} data-testid="filter-tiles" data-page={shown.page}>
        {shown.positions.map((i) => {
          const c = channels[i]!;
          return (
            <FilterTile
              key={c}
              runId={runId}
              channel={c}
              pixels={pixels ? cropRgba(pixels, gridTileRect(grid, i)) : null}
              tile={[grid.tileWidth, grid.tileHeight]}
              activation={m.losses?.[i]}
              top={m.topK?.find((t) => t.channel === c)}
              samples={samples}
              highlighted={c === highlight}
            />
          );
        })}
      </div>
    </>
  );
}

/** Prev / next, the page label, and a channel jump that reports channels it cannot show. */
function Pager({
  shown,
  channels,
  total,
  onPage,
  onJump,
}: {
  shown: FilterPage;
  channels: readonly number[];
  total: number;
  onPage: (page: number) => void;
  onJump: (page: number, channel: number) => void;
}) {
  const [jumpError, setJumpError] = useState<string | null>(null);
  const jump = (value: string) => {
    const channel = Number(value);
    if (value.trim() === '' || !Number.isInteger(channel)) return;
    const p = pageOfChannel(channels, channel);
    if (p === null) {
      setJumpError(
        channel >= 0 && channel < total
          ? `Channel ${channel} was not computed (time budget).`
          : `No channel ${channel}: the layer has channels 0–${total - 1}.`,
      );
      return;
    }
    setJumpError(null);
    onJump(p, channel);
  };
  return (
    <>
      <div className={styles.pager} role="group" aria-label="filter pages">
        <button
          type="button"
          className="btn"
          data-testid="filter-prev"
          disabled={shown.page === 0}
          onClick={() => {
            setJumpError(null);
            onPage(shown.page - 1);
          }}
        >
          ‹ Prev
        </button>
        <span className={styles.pageLabel} data-testid="filter-page" aria-live="polite">
          {shown.label} · page {shown.page + 1} of {shown.pages}
        </span>
        <button
          type="button"
          className="btn"
          data-testid="filter-next"
          disabled={shown.page >= shown.pages - 1}
          onClick={() => {
            setJumpError(null);
            onPage(shown.page + 1);
          }}
        >
          Next ›
        </button>
        <label className={styles.jump}>
          Channel
          <input
            type="number"
            min={0}
            max={Math.max(0, total - 1)}
            inputMode="numeric"
            data-testid="filter-jump"
            onChange={(e) => jump(e.currentTarget.value)}
          />
        </label>
      </div>
      {jumpError && (
        <p className="meta" role="status" data-testid="filter-jump-error">
          {jumpError}
        </p>
      )}
    </>
  );
}

/** One channel: its pattern (at least {@link MIN_TILE} px, square pixels) and top test images. */
function FilterTile({
  runId,
  channel: c,
  pixels,
  tile: [width, height],
  activation,
  top,
  samples,
  highlighted,
}: {
  runId: string;
  channel: number;
  pixels: Uint8ClampedArray | null;
  tile: [number, number];
  activation: number | undefined;
  top: { samples: number[]; values: number[] } | undefined;
  samples: SampleImages | null;
  highlighted: boolean;
}) {
  return (
    <div
      className={highlighted ? `${styles.tile} ${styles.highlight}` : styles.tile}
      data-testid="filter-channel"
      data-channel={c}
    >
      <figure className={styles.pattern}>
        <PixelCanvas
          pixels={pixels}
          width={width}
          height={height}
          scale={Math.max(1, Math.ceil(MIN_TILE / width))}
          testId="filter-pattern"
          label={`pattern of channel ${c}`}
          className={styles.canvas}
        />
        <figcaption>
          <strong>channel {c}</strong>
          {activation !== undefined && (
            <span
              className={`num ${styles.activation}`}
              title="mean activation of the channel on its pattern"
            >
              act {activation.toFixed(3)}
            </span>
          )}
        </figcaption>
      </figure>
      <div className={styles.topImages} aria-label={`test images activating channel ${c} most`}>
        {(top?.samples ?? []).map((s, k) => (
          <figure
            key={s}
            className={styles.top}
            title={`test sample #${s}: mean activation ${top?.values[k]?.toFixed(3) ?? '—'}`}
          >
            <SampleImage runId={runId} samples={samples} index={s} alt={`test sample ${s}`} />
          </figure>
        ))}
      </div>
    </div>
  );
}
