import { describe, expect, it } from 'vitest';
import { contrastRatio } from './evaluation';
import { PALETTE, THEME_SURFACES, seriesColor } from './palette';

describe('PALETTE', () => {
  it('keeps 3:1 against both themes’ chart backgrounds (lines and marks, WCAG 1.4.11)', () => {
    for (const [theme, surface] of Object.entries(THEME_SURFACES))
      for (const color of PALETTE)
        expect(
          contrastRatio(color, surface),
          `${color} on ${theme} ${surface}`,
        ).toBeGreaterThanOrEqual(3);
  });

  it('would catch a colour too light for white or too dark for the dark theme', () => {
    // Hand-computed: #f0a070 on white 2.11:1; #3a4452 on #171d26 1.72:1.
    expect(contrastRatio('#f0a070', THEME_SURFACES.light)).toBeCloseTo(2.11, 1);
    expect(contrastRatio('#3a4452', THEME_SURFACES.dark)).toBeLessThan(3);
  });

  it('cycles for any index, negative ones included', () => {
    expect(seriesColor(0)).toBe(PALETTE[0]);
    expect(seriesColor(PALETTE.length + 1)).toBe(PALETTE[1]);
    expect(seriesColor(-1)).toBe(PALETTE[PALETTE.length - 1]);
  });
});
