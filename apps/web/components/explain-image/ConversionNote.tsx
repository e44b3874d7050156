'use client';
import styles from '../ExplainImage.module.css';
import { conversionNote, type Conversion } from './result-shaping';

/** What the worker did to the upload to fit the model input: sizes, channels, and each step. */
export function ConversionNote({ conversion }: { conversion: Conversion }) {
  const note = conversionNote(conversion);
  return (
    <div
      className={styles.conversion}
      data-testid="explain-conversion"
      data-changed={note.changed ? 'true' : 'false'}
    >
      <strong>Your image, as the model saw it.</strong> {note.summary}
      {conversion.steps.length > 0 ? (
        <ol className={styles.steps} aria-label="Conversion steps">
          {conversion.steps.map((s, i) => (
            <li key={i}>{s}</li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}
