// The API's static preset list (libs/schemas, no TF.js) must say what libs/ml's presets are.
import { describe, expect, it } from 'vitest';
import { PRESETS } from '@convscope/ml';
import { PRESET_INFO } from '@convscope/schemas';

describe('PRESET_INFO', () => {
  it('equals libs/ml PRESETS (names, descriptions, shapes, classes, defaults)', () => {
    const fromMl = Object.values(PRESETS).map((p) => {
      const last = [...p.layers].reverse().find((l) => l.type === 'dense');
      const units = last && 'units' in last ? last.units : 0;
      return {
        name: p.name,
        description: p.description,
        inputShape: p.inputShape,
        // One sigmoid unit separates two classes.
        classes: units === 1 ? 2 : units,
        epochs: p.epochs,
        batchSize: p.batchSize,
      };
    });
    expect(PRESET_INFO.map((p) => ({ ...p, inputShape: [...p.inputShape] }))).toEqual(fromMl);
  });
});
