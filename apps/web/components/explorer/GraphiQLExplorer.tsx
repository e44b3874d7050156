'use client';

// GraphiQL (from npm, bundled by Next: nothing from a CDN) on the dashboard's /graphql. Loaded
// only in the browser (ExplorerLoader): Monaco touches `window` and starts web workers, which
// the webpack/Turbopack setup below bundles as same-origin chunks (the page CSP allows 'self').
import 'graphiql/setup-workers/webpack';
import 'graphiql/style.css';
import { GraphiQL, type GraphiQLProps } from 'graphiql';
import { useSyncExternalStore } from 'react';
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

/** The full GraphiQL IDE: editor with autocomplete, docs explorer, history, headers. */
export default function GraphiQLExplorer() {
  // GraphiQL follows the dashboard's theme rather than a setting of its own.
  const theme = useSyncExternalStore(subscribeTheme, dashboardTheme, (): Theme => 'system');
  return (
    <div className="explorer-frame" data-testid="graphiql">
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
