// jsdom has no ResizeObserver: components that measure themselves (VizChart) get one that
// never reports a size, so they render their host without drawing a chart.

/** Installs the inert ResizeObserver on globalThis when jsdom lacks one. */
export function installResizeObserver(): void {
  if (typeof globalThis.ResizeObserver === 'function') return;
  globalThis.ResizeObserver = class {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  };
}
