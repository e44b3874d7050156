'use client';

import { useEffect } from 'react';

/** Boxes that scroll sideways when their content is wider (tables, tiles, wide charts). */
const SCROLL_BOXES = '.table-wrap, .class-tiles, .pc-scroll, [data-scroll-region]';

/**
 * Makes every scrolling box of the page reachable with the keyboard (WCAG 2.1.1; axe
 * `scrollable-region-focusable`): while its content overflows (e.g. a wide table on a phone) it
 * gets `tabindex="0"`, so arrow keys can scroll it; the attribute goes again when it fits.
 * Boxes with their own tabindex are left alone. Mounted once, in the root layout.
 */
export function KeyboardScrollRegions() {
  useEffect(() => {
    let frame = 0;
    const update = () => {
      frame = 0;
      for (const el of document.querySelectorAll<HTMLElement>(SCROLL_BOXES)) {
        const overflows =
          el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
        const ours = el.dataset.scrollFocus === 'auto';
        if (overflows && !el.hasAttribute('tabindex')) {
          el.tabIndex = 0;
          el.dataset.scrollFocus = 'auto';
        } else if (!overflows && ours) {
          el.removeAttribute('tabindex');
          delete el.dataset.scrollFocus;
        }
      }
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(update);
    };
    const resize = new ResizeObserver(schedule);
    resize.observe(document.body);
    // Client navigation and data arriving change what scrolls.
    const mutations = new MutationObserver(schedule);
    mutations.observe(document.body, { childList: true, subtree: true });
    schedule();
    return () => {
      cancelAnimationFrame(frame);
      resize.disconnect();
      mutations.disconnect();
    };
  }, []);
  return null;
}
