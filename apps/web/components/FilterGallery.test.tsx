// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExplanationIndex } from '../lib/explain-pack';
import { FilterGallery, filterPage, pageOfChannel } from './FilterGallery';

afterEach(cleanup);

describe('filterPage', () => {
  const channels = Array.from({ length: 40 }, (_, i) => i);

  it('pages 16 at a time and clamps the page', () => {
    expect(filterPage(channels, 0, { total: 64 })).toEqual({
      page: 0,
      pages: 3,
      positions: Array.from({ length: 16 }, (_, i) => i),
      label: 'Channels 0–15 of 64',
    });
    const last = filterPage(channels, 7, { total: 64 });
    expect(last.page).toBe(2);
    expect(last.positions).toEqual([32, 33, 34, 35, 36, 37, 38, 39]);
    expect(last.label).toBe('Channels 32–39 of 64');
    expect(filterPage(channels, -3).page).toBe(0);
    expect(filterPage([], 0)).toMatchObject({ pages: 1, positions: [], label: 'No channels' });
  });

  it('finds the page of a computed channel, null for one left out', () => {
    expect(pageOfChannel(channels, 0)).toBe(0);
    expect(pageOfChannel(channels, 17)).toBe(1);
    expect(pageOfChannel(channels, 39)).toBe(2);
    expect(pageOfChannel(channels, 50)).toBeNull();
    // Labels follow the computed channels, not positions.
    expect(filterPage([3, 5, 9], 0, { perPage: 2 }).label).toBe('Channels 3–5 of 3');
  });
});

function index(computed: number, total: number): ExplanationIndex {
  const channel = Array.from({ length: computed }, (_, i) => i);
  const columns = Math.ceil(Math.sqrt(computed));
  return {
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    classNames: ['a', 'b'],
    imageShape: [28, 28, 1],
    camLayer: null,
    camMethods: [],
    layers: [],
    samples: [],
    files: [
      {
        name: 'explain.filters.conv1.png',
        kind: 'filters',
        mimeType: 'image/png',
        bytes: 10,
        metadata: {
          kind: 'filters',
          layer: 'conv1',
          shape: [28, 28, total],
          channel,
          imageShape: [42, 42, 1],
          grid: {
            columns,
            rows: Math.ceil(computed / columns),
            padding: 1,
            tileHeight: 42,
            tileWidth: 42,
          },
          ...{ totalChannels: total, losses: channel.map((c) => c / 10), canvas: [42, 42] },
        },
      },
    ],
    totalBytes: 10,
    timings: {},
    skipped: [],
  };
}

describe('FilterGallery', () => {
  it('pages through the computed channels, jumps to one, and says which were left out', () => {
    render(<FilterGallery runId="r1" index={index(40, 64)} samples={null} />);
    const page = () => screen.getByTestId('filter-page').textContent;
    const tiles = () => screen.getAllByTestId('filter-channel').map((t) => t.dataset.channel);
    expect(screen.getByTestId('filter-caption').textContent).toContain(
      '40 of 64 channels computed · patterns on a 42 × 42 canvas · grayscale',
    );
    expect(page()).toBe('Channels 0–15 of 64 · page 1 of 3');
    expect(tiles()).toHaveLength(16);
    expect(screen.getByTestId('filter-prev')).toHaveProperty('disabled', true);
    fireEvent.click(screen.getByTestId('filter-next'));
    fireEvent.click(screen.getByTestId('filter-next'));
    expect(page()).toBe('Channels 32–39 of 64 · page 3 of 3');
    expect(tiles()).toEqual(['32', '33', '34', '35', '36', '37', '38', '39']);
    expect(screen.getByTestId('filter-next')).toHaveProperty('disabled', true);
    // Tiles at least 96 CSS pixels wide: 42 px patterns drawn 3 times larger.
    const canvas = screen.getAllByTestId('filter-pattern')[0] as HTMLCanvasElement;
    expect(canvas.style.width).toBe('126px');
    expect(screen.getAllByTestId('filter-channel')[0]?.textContent).toContain('act 3.200');
    fireEvent.change(screen.getByTestId('filter-jump'), { target: { value: '20' } });
    expect(page()).toBe('Channels 16–31 of 64 · page 2 of 3');
    fireEvent.change(screen.getByTestId('filter-jump'), { target: { value: '50' } });
    expect(screen.getByTestId('filter-jump-error').textContent).toBe(
      'Channel 50 was not computed (time budget).',
    );
    fireEvent.change(screen.getByTestId('filter-jump'), { target: { value: '99' } });
    expect(screen.getByTestId('filter-jump-error').textContent).toBe(
      'No channel 99: the layer has channels 0–63.',
    );
    expect(page()).toBe('Channels 16–31 of 64 · page 2 of 3');
  });
});
