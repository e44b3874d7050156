'use client';
import { layoutCaption, projectorLegend, type ProjectorData } from '@convscope/viz';
import type { SampleImages } from '../../lib/queries';
import type { ProjectorSettings } from './ProjectorControls';
import { ProjectorCanvas } from './ProjectorCanvas';
import styles from './Projector.module.css';

/** One run's projection in the chosen method and colours, with its caption and legend. */
export function ProjectorPanel(props: {
  runId: string;
  runName: string;
  data: ProjectorData;
  settings: ProjectorSettings;
  highlightSample: number | null;
  onHoverSample?: (sample: number | null) => void;
  samples: SampleImages | null;
}) {
  const { data, settings } = props;
  const layout = data.layouts.find((l) => l.method === settings.method) ?? data.layouts[0] ?? null;
  if (!layout) return <p className="meta">No layout was computed (see what was skipped below).</p>;
  const caption = layoutCaption(layout, data.count);
  const legend = projectorLegend(data, settings.mode);
  const wrong = data.labels.reduce((n, l, s) => n + (l === data.predicted[s] ? 0 : 1), 0);
  return (
    <figure className={styles.panel} data-testid="projector-panel" data-method={layout.method}>
      <figcaption className={styles.caption}>
        <span data-testid="projector-caption">{caption}</span>{' '}
        <span className="meta">
          {layout.points.toLocaleString('en-US')} points · {data.featureLayer} ({data.featureDim}{' '}
          features) · {wrong.toLocaleString('en-US')} misclassified
        </span>
      </figcaption>
      <ProjectorCanvas
        runId={props.runId}
        data={data}
        layout={layout}
        mode={settings.mode}
        markWrong={settings.markWrong}
        highlightSample={props.highlightSample}
        onHoverSample={props.onHoverSample}
        samples={props.samples}
        label={`${caption} of the test features of ${props.runName}, coloured by ${settings.mode === 'label' ? 'true class' : settings.mode === 'predicted' ? 'predicted class' : 'confidence'}. Use the sample search below to reach points with the keyboard.`}
      />
      <ul className={styles.legend} aria-label="Legend" data-testid="projector-legend">
        {legend.map((e) => (
          <li key={e.label}>
            <span className={styles.swatch} style={{ background: e.color }} aria-hidden="true" />
            {e.label}
          </li>
        ))}
        {settings.markWrong && settings.mode !== 'confidence' ? (
          <li>
            <span aria-hidden="true" className={styles.cross}>
              ×
            </span>
            misclassified
          </li>
        ) : null}
      </ul>
    </figure>
  );
}
