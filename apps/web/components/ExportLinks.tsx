/** Downloads of `GET /runs/:id/export/*`, proxied same-origin by next.config.ts like artifacts. */
export const EXPORTS = [
  { file: 'metrics.csv', label: 'Metrics CSV', needsEvaluation: false },
  { file: 'metrics.json', label: 'Metrics JSON', needsEvaluation: false },
  { file: 'evaluation.json', label: 'Evaluation JSON', needsEvaluation: true },
  { file: 'predictions.csv', label: 'Predictions CSV', needsEvaluation: true },
  { file: 'predictions.json', label: 'Predictions JSON', needsEvaluation: true },
] as const;

/** Same-origin export URL of a run. */
export function exportHref(runId: string, file: string): string {
  return `/runs/${encodeURIComponent(runId)}/export/${file}`;
}

/** Export links of a run; the evaluation and prediction exports only when the run has an evaluation. */
export function ExportLinks({
  runId,
  runName,
  hasEvaluation,
}: {
  runId: string;
  runName: string;
  hasEvaluation: boolean;
}) {
  return (
    <nav className="export-links" aria-label="Export" data-testid="export-links">
      <span className="meta">Export</span>
      {EXPORTS.filter((e) => hasEvaluation || !e.needsEvaluation).map((e) => (
        <a
          key={e.file}
          href={exportHref(runId, e.file)}
          download={`${runName}-${e.file}`}
          className="btn"
          data-export={e.file}
        >
          {e.label}
        </a>
      ))}
    </nav>
  );
}
