// The API's landing page (GET /graphql from a browser): self-contained HTML, no script, a link to
// the dashboard's explorer (configurable), instructions when its address is unknown.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LANDING_PAGE_STYLE_SOURCE, landingPageHtml, resolveExplorerUrl } from './landing-page';

describe('resolveExplorerUrl', () => {
  it('defaults to /explorer on the dashboard origin', () => {
    expect(resolveExplorerUrl({ webOrigin: 'http://localhost:3100' }, {})).toBe(
      'http://localhost:3100/explorer',
    );
    expect(resolveExplorerUrl({ webOrigin: 'https://dash.example/' }, {})).toBe(
      'https://dash.example/explorer',
    );
  });

  it('takes EXPLORER_URL, and "" or none as unknown', () => {
    const web = { webOrigin: 'http://localhost:3000' };
    expect(resolveExplorerUrl(web, { EXPLORER_URL: 'http://10.0.0.2:8080/explorer' })).toBe(
      'http://10.0.0.2:8080/explorer',
    );
    expect(resolveExplorerUrl(web, { EXPLORER_URL: '' })).toBeNull();
    expect(resolveExplorerUrl(web, { EXPLORER_URL: ' None ' })).toBeNull();
  });

  it('refuses what is not an http(s) URL', () => {
    const web = { webOrigin: 'http://localhost:3000' };
    expect(() => resolveExplorerUrl(web, { EXPLORER_URL: 'localhost:3000' })).toThrow(
      /EXPLORER_URL: "localhost:3000" must be an http\(s\) URL/,
    );
    expect(() => resolveExplorerUrl(web, { EXPLORER_URL: 'not a url' })).toThrow(
      /EXPLORER_URL: "not a url" is not a URL/,
    );
    expect(() => resolveExplorerUrl(web, { EXPLORER_URL: 'javascript:alert(1)' })).toThrow(
      /must be an http\(s\) URL/,
    );
  });
});

describe('landingPageHtml', () => {
  it('links the explorer and loads nothing', () => {
    const html = landingPageHtml({ explorerUrl: 'http://localhost:3000/explorer' });
    expect(html).toContain('id="explorer-link" href="http://localhost:3000/explorer"');
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|@import|url\(/i);
    // The only attribute URL is the explorer link.
    expect(html.match(/href="[^"]*"/g)).toEqual(['href="http://localhost:3000/explorer"']);
  });

  it('explains how to open the explorer when its address is unknown', () => {
    const html = landingPageHtml({ explorerUrl: null });
    expect(html).not.toContain('href=');
    expect(html).toContain('<code>/explorer</code>');
    expect(html).toContain('EXPLORER_URL');
  });

  it('escapes the configured address', () => {
    const html = landingPageHtml({ explorerUrl: 'http://x/"><b>&' });
    expect(html).toContain('href="http://x/&quot;&gt;&lt;b&gt;&amp;"');
    expect(html).not.toContain('"><b>');
  });

  it('allows exactly its inline style by hash', () => {
    const html = landingPageHtml({ explorerUrl: null });
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1] ?? '');
    expect(styles).toHaveLength(1);
    const hash = createHash('sha256')
      .update(styles[0] ?? '')
      .digest('base64');
    expect(LANDING_PAGE_STYLE_SOURCE).toBe(`'sha256-${hash}'`);
    expect(html).not.toMatch(/\sstyle=/);
  });
});
