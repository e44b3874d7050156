'use client';
import Link from 'next/link';
import { useState } from 'react';
import { className, type ExplanationIndex } from '../lib/explain-pack';
import type { SampleImages } from '../lib/queries';
import { FeatureGallery } from './FeatureGallery';
import { FilterGallery } from './FilterGallery';
import { GradCamView } from './GradCamView';
import { SampleImage } from './SampleImage';
import { SaliencyLimeView } from './SaliencyLimeView';
import styles from './Explain.module.css';

/**
 * `/runs/[id]/explain`: what the network sees, from the run's explanation pack. One sample
 * picker drives the feature gallery, the Grad-CAM view and the saliency/LIME views; the filter
 * gallery is per layer.
 */
export function ExplainView({
  runId,
  runName,
  index,
  samples,
}: {
  runId: string;
  runName: string;
  index: ExplanationIndex;
  samples: SampleImages | null;
}) {
  const [sample, setSample] = useState(index.samples[0]?.index ?? 0);
  return (
    <div className={styles.page}>
      <div className="page-header">
        <h1>Explanations</h1>
        <p className="meta">
          <Link href={`/runs/${encodeURIComponent(runId)}`}>← {runName}</Link> ·{' '}
          {index.samples.length} test samples · {index.files.length} files · layer for CAMs:{' '}
          {index.camLayer ?? '—'}
        </p>
      </div>
      <section className="card" data-testid="sample-picker">
        <div className="card-header">
          <h2>Sample</h2>
          <span className="meta">
            correct and misclassified test images, at least one per class
          </span>
        </div>
        <div className={`card-body ${styles.picker}`}>
          {index.samples.map((s) => (
            <button
              key={s.index}
              type="button"
              className={`${styles.pick} ${s.index === sample ? styles.active : ''} ${s.correct ? '' : styles.wrong}`}
              data-sample={s.index}
              aria-pressed={s.index === sample}
              onClick={() => setSample(s.index)}
              title={`#${s.index}: true ${className(index, s.label)}, predicted ${className(index, s.predicted)} (${(s.confidence * 100).toFixed(0)}%)`}
            >
              <SampleImage
                runId={runId}
                samples={samples}
                index={s.index}
                alt={`test sample ${s.index}`}
              />
              <span>
                #{s.index} {className(index, s.label)}
                {s.correct ? '' : ` → ${className(index, s.predicted)}`}
              </span>
            </button>
          ))}
        </div>
      </section>
      <FeatureGallery runId={runId} index={index} sample={sample} />
      <GradCamView runId={runId} index={index} sample={sample} />
      <SaliencyLimeView runId={runId} index={index} sample={sample} onPick={setSample} />
      <FilterGallery runId={runId} index={index} samples={samples} />
      {index.skipped.length > 0 ? (
        <p className="meta" data-testid="explain-skipped">
          Left out of the pack: {index.skipped.map((s) => `${s.what} (${s.reason})`).join('; ')}
        </p>
      ) : null}
    </div>
  );
}
