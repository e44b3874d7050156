// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { drawSparkline, type SparklineOptions } from './sparkline';

afterEach(() => {
  document.body.replaceChildren();
});

function draw(options: SparklineOptions) {
  const container = document.createElement('div');
  document.body.append(container);
  const handle = drawSparkline(container, options);
  return { container, handle };
}

describe('drawSparkline', () => {
  it('draws the trend inside a 3 px inset, with the area and the last point', () => {
    // Unsorted, with a NaN to skip: drawn as steps 0, 1, 2 -> x 3, 48, 93; values 1..3 -> y 21..3.
    const { container } = draw({
      points: [
        { step: 2, value: 2 },
        { step: 0, value: 1 },
        { step: 5, value: NaN },
        { step: 1, value: 3 },
      ],
      color: '#0a0',
      ariaLabel: 'loss trend',
    });
    const svg = container.querySelector('svg[data-chart="sparkline"]');
    expect(svg?.getAttribute('aria-label')).toBe('loss trend');
    expect(svg?.getAttribute('viewBox')).toBe('0 0 96 24');
    const line = container.querySelector('path.sparkline-line');
    expect(line?.getAttribute('d')).toBe('M3,21L48,3L93,12');
    expect(line?.getAttribute('stroke')).toBe('#0a0');
    expect(container.querySelector('path.sparkline-area')?.getAttribute('d')).toBe(
      'M3,21L48,3L93,12L93,21L48,21L3,21Z',
    );
    const last = container.querySelector('circle.sparkline-last');
    expect([last?.getAttribute('cx'), last?.getAttribute('cy')]).toEqual(['93', '12']);
  });

  it('draws a constant series in the middle, and options turn off the area and the dot', () => {
    const { container } = draw({
      points: [
        { step: 0, value: 5 },
        { step: 1, value: 5 },
      ],
      width: 50,
      height: 20,
      fill: false,
      markLast: false,
    });
    expect(container.querySelector('path.sparkline-line')?.getAttribute('d')).toBe('M3,10L47,10');
    expect(container.querySelector('path.sparkline-area')).toBeNull();
    expect(container.querySelector('circle.sparkline-last')).toBeNull();
  });

  it('draws a dashed rule with fewer than two points, and updates and removes itself', () => {
    const { container, handle } = draw({ points: [{ step: 0, value: 1 }] });
    expect(container.querySelector('line.sparkline-empty')).not.toBeNull();
    expect(container.querySelector('path.sparkline-line')).toBeNull();
    handle.update({
      points: [
        { step: 0, value: 1 },
        { step: 1, value: 2 },
      ],
    });
    expect(container.querySelector('line.sparkline-empty')).toBeNull();
    expect(container.querySelectorAll('path.sparkline-line')).toHaveLength(1);
    handle.destroy();
    expect(container.innerHTML).toBe('');
  });
});
