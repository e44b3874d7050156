// @vitest-environment jsdom
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { THEME_SURFACES, contrastRatio } from '@convscope/viz';
import { afterEach, describe, expect, it } from 'vitest';
import { THEME_INIT_SCRIPT, THEME_STORAGE_KEY, applyThemeChoice, parseThemeChoice } from './theme';

// jsdom gives import.meta.url an http: scheme; the file's folder is still known.
const css = fs.readFileSync(path.join(import.meta.dirname, '../app/globals.css'), 'utf8');

/** The `--name: value` declarations of the first rule whose selector is exactly `selector`. */
function variables(selector: string): Map<string, string> {
  const start = css.indexOf(`${selector} {`);
  if (start < 0) throw new Error(`no ${selector} rule in globals.css`);
  const body = css.slice(start + selector.length + 2, css.indexOf('}', start));
  return new Map(
    [...body.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1] ?? '', (m[2] ?? '').trim()]),
  );
}

const light = variables(':root');
const dark = variables(":root[data-theme='dark']");
const systemDark = variables("  :root:not([data-theme='light'])");

/** Text colour variable → the background variables it is read on (WCAG AA: 4.5:1). */
const TEXT_ON: Record<string, string[]> = {
  '--text': ['--bg', '--surface', '--surface-alt', '--chip-bg', '--row-hover', '--accent-soft'],
  '--text-muted': ['--bg', '--surface', '--surface-alt', '--row-hover', '--row-selected'],
  '--text-faint': ['--bg', '--surface', '--surface-alt', '--chip-bg', '--accent-soft'],
  '--accent': ['--bg', '--surface', '--surface-alt', '--accent-soft'],
  '--status-running-fg': ['--status-running-bg'],
  '--status-queued-fg': ['--status-queued-bg'],
  '--status-completed-fg': ['--status-completed-bg', '--surface'],
  '--status-failed-fg': ['--status-failed-bg', '--surface'],
  '--error-fg': ['--error-bg'],
  '--error-text': ['--surface', '--error-bg'],
  '--better': ['--surface', '--better-bg'],
  '--worse': ['--surface', '--worse-bg'],
  '--admin-fg': ['--admin-bg'],
  '--on-accent': ['--accent', '--danger'],
  '--danger': ['--surface'],
  '--legend-true': ['--surface'],
  '--legend-pred': ['--surface'],
  '--viz-empty-text': ['--viz-empty-fill'],
};

describe('globals.css themes', () => {
  it('defines the same variables in light and dark, and the system-dark block equals the forced one', () => {
    expect([...dark.keys()].sort()).toEqual(
      [...light.keys()]
        .filter((k) => !['--font-sans', '--font-mono', '--radius'].includes(k))
        .sort(),
    );
    expect(systemDark).toEqual(dark);
  });

  for (const [name, vars] of [
    ['light', light],
    ['dark', dark],
  ] as const)
    it(`keeps text at 4.5:1 on its backgrounds in the ${name} theme`, () => {
      const failures: string[] = [];
      for (const [fg, bgs] of Object.entries(TEXT_ON))
        for (const bg of bgs) {
          const a = vars.get(fg);
          const b = vars.get(bg);
          if (!a || !b) throw new Error(`${name}: ${fg} or ${bg} undefined`);
          const ratio = contrastRatio(a, b);
          if (ratio < 4.5) failures.push(`${fg} ${a} on ${bg} ${b}: ${ratio.toFixed(2)}`);
        }
      expect(failures).toEqual([]);
    });

  it('draws charts on the surfaces @convscope/viz checks its palette against', () => {
    expect(light.get('--surface')).toBe(THEME_SURFACES.light);
    expect(dark.get('--surface')).toBe(THEME_SURFACES.dark);
  });

  it('would notice a faint grey too light for white', () => {
    // The old --text-faint, #8a93a3, reads at 3.1:1 on white.
    expect(contrastRatio('#8a93a3', '#ffffff')).toBeLessThan(4.5);
  });
});

describe('theme choice', () => {
  afterEach(() => {
    localStorage.clear();
    document.documentElement.removeAttribute('data-theme');
  });

  it('parses stored values, anything unknown following the system', () => {
    expect(parseThemeChoice('light')).toBe('light');
    expect(parseThemeChoice('dark')).toBe('dark');
    expect(parseThemeChoice('system')).toBe('system');
    expect(parseThemeChoice('purple')).toBe('system');
    expect(parseThemeChoice(null)).toBe('system');
  });

  it('sets data-theme for a forced choice and removes it for the system', () => {
    const root = document.documentElement;
    applyThemeChoice(root, 'dark');
    expect(root.getAttribute('data-theme')).toBe('dark');
    applyThemeChoice(root, 'system');
    expect(root.hasAttribute('data-theme')).toBe(false);
  });

  it('the inline script applies the stored choice, and ignores junk', () => {
    // The script as the browser runs it, against this jsdom's storage and document.
    const run = () => vm.runInNewContext(THEME_INIT_SCRIPT, { localStorage, document }) as void;
    localStorage.setItem(THEME_STORAGE_KEY, 'dark');
    run();
    expect(document.documentElement.getAttribute('data-theme')).toBe('dark');
    document.documentElement.removeAttribute('data-theme');
    localStorage.setItem(THEME_STORAGE_KEY, '"><script>');
    run();
    expect(document.documentElement.hasAttribute('data-theme')).toBe(false);
  });
});
