/** Where the header's theme choice is kept (localStorage), read again before the first paint. */
export const THEME_STORAGE_KEY = 'convscope-theme';

/** The header's choice: follow the system (`prefers-color-scheme`), or force light or dark. */
export type ThemeChoice = 'system' | 'light' | 'dark';

/** The choices in the order the toggle offers them. */
export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];

/** A stored value as a choice; anything unknown (or nothing) follows the system. */
export function parseThemeChoice(value: string | null | undefined): ThemeChoice {
  return value === 'light' || value === 'dark' ? value : 'system';
}

/**
 * Applies `choice` to `root` (the `<html>` element): `data-theme="light|dark"` forces a theme in
 * globals.css; without the attribute the `prefers-color-scheme` media query decides.
 */
export function applyThemeChoice(root: HTMLElement, choice: ThemeChoice): void {
  if (choice === 'system') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', choice);
}

/**
 * Inline script for the document head: applies the stored choice before the first paint, so a
 * forced theme never flashes the other one. Same rule as {@link parseThemeChoice} (kept tiny and
 * self-contained; the page CSP allows inline scripts). Storage may be unavailable (privacy
 * modes): the system theme applies then.
 */
export const THEME_INIT_SCRIPT = `(function(){try{var t=localStorage.getItem(${JSON.stringify(
  THEME_STORAGE_KEY,
)});if(t==='light'||t==='dark')document.documentElement.setAttribute('data-theme',t);}catch(e){}})();`;
