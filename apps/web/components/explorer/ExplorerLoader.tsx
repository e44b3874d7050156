'use client';

import dynamic from 'next/dynamic';

/** GraphiQL in the browser only (`ssr: false` is allowed in client components alone). */
const GraphiQLExplorer = dynamic(() => import('./GraphiQLExplorer'), {
  ssr: false,
  loading: () => (
    <div className="explorer-frame explorer-loading" data-testid="graphiql-loading">
      Loading the GraphQL explorer…
    </div>
  ),
});

/** The explorer's client boundary, rendered by the /explorer page. */
export function ExplorerLoader() {
  return <GraphiQLExplorer />;
}
