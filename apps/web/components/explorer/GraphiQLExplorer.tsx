'use client';

// GraphiQL (from npm, bundled by Next: nothing from a CDN) on the dashboard's /graphql. Loaded
// only in the browser (ExplorerLoader): Monaco touches `window` and starts web workers, which
// the webpack/Turbopack setup below bundles as same-origin chunks (the page CSP allows 'self').
import 'graphiql/setup-workers/webpack';
import 'graphiql/style.css';
import { GraphiQL, type GraphiQLProps } from 'graphiql';
import { useEffect, useRef, useSyncExternalStore, type RefObject } from 'react';
import { createExplorerFetcher, EXPLORER_DEFAULT_QUERY } from '../../lib/explorer';

const explorerFetch = createExplorerFetcher();
// GraphiQL types errors as GraphQLError instances; over HTTP they are plain JSON objects, of
// which it reads only message, locations, path and extensions.
const fetcher: GraphiQLProps['fetcher'] = (params, opts) =>
  explorerFetch(params, opts) as ReturnType<GraphiQLProps['fetcher']>;

type Theme = 'light' | 'dark' | 'system';

/** Re-renders when the header's theme toggle changes `<html data-theme>`. */
function subscribeTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => observer.disconnect();
}

/** The dashboard's theme: forced light or dark, or the system's (no attribute). */
function dashboardTheme(): Theme {
  const forced = document.documentElement.getAttribute('data-theme');
  return forced === 'light' || forced === 'dark' ? forced : 'system';
}

/**
 * GraphiQL's tab bar is a `tablist` whose `tab` items hold two buttons (select, close): axe's
 * "nested-interactive" (serious). The bar becomes a plain list of buttons, the selected one marked
 * `aria-current`. React re-applies an attribute only when its prop changes, so each change is
 * patched once (the observer's own edits leave nothing more to patch).
 */
export function flattenTabRoles(root: ParentNode): void {
  for (const list of root.querySelectorAll('.graphiql-tabs[role="tablist"]'))
    list.removeAttribute('role');
  for (const tab of root.querySelectorAll(
    '.graphiql-tabs li[role="tab"], .graphiql-tabs li[aria-selected]',
  )) {
    const selected = tab.getAttribute('aria-selected') === 'true';
    tab.removeAttribute('role');
    tab.removeAttribute('aria-selected');
    const button = tab.querySelector('.graphiql-tab-button');
    if (selected) button?.setAttribute('aria-current', 'true');
    else button?.removeAttribute('aria-current');
  }
}

function useFlatTabs(ref: RefObject<HTMLDivElement | null>): void {
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    flattenTabRoles(el);
    const observer = new MutationObserver(() => flattenTabRoles(el));
    observer.observe(el, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['role', 'aria-selected'],
    });
    return () => observer.disconnect();
  }, [ref]);
}

/** The full GraphiQL IDE: editor with autocomplete, docs explorer, history, headers. */
export default function GraphiQLExplorer() {
  // GraphiQL follows the dashboard's theme rather than a setting of its own.
  const theme = useSyncExternalStore(subscribeTheme, dashboardTheme, (): Theme => 'system');
  const frame = useRef<HTMLDivElement>(null);
  useFlatTabs(frame);
  return (
    <div className="explorer-frame" data-testid="graphiql" ref={frame}>
      <GraphiQL
        fetcher={fetcher}
        defaultQuery={EXPLORER_DEFAULT_QUERY}
        forcedTheme={theme}
        // Headers editor closed: the session cookie already authenticates.
        defaultEditorToolsVisibility={false}
        shouldPersistHeaders={false}
      >
        <GraphiQL.Logo>ConvScope</GraphiQL.Logo>
      </GraphiQL>
    </div>
  );
}
