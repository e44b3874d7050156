'use client';
import { decodeBase64, filterSheet } from '@convscope/viz';
import { useMemo } from 'react';
import type { SnapshotFile } from '../../../lib/snapshots';
import { PixelCanvas } from '../../PixelCanvas';

/** Filters per row of the sheet. */
const COLUMNS = 8;

/** The first conv layer's kernels at one snapshot, as one sheet of tiles. */
export function FilterSheetView({ filters }: { filters: NonNullable<SnapshotFile['filters']> }) {
  const sheet = useMemo(
    () =>
      filterSheet(decodeBase64(filters.data), {
        count: filters.count,
        shape: filters.shape,
        channels: filters.channels,
        columns: COLUMNS,
      }),
    [filters],
  );
  // About 280 px wide, whatever the kernel size, so it fits a phone.
  const scale = Math.max(2, Math.floor(280 / sheet.width));
  return (
    <figure data-testid="snapshot-filters">
      <PixelCanvas
        pixels={sheet.pixels}
        width={sheet.width}
        height={sheet.height}
        scale={scale}
        testId="snapshot-filters-canvas"
        label={`${filters.count} filters of ${filters.layer}, ${filters.shape.join(' × ')}`}
      />
      <figcaption className="meta">
        {filters.layer}: {filters.count}
        {filters.count < filters.total ? ` of ${filters.total}` : ''} filters,{' '}
        {filters.shape.join(' × ')}, {filters.channels === 3 ? 'RGB' : 'gray'}, {filters.scaling}{' '}
        scaling per filter
      </figcaption>
    </figure>
  );
}
