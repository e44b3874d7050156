import type { Metadata } from 'next';
import { ExplorerLoader } from '../../components/explorer/ExplorerLoader';
import { SignInLink } from '../../components/SignInLink';
import { loadViewer } from '../../lib/session';

export const metadata: Metadata = { title: 'GraphQL explorer' };

/**
 * `/explorer`: GraphiQL on the API through the dashboard's own `/graphql`, with the visitor's
 * session (docs from introspection, an example query, autocomplete). Served entirely by the
 * dashboard, so it works offline. The API's GET /graphql page links here.
 */
export default async function ExplorerPage() {
  const viewer = await loadViewer();
  return (
    <>
      <div className="page-header explorer-header">
        <div>
          <h1>GraphQL explorer</h1>
          <p className="page-subtitle">
            The API behind this dashboard: queries run{' '}
            {viewer ? `as ${viewer.email}` : 'as an anonymous visitor'}. The schema is also in{' '}
            <code>apps/api/schema.graphql</code>.
          </p>
        </div>
        {viewer ? null : (
          <p data-testid="explorer-sign-in">
            <SignInLink className="btn btn-primary">Sign in to see your runs</SignInLink>
          </p>
        )}
      </div>
      <ExplorerLoader />
    </>
  );
}
