/** Notes longer than this (or on several lines) are folded behind their first line. */
export const NOTES_FOLD_CHARS = 160;

/** The run's notes: short ones as a line, long ones in a closed <details> (the curves come first). */
export function RunNotes({ notes }: { notes: string }) {
  const firstLine = notes.split('\n', 1)[0] ?? '';
  if (notes.length <= NOTES_FOLD_CHARS && firstLine === notes)
    return (
      <p className="page-subtitle" data-testid="run-notes">
        {notes}
      </p>
    );
  const teaser = firstLine.length > 80 ? `${firstLine.slice(0, 80).trimEnd()}…` : `${firstLine} …`;
  return (
    <details className="fold run-notes" data-testid="run-notes">
      <summary>
        <span className="fold-label">Notes</span> {teaser}
      </summary>
      <p className="fold-body">{notes}</p>
    </details>
  );
}
