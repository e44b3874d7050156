'use client';
import Link from 'next/link';
import { useState } from 'react';
import { className, type ExplanationIndex } from '../lib/explain-pack';
import {
  DEFAULT_METHODS,
  explainHref,
  type ExplainLayer,
  type ExplainParams,
} from '../lib/explain-sample';
import type { SampleImages } from '../lib/queries';
import { OnDemandExplain, type OnDemandParams } from './explain/OnDemandExplain';
import { SamplePicker } from './explain/SamplePicker';
import type { FoundSample } from './explain/use-sample-search';
import { FeatureGallery } from './FeatureGallery';
import { FilterGallery } from './FilterGallery';
import { GradCamView } from './GradCamView';
import { SampleImage } from './SampleImage';
import { SaliencyLimeView } from './SaliencyLimeView';
import styles from './Explain.module.css';

/** What the page knows of the run besides its pack. */
export interface ExplainRunInfo {
  id: string;
  name: string;
  classNames: string[];
  /** Layers with a spatial output (the CAM layers), in model order. */
  layers: ExplainLayer[];
  samples: SampleImages | null;
  /** A stored TF.js model and stored test images: the worker can explain any sample. */
  canExplain: boolean;
  /** An evaluation's predictions exist to search. */
  hasEvaluation: boolean;
}

/** Props of {@link ExplainView}. */
export interface ExplainViewProps {
  run: ExplainRunInfo;
  /** The run's explanation pack; null when it has none. */
  index: ExplanationIndex | null;
  /** What the address asked for (`?sample=&class=&layer=&method=`). */
  initial: ExplainParams;
}

/** True class, predicted class and confidence of a sample, from the pack or a search. */
type Known = { label: number; predicted: number; confidence: number; correct: boolean };

/**
 * `/runs/[id]/explain`: what the network sees. A sample is picked from the pack's preselected
 * set or found anywhere in the test split; the worker explains it on demand (any class, layer
 * and method) and the pack's precomputed views show when the sample is one of its own. The
 * address follows the choices, so every view is a link.
 */
export function ExplainView({ run, index, initial }: ExplainViewProps) {
  const inPack = (s: number | null) => s !== null && !!index?.samples.some((x) => x.index === s);
  const [sample, setSample] = useState<number | null>(
    initial.sample ?? index?.samples[0]?.index ?? null,
  );
  const [found, setFound] = useState<Known | null>(null);
  const [params, setParams] = useState<OnDemandParams>({
    classIndex: initial.classIndex,
    layer: initial.layer && run.layers.some((l) => l.name === initial.layer) ? initial.layer : null,
    methods: initial.methods.length ? initial.methods : [...DEFAULT_METHODS],
  });
  const [tab, setTab] = useState<'pack' | 'search'>(
    index && (initial.sample === null || inPack(initial.sample)) ? 'pack' : 'search',
  );
  // The address follows the choices (replaceState: Next.js keeps its router in step).
  const write = (s: number | null, p: OnDemandParams) =>
    window.history.replaceState(null, '', explainHref(run.id, { sample: s, ...p }));
  const pick = (s: number, k: Known | null) => {
    setSample(s);
    setFound(k);
    write(s, params);
  };
  const changeParams = (p: OnDemandParams) => {
    setParams(p);
    write(sample, p);
  };
  const packSample = index?.samples.find((x) => x.index === sample);
  const known: Known | null = packSample ?? (found && sample !== null ? found : null);
  return (
    <div className={styles.page}>
      <ExplainHeader run={run} index={index} />
      <section className="card" aria-labelledby="sample-title">
        <div className="card-header">
          <h2 id="sample-title">Sample</h2>
          <SampleTabs tab={tab} onTab={setTab} index={index} run={run} />
        </div>
        <div className="card-body">
          {tab === 'pack' && index ? (
            <PackPicker run={run} index={index} sample={sample} onPick={(s) => pick(s, null)} />
          ) : (
            <SearchPanel run={run} sample={sample} onPick={(s, k) => pick(s, k)} />
          )}
        </div>
      </section>
      {sample !== null && run.canExplain ? (
        <OnDemandExplain
          runId={run.id}
          classNames={run.classNames}
          layers={run.layers}
          sample={sample}
          known={known}
          params={params}
          onParams={changeParams}
        />
      ) : !run.canExplain ? (
        <p className="meta" data-testid="ondemand-unavailable">
          On-demand explanations need the run&apos;s TF.js model and its stored test images.
        </p>
      ) : null}
      {index ? (
        <PackViews
          run={run}
          index={index}
          sample={sample}
          onPick={(s) => {
            setTab('pack');
            pick(s, null);
          }}
        />
      ) : null}
    </div>
  );
}

/**
 * The pack's precomputed views: feature maps and CAMs when `sample` is one of its samples,
 * saliency / LIME (their own few samples) and the filter gallery.
 */
function PackViews({
  run,
  index,
  sample,
  onPick,
}: {
  run: ExplainRunInfo;
  index: ExplanationIndex;
  sample: number | null;
  onPick: (s: number) => void;
}) {
  const packSample = index.samples.find((x) => x.index === sample);
  return (
    <>
      {sample !== null && packSample ? (
        <>
          <FeatureGallery runId={run.id} index={index} sample={sample} />
          <GradCamView runId={run.id} index={index} sample={sample} />
        </>
      ) : (
        <p className="meta" data-testid="pack-views-note">
          The pack&apos;s precomputed feature maps and CAMs cover its {index.samples.length}{' '}
          preselected samples; pick one of them under &ldquo;Pack samples&rdquo; to see them.
        </p>
      )}
      <SaliencyLimeView runId={run.id} index={index} sample={sample ?? -1} onPick={onPick} />
      <FilterGallery runId={run.id} index={index} samples={run.samples} />
      {index.skipped.length > 0 ? (
        <p className="meta" data-testid="explain-skipped">
          Left out of the pack: {index.skipped.map((s) => `${s.what} (${s.reason})`).join('; ')}
        </p>
      ) : null}
    </>
  );
}

/** Title, the way back to the run, and what the pack holds. */
function ExplainHeader({ run, index }: { run: ExplainRunInfo; index: ExplanationIndex | null }) {
  return (
    <div className="page-header">
      <h1>Explanations</h1>
      <p className="meta">
        <Link href={`/runs/${encodeURIComponent(run.id)}`}>← {run.name}</Link> ·{' '}
        {index
          ? `pack: ${index.samples.length} test samples · ${index.files.length} files · layer for CAMs: ${index.camLayer ?? '—'}`
          : 'no explanation pack'}
        {run.samples ? ` · ${run.samples.count.toLocaleString('en-US')} test images stored` : ''}
      </p>
    </div>
  );
}

/** "Pack samples" / "Search the test split" (a tab list; arrow keys move between the two). */
function SampleTabs({
  tab,
  onTab,
  index,
  run,
}: {
  tab: 'pack' | 'search';
  onTab: (t: 'pack' | 'search') => void;
  index: ExplanationIndex | null;
  run: ExplainRunInfo;
}) {
  const tabs: { id: 'pack' | 'search'; label: string; on: boolean }[] = [
    { id: 'pack', label: `Pack samples (${index?.samples.length ?? 0})`, on: !!index },
    { id: 'search', label: 'Search the test split', on: run.hasEvaluation || run.canExplain },
  ];
  const shown = tabs.filter((t) => t.on);
  return (
    <div role="tablist" aria-label="How to pick a sample" className={styles.tabs}>
      {shown.map((t, i) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          id={`sample-tab-${t.id}`}
          data-testid={`sample-tab-${t.id}`}
          aria-selected={tab === t.id}
          tabIndex={tab === t.id ? 0 : -1}
          className={tab === t.id ? styles.tabActive : styles.tab}
          onClick={() => onTab(t.id)}
          onKeyDown={(e) => {
            if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
            const next =
              shown[(i + (e.key === 'ArrowRight' ? 1 : shown.length - 1)) % shown.length];
            if (next) {
              onTab(next.id);
              document.getElementById(`sample-tab-${next.id}`)?.focus();
            }
          }}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}

/** The pack's preselected samples (correct and misclassified, at least one per class). */
function PackPicker({
  run,
  index,
  sample,
  onPick,
}: {
  run: ExplainRunInfo;
  index: ExplanationIndex;
  sample: number | null;
  onPick: (s: number) => void;
}) {
  return (
    <div role="tabpanel" aria-labelledby="sample-tab-pack">
      <p className="meta">correct and misclassified test images, at least one per class</p>
      <div className={styles.picker} data-testid="sample-picker">
        {index.samples.map((s) => (
          <button
            key={s.index}
            type="button"
            className={`${styles.pick} ${s.index === sample ? styles.active : ''} ${s.correct ? '' : styles.wrong}`}
            data-sample={s.index}
            aria-pressed={s.index === sample}
            onClick={() => onPick(s.index)}
            title={`#${s.index}: true ${className(index, s.label)}, predicted ${className(index, s.predicted)} (${(s.confidence * 100).toFixed(0)}%)`}
          >
            <SampleImage
              runId={run.id}
              samples={run.samples}
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
    </div>
  );
}

/** The search of the whole test split. */
function SearchPanel({
  run,
  sample,
  onPick,
}: {
  run: ExplainRunInfo;
  sample: number | null;
  onPick: (s: number, known: Known | null) => void;
}) {
  return (
    <div role="tabpanel" aria-labelledby="sample-tab-search">
      <SamplePicker
        runId={run.id}
        classNames={run.classNames}
        samples={run.samples}
        count={run.samples?.count ?? null}
        selected={sample}
        onPick={({ index, found }: { index: number; found: FoundSample | null }) =>
          onPick(index, found)
        }
      />
    </div>
  );
}
