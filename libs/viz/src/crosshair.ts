// A small publish/subscribe channel that syncs the hover crosshair of every chart of a page:
// hovering x on one chart shows the line and values at x on the others of the same group.

/** A chart listening on a {@link CrosshairBus}. */
export interface CrosshairListener {
  /** Identity of the chart; its own publications are not echoed back to it. */
  source: object;
  /**
   * Charts share a crosshair only when their x means the same thing (the x axis title:
   * "epoch", "batch", "relative time", "wall time").
   */
  group: string;
  /** The hovered x on another chart of the group, or null when the pointer left it. */
  onMove(x: number | null): void;
}

/** The page's crosshair channel. */
export interface CrosshairBus {
  /** Tells the other charts of `group` that `source` is hovered at `x` (null: left). */
  publish(source: object, group: string, x: number | null): void;
  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: CrosshairListener): () => void;
}

/** A new, empty crosshair channel (one per page or chart group). */
export function createCrosshairBus(): CrosshairBus {
  const listeners = new Set<CrosshairListener>();
  return {
    publish(source, group, x) {
      for (const l of [...listeners]) if (l.source !== source && l.group === group) l.onMove(x);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
