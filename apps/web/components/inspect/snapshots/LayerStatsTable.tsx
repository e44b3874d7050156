'use client';
import { formatNumber, formatPercent, layerStatSeries } from '@convscope/viz';
import type { SnapshotFile } from '../../../lib/snapshots';
import { Sparkline } from '../../Sparkline';

/**
 * Each layer's activation statistics on the probes at the chosen snapshot, with the zero fraction
 * (dead ReLU outputs) across every snapshot as a sparkline.
 */
export function LayerStatsTable({
  snapshot,
  all,
}: {
  snapshot: SnapshotFile;
  all: readonly (SnapshotFile | null)[];
}) {
  const layers = snapshot.layers ?? [];
  if (layers.length === 0) return null;
  return (
    <div className="table-wrap">
      <table className="data" data-testid="snapshot-layer-stats">
        <caption className="meta">Activations on the probes</caption>
        <thead>
          <tr>
            <th scope="col">layer</th>
            <th scope="col" className="num">
              mean
            </th>
            <th scope="col" className="num">
              std
            </th>
            <th scope="col" className="num">
              zeros
            </th>
            <th scope="col">zeros over training</th>
          </tr>
        </thead>
        <tbody>
          {layers.map((l) => (
            <tr key={l.layer} data-layer={l.layer}>
              <td className="mono">
                {l.layer} <span className="faint">{l.className}</span>
              </td>
              <td className="num">{formatNumber(l.mean, 3)}</td>
              <td className="num">{formatNumber(l.std, 3)}</td>
              <td className="num">{formatPercent(l.zeroFraction, 1)}</td>
              <td>
                <Sparkline
                  points={layerStatSeries(all, l.layer, 'zeroFraction')}
                  label={`zero fraction of ${l.layer} over the snapshots`}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
