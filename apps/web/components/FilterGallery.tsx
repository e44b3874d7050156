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
} from '../lib/explain-pack';
import type { SampleImages } from '../lib/queries';
import { useImagePixels } from '../lib/use-image-pixels';
import { PixelCanvas } from './PixelCanvas';
import { SampleImage } from './SampleImage';
import styles from './Explain.module.css';

/**
 * Filter gallery: for each conv layer, each computed channel's pattern (the input that
 * activates it most, by gradient ascent) beside the test images that activate it most.
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
                  data-testid="filter-layer"
                  onClick={() => setChosen(i)}
                >
                  {f.metadata.layer}
                </button>
              ))}
            </div>
            <FilterLayer runId={runId} file={file} samples={samples} />
          </>
        )}
      </div>
    </section>
  );
}

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
  const m = file.metadata;
  const channels = m.channel ?? [];
  const grid = tileGrid(m.grid!, channels.length);
  const scale = Math.max(1, Math.floor(84 / grid.tileWidth));
  return (
    <>
      <p className="meta">
        {m.layer}: output {formatShape(m.shape)} · first {channels.length} channels
      </p>
      <div className={styles.filterRows}>
        {channels.map((c, i) => {
          const top = m.topK?.find((t) => t.channel === c);
          return (
            <div key={c} className={styles.filterRow} data-testid="filter-channel" data-channel={c}>
              <figure className={styles.figure}>
                <PixelCanvas
                  pixels={pixels ? cropRgba(pixels, gridTileRect(grid, i)) : null}
                  width={grid.tileWidth}
                  height={grid.tileHeight}
                  scale={scale}
                  label={`pattern of channel ${c}`}
                />
                <figcaption>channel {c}</figcaption>
              </figure>
              <div
                className={styles.topImages}
                aria-label={`test images activating channel ${c} most`}
              >
                {(top?.samples ?? []).map((s, k) => (
                  <figure
                    key={s}
                    className={styles.figure}
                    title={`mean activation ${top?.values[k]?.toFixed(3) ?? '—'}`}
                  >
                    <SampleImage
                      runId={runId}
                      samples={samples}
                      index={s}
                      alt={`test sample ${s}`}
                    />
                    <figcaption className="num">#{s}</figcaption>
                  </figure>
                ))}
              </div>
            </div>
          );
        })}
      </div>
    </>
  );
}
