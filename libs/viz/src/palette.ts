/**
 * Restrained categorical palette (blue, orange, teal, purple, red, grey). Every colour keeps at
 * least 3:1 contrast (WCAG 1.4.11, graphics) on both themes' chart backgrounds,
 * {@link THEME_SURFACES}, so the same series colours serve light and dark mode.
 */
export const PALETTE = ['#3567c9', '#dd7a30', '#2a9d8f', '#8e5bb5', '#c4453c', '#6b7785'] as const;

/**
 * The card backgrounds charts are drawn on, light and dark (apps/web/app/globals.css `--surface`;
 * keep them in step). Chart text and lines themselves come from the page's CSS variables.
 * `contrastRatio` (./evaluation) checks colours against them.
 */
export const THEME_SURFACES = { light: '#ffffff', dark: '#171d26' } as const;

/** Colour for the `index`-th series, cycling through {@link PALETTE}. */
export function seriesColor(index: number): string {
  return PALETTE[((index % PALETTE.length) + PALETTE.length) % PALETTE.length] ?? PALETTE[0];
}
