'use client';
import { usePathname, useSearchParams } from 'next/navigation';
import { useState } from 'react';

/** Selected run ids from `?sel=a,b` (kept in the URL so the selection survives filter changes). */
function parseSelection(value: string | null): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The runs selected for comparison and the ways to change them. */
export interface RunSelection {
  /** Selected ids, in the order they were checked. */
  selection: string[];
  /** Replaces the selection. */
  select(next: string[]): void;
  /** Adds or removes one run. */
  toggle(id: string, checked: boolean): void;
}

/**
 * The selection kept in the URL's `?sel=`, written with history.replaceState (no server round
 * trip); a click shows at once even while Next has not applied the new URL yet.
 */
export function useRunSelection(): RunSelection {
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const urlSelection = searchParams.get('sel') ?? '';
  // The URL holds the selection, but Next applies a replaced URL only after a pending navigation
  // (e.g. just after sorting): show the click at once, until the URL catches up.
  const [pending, setPending] = useState<string[] | null>(null);
  // Each time the URL's selection changes (checked while rendering, not in an effect): drop the
  // pending one once the URL shows it.
  const [seenSelection, setSeenSelection] = useState(urlSelection);
  if (seenSelection !== urlSelection) {
    setSeenSelection(urlSelection);
    if (pending !== null && pending.join(',') === urlSelection) setPending(null);
  }
  const selection = pending ?? parseSelection(urlSelection);

  function select(next: string[]) {
    const params = new URLSearchParams(searchParams.toString());
    if (next.length > 0) params.set('sel', next.join(','));
    else params.delete('sel');
    const qs = params.toString();
    setPending(next);
    // Selection is client state: update the URL without a server round trip (Next syncs useSearchParams).
    window.history.replaceState(null, '', qs ? `${pathname}?${qs}` : pathname);
  }

  function toggle(id: string, checked: boolean) {
    select(
      checked ? [...selection.filter((s) => s !== id), id] : selection.filter((s) => s !== id),
    );
  }

  return { selection, select, toggle };
}
