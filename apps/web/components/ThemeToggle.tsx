'use client';

import { useId, useSyncExternalStore } from 'react';
import {
  THEME_CHOICES,
  THEME_STORAGE_KEY,
  applyThemeChoice,
  parseThemeChoice,
  type ThemeChoice,
} from '../lib/theme';

const LABELS: Record<ThemeChoice, string> = { system: 'System', light: 'Light', dark: 'Dark' };

/**
 * The header's theme selector (system / light / dark). The choice is stored in localStorage and
 * applied to `<html data-theme>`; the layout's inline script applies it again before the first
 * paint of every page. Other tabs follow a change through the `storage` event.
 */
export function ThemeToggle() {
  const id = useId();
  // The server cannot know the stored choice: it renders "system"; hydration then reads storage.
  const choice = useSyncExternalStore(subscribe, readChoice, () => 'system' as const);

  const onChange = (next: ThemeChoice) => {
    applyThemeChoice(document.documentElement, next);
    try {
      if (next === 'system') localStorage.removeItem(THEME_STORAGE_KEY);
      else localStorage.setItem(THEME_STORAGE_KEY, next);
    } catch {
      // Storage refused (privacy mode): the choice holds for this page only.
    }
    window.dispatchEvent(new Event(CHANGE_EVENT));
  };

  return (
    <span className="theme-toggle">
      <label htmlFor={id} className="visually-hidden">
        Theme
      </label>
      <select
        id={id}
        value={choice}
        onChange={(e) => onChange(parseThemeChoice(e.target.value))}
        data-testid="theme-toggle"
        title="Colour theme"
      >
        {THEME_CHOICES.map((c) => (
          <option key={c} value={c}>
            {LABELS[c]}
          </option>
        ))}
      </select>
    </span>
  );
}

/** Fired in this tab when the choice changes (`storage` events only reach other tabs). */
const CHANGE_EVENT = 'convscope-theme-change';

/** Follows the stored choice: this tab's changes and other tabs' (which also restyle this one). */
function subscribe(onChange: () => void): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key !== THEME_STORAGE_KEY && event.key !== null) return;
    applyThemeChoice(document.documentElement, readChoice());
    onChange();
  };
  window.addEventListener('storage', onStorage);
  window.addEventListener(CHANGE_EVENT, onChange);
  return () => {
    window.removeEventListener('storage', onStorage);
    window.removeEventListener(CHANGE_EVENT, onChange);
  };
}

/** The stored choice; "system" where storage is unavailable. */
function readChoice(): ThemeChoice {
  try {
    return parseThemeChoice(localStorage.getItem(THEME_STORAGE_KEY));
  } catch {
    return 'system';
  }
}
