'use client';
import {
  drawDistributionChart,
  distributionBands,
  layerChoices,
  layerCurves,
  layerWarnings,
  tensorSeries,
  type DistributionChartOptions,
  type LayerChoice,
} from '@convscope/viz';
import { useMemo, useState } from 'react';
import type { RunDetail } from '../../lib/queries';
import { VizChart } from '../VizChart';
import { EpochHistogram } from './distributions/EpochHistogram';
import { LayerCurvesChart, LayerWarnings } from './distributions/LayerCurves';
import { TensorPicker } from './distributions/TensorPicker';
import { useLayerStats } from './distributions/use-layer-stats';
import styles from './LayerDistributions.module.css';

const BAND_HEIGHT = 240;

const percent = (v: number) => `${Math.round(v * 1000) / 10}%`;

/**
 * Per-layer weight, bias and gradient distributions over epochs (issue #13, item 2): pick a layer
 * and a tensor to see its percentile bands over the recorded epochs (TensorBoard's
 * "distributions"; click an epoch to show its histogram) and one epoch's histogram with an epoch
 * slider; under them each layer's gradient norm (log scale) and dead-ReLU fraction, with a warning
 * when a layer's gradients vanish or most of its units die. Nothing for runs without them.
 */
export function LayerDistributions({ run }: { run: RunDetail }) {
  const { stored, files, error } = useLayerStats(
    run.id,
    run.artifacts.nodes.map((a) => a.name),
  );
  const layers = useMemo(() => layerChoices(files), [files]);
  const warnings = useMemo(
    () =>
      layerWarnings({
        gradNorm: layerCurves(run.metrics, 'grad_norm/'),
        dead: layerCurves(run.metrics, 'dead_relu/'),
      }),
    [run.metrics],
  );
  const hasCurves = run.metrics.some((m) => /^(grad_norm|dead_relu)\//.test(m.name));
  if (stored === 0 && !hasCurves) return null;
  const probe = files.at(-1)?.probe;
  return (
    <section className="card" data-testid="layer-distributions" data-epochs={files.length}>
      <div className="card-header">
        <h2>Layer distributions</h2>
        <span className="meta">
          {stored} epoch{stored === 1 ? '' : 's'} recorded
          {probe ? ` · gradients on ${probe.size} training images` : ''}
        </span>
      </div>
      <div className={`card-body ${styles.body}`}>
        {error ? (
          <p className="alert alert-error" role="alert">
            {error}
          </p>
        ) : null}
        <LayerWarnings warnings={warnings} />
        {layers.length > 0 ? <TensorView files={files} layers={layers} /> : null}
        {stored > 0 && layers.length === 0 && !error ? (
          <p className="faint">Loading histograms…</p>
        ) : null}
        <div className={styles.charts}>
          <LayerCurvesChart
            metrics={run.metrics}
            prefix="grad_norm/"
            title="Gradient norm (L2, probe batch)"
            yLabel="gradient norm"
            log
            testId="grad-norm-chart"
          />
          <LayerCurvesChart
            metrics={run.metrics}
            prefix="dead_relu/"
            title="Dead ReLU units (share never active)"
            yLabel="dead fraction"
            testId="dead-relu-chart"
            formatValue={percent}
          />
        </div>
      </div>
    </section>
  );
}

/** Layer and tensor selectors, the band chart and the epoch histogram of the chosen tensor. */
function TensorView({
  files,
  layers,
}: {
  files: Parameters<typeof tensorSeries>[0];
  layers: LayerChoice[];
}) {
  const [layerName, setLayerName] = useState<string | null>(null);
  const [key, setKey] = useState<string | null>(null);
  // null: follow the latest epoch (a live run's histogram moves with it).
  const [chosenStep, setChosenStep] = useState<number | null>(null);
  const layer = layers.find((l) => l.name === layerName) ?? layers[0]!;
  const tensor = layer.tensors.find((t) => t.key === key) ?? layer.tensors[0];
  const series = useMemo(
    () => (tensor ? tensorSeries(files, layer.name, tensor.key) : []),
    [files, layer.name, tensor],
  );
  const found = chosenStep === null ? -1 : series.findIndex((s) => s.step === chosenStep);
  const index = found >= 0 ? found : series.length - 1;
  const label = `${layer.name} ${tensor?.label ?? ''}`.trim();
  const bandOptions = useMemo(
    (): Omit<DistributionChartOptions, 'width'> => ({
      bands: distributionBands(series),
      height: BAND_HEIGHT,
      selectedStep: series[index]?.step ?? null,
      onSelectStep: (step) => setChosenStep(step),
      ariaLabel: `percentiles of ${label} over epochs`,
    }),
    [series, index, label],
  );
  const onIndex = (i: number) =>
    setChosenStep(i >= series.length - 1 ? null : (series[i]?.step ?? null));
  return (
    <>
      <TensorPicker
        layers={layers}
        layer={layer}
        tensor={tensor}
        onLayer={(name) => {
          setLayerName(name);
          setKey(null);
        }}
        onTensor={setKey}
      />
      <div className={styles.charts}>
        <figure className={styles.figure} data-testid="distribution-figure">
          <figcaption className={styles.caption}>
            Distribution over epochs
            <span className="faint"> · min, p7, p16, p31, median, p69, p84, p93, max</span>
          </figcaption>
          <VizChart
            draw={drawDistributionChart}
            options={bandOptions}
            minHeight={BAND_HEIGHT}
            testId="distribution-chart"
          />
        </figure>
        <EpochHistogram series={series} index={index} onIndex={onIndex} label={label} />
      </div>
    </>
  );
}
