// Server side only (it reads the incoming request): every call the renderer makes to the API
// carries the browser's cookie, so the API answers as the signed-in user. Without it the API
// sees an anonymous caller and lists public projects only.
import { headers } from 'next/headers';
import { cache } from 'react';
import { ME_QUERY, type Viewer } from './auth';
import type { TypedDocumentString } from './gql/graphql';
import { apiUrl, gqlRequest } from './graphql';

/**
 * Headers to send to the API on behalf of the current request: its `cookie` (the HttpOnly
 * session). Nothing else is forwarded: no Origin, so the API's CSRF check treats the renderer
 * as the same-origin caller it is.
 */
export async function forwardedHeaders(): Promise<Record<string, string>> {
  const cookie = (await headers()).get('cookie');
  return cookie ? { cookie } : {};
}

/** {@link gqlRequest} from a server component or route, as the visitor. */
export async function serverGql<TData, TVariables>(
  document: TypedDocumentString<TData, TVariables>,
  variables: TVariables,
): Promise<TData> {
  return gqlRequest(document, variables, { headers: await forwardedHeaders() });
}

/** `fetch` of an API path (e.g. `/runs/…/artifacts/…`) from the server, as the visitor; never cached. */
export async function serverApiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${apiUrl()}${path}`, {
    ...init,
    cache: 'no-store',
    headers: {
      ...(init.headers as Record<string, string> | undefined),
      ...(await forwardedHeaders()),
    },
  });
}

/**
 * The signed-in caller, or null when anonymous. Cached per request (the layout and the page
 * share one call). An unreachable API also gives null here: the page's own request then shows
 * the error, and the header still renders.
 */
export const loadViewer = cache(async (): Promise<Viewer | null> => {
  try {
    return (await serverGql(ME_QUERY, {})).me;
  } catch {
    return null;
  }
});
