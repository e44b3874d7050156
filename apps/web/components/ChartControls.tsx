'use client';

import {
  createCrosshairBus,
  type CrosshairBus,
  type Extent,
  type LineChartOptions,
  type XAxisMode,
} from '@convscope/viz';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { MAX_SMOOTHING_SETTING, useChartSettings, type ChartSettings } from '../lib/chart-settings';

/** What the curves of one page share: the toolbar's settings, the zoom and the crosshair. */
interface ChartPageValue {
  settings: ChartSettings;
  update(patch: Partial<ChartSettings>): void;
  /** Zoomed x range per x axis title ("epoch", "batch", …): charts on the same x zoom together. */
  zoom: ReadonlyMap<string, Extent>;
  setZoom(group: string, domain: Extent | null): void;
  resetZoom(): void;
  bus: CrosshairBus;
}

const ChartPageContext = createContext<ChartPageValue | null>(null);

/**
 * Makes the curves inside share one set of chart settings (persisted), one zoom per kind of x
 * axis, and a crosshair: hovering one chart shows the line and values on the others.
 */
export function ChartPage({ children }: { children: ReactNode }) {
  const [settings, update] = useChartSettings();
  const [zoom, setZoomMap] = useState<ReadonlyMap<string, Extent>>(new Map());
  const bus = useMemo(() => createCrosshairBus(), []);
  const setZoom = useCallback((group: string, domain: Extent | null) => {
    setZoomMap((prev) => {
      const next = new Map(prev);
      if (domain) next.set(group, domain);
      else next.delete(group);
      return next;
    });
  }, []);
  const resetZoom = useCallback(() => setZoomMap(new Map()), []);
  // A new x axis changes what every zoom range means: drop them.
  const updateSettings = useCallback(
    (patch: Partial<ChartSettings>) => {
      if (patch.xAxis !== undefined) resetZoom();
      update(patch);
    },
    [update, resetZoom],
  );
  const value = useMemo(
    () => ({ settings, update: updateSettings, zoom, setZoom, resetZoom, bus }),
    [settings, updateSettings, zoom, setZoom, resetZoom, bus],
  );
  return <ChartPageContext.Provider value={value}>{children}</ChartPageContext.Provider>;
}

/** The chart options a curve on this page takes from the shared controls. */
export type SharedCurveOptions = Pick<
  LineChartOptions,
  'smoothing' | 'yScale' | 'ignoreOutliers' | 'xDomain' | 'onZoom' | 'crosshair'
>;

/**
 * The shared options of a curve whose x axis is titled `group` (charts with the same title
 * share zoom and crosshair); empty outside a {@link ChartPage} (the chart then zooms alone).
 */
export function useSharedCurveOptions(group: string): SharedCurveOptions {
  const page = useContext(ChartPageContext);
  const domain = page?.zoom.get(group) ?? null;
  const setZoom = page?.setZoom;
  const onZoom = useCallback((d: Extent | null) => setZoom?.(group, d), [setZoom, group]);
  return useMemo(() => {
    if (!page) return {};
    const { settings, bus } = page;
    return {
      smoothing: settings.smoothing,
      yScale: settings.yScale,
      ignoreOutliers: settings.ignoreOutliers,
      xDomain: domain,
      onZoom,
      crosshair: { bus, group },
    };
  }, [page, domain, onZoom, group]);
}

/** The page's x axis setting (step outside a {@link ChartPage}). */
export function useXAxisMode(): XAxisMode {
  return useContext(ChartPageContext)?.settings.xAxis ?? 'step';
}

const X_AXIS_LABELS: Record<XAxisMode, string> = {
  step: 'Step (epoch / batch)',
  epoch: 'Epoch',
  relative: 'Relative time',
  wall: 'Wall time (UTC)',
};

/**
 * The toolbar of a {@link ChartPage}: smoothing slider, y scale, x axis, ignore outliers and
 * Reset zoom, applied to every curve of the page and remembered by the browser.
 */
export function ChartControls() {
  const page = useContext(ChartPageContext);
  if (!page) return null;
  const { settings, update, zoom, resetZoom } = page;
  return (
    <div
      className="chart-toolbar"
      role="toolbar"
      aria-label="Chart settings"
      data-testid="chart-controls"
    >
      <label className="chart-control chart-smoothing">
        <span>Smoothing</span>
        <input
          type="range"
          min={0}
          max={MAX_SMOOTHING_SETTING}
          step={0.01}
          value={settings.smoothing}
          aria-label="Smoothing"
          aria-valuetext={settings.smoothing === 0 ? 'off' : settings.smoothing.toFixed(2)}
          onChange={(e) => update({ smoothing: Number(e.currentTarget.value) })}
        />
        <output className="chart-control-value" aria-hidden="true">
          {settings.smoothing === 0 ? 'off' : settings.smoothing.toFixed(2)}
        </output>
      </label>
      <label className="chart-control">
        <span>Y scale</span>
        <select
          aria-label="Y scale"
          value={settings.yScale}
          onChange={(e) => update({ yScale: e.currentTarget.value === 'log' ? 'log' : 'linear' })}
        >
          <option value="linear">Linear</option>
          <option value="log">Log</option>
        </select>
      </label>
      <label className="chart-control">
        <span>X axis</span>
        <select
          aria-label="X axis"
          value={settings.xAxis}
          onChange={(e) => update({ xAxis: e.currentTarget.value as XAxisMode })}
        >
          {(Object.keys(X_AXIS_LABELS) as XAxisMode[]).map((m) => (
            <option key={m} value={m}>
              {X_AXIS_LABELS[m]}
            </option>
          ))}
        </select>
      </label>
      <label className="chart-control">
        <input
          type="checkbox"
          checked={settings.ignoreOutliers}
          onChange={(e) => update({ ignoreOutliers: e.currentTarget.checked })}
        />
        <span>Ignore outliers</span>
      </label>
      <button
        type="button"
        className="btn btn-small"
        onClick={resetZoom}
        disabled={zoom.size === 0}
        title="Drag across a chart to zoom; double-click it to reset"
      >
        Reset zoom
      </button>
    </div>
  );
}
