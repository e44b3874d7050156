import type { ComparedRun } from '../../lib/compare';
import type { Colors } from './shared';

/** HTML legend of the overlaid charts: one swatch per run (the SVG legend would overflow with many runs). */
export function RunLegend({
  runs,
  colorOf,
  dashedNote,
}: {
  runs: ComparedRun[];
  colorOf: Colors;
  /** Add the key of solid (training) and dashed (validation) lines. */
  dashedNote?: boolean;
}) {
  return (
    <div className="run-legend">
      {runs.map((r) => (
        <span key={r.id} className="run-legend-item">
          <span className="swatch line" style={{ background: colorOf.get(r.id) }} />
          {r.name}
        </span>
      ))}
      {dashedNote ? (
        <span className="run-legend-item faint">
          <span className="line-key solid" /> training <span className="line-key dashed" />{' '}
          validation
        </span>
      ) : null}
    </div>
  );
}
