'use client';

// GraphiQL (from npm, bundled by Next: nothing from a CDN) on the dashboard's /graphql. Loaded
// only in the browser (ExplorerLoader): Monaco touches `window` and starts web workers, which
// the webpack/Turbopack setup below bundles as same-origin chunks (the page CSP allows 'self').
import 'graphiql/setup-workers/webpack';
import 'graphiql/style.css';
import { GraphiQL, type GraphiQLProps } from 'graphiql';
import { createExplorerFetcher, EXPLORER_DEFAULT_QUERY } from '../../lib/explorer';

const explorerFetch = createExplorerFetcher();
// GraphiQL types errors as GraphQLError instances; over HTTP they are plain JSON objects, of
// which it reads only message, locations, path and extensions.
const fetcher: GraphiQLProps['fetcher'] = (params, opts) =>
  explorerFetch(params, opts) as ReturnType<GraphiQLProps['fetcher']>;

/** The full GraphiQL IDE: editor with autocomplete, docs explorer, history, headers. */
export default function GraphiQLExplorer() {
  return (
    <div className="explorer-frame" data-testid="graphiql">
      <GraphiQL
        fetcher={fetcher}
        defaultQuery={EXPLORER_DEFAULT_QUERY}
        // Show the headers editor closed: the session cookie already authenticates.
        defaultEditorToolsVisibility={false}
        shouldPersistHeaders={false}
      >
        <GraphiQL.Logo>ConvScope</GraphiQL.Logo>
      </GraphiQL>
    </div>
  );
}
