/** Restrained categorical palette (blue, orange, teal, purple, red, grey), readable on white. */
export const PALETTE = ['#3567c9', '#dd7a30', '#2a9d8f', '#8e5bb5', '#c4453c', '#6b7785'] as const;

/** Colour for the `index`-th series, cycling through {@link PALETTE}. */
export function seriesColor(index: number): string {
  return PALETTE[((index % PALETTE.length) + PALETTE.length) % PALETTE.length] ?? PALETTE[0];
}
