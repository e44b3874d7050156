// GraphQL over HTTP (https://graphql.github.io/graphql-over-http/draft/): a client that accepts
// only the legacy `application/json` reads every GraphQL response from a 200, errors included;
// `application/graphql-response+json` keeps 4xx for requests that never executed. Apollo answers
// 400 to both, which breaks legacy clients' error handling (graphql-http audit 572B, FDE2, 7B9B).
import type { ApolloServerPlugin } from '@apollo/server';

const JSON_TYPE = 'application/json';
const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json';

/**
 * The quality a request's Accept header gives `mediaType` (0 when not accepted); `exact` counts
 * only a range naming the type itself, not `type/*` or `*` + `/*`.
 */
function quality(accept: string, mediaType: string, { exact }: { exact: boolean }): number {
  const [type] = mediaType.split('/');
  let best = -1;
  let bestSpecificity = -1;
  for (const part of accept.split(',')) {
    const [range = '', ...params] = part.trim().toLowerCase().split(';');
    const specificity =
      range === mediaType ? 2 : range === `${type}/*` ? 1 : range === '*/*' ? 0 : -1;
    if (specificity < (exact ? 2 : 0) || specificity < bestSpecificity) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    bestSpecificity = specificity;
    best = q === undefined ? 1 : Number(q);
  }
  return Math.max(best, 0);
}

/**
 * The media type of a single GraphQL response: `application/graphql-response+json` when the
 * client names it and accepts it at least as much as `application/json`, else
 * `application/json` (also for a missing Accept or `*` + `/*`, as legacy clients expect).
 */
export function responseMediaType(accept: string | undefined): string {
  if (!accept) return JSON_TYPE;
  const modern = quality(accept, GRAPHQL_RESPONSE_TYPE, { exact: true });
  const legacy = quality(accept, JSON_TYPE, { exact: false });
  return modern > 0 && modern >= legacy ? GRAPHQL_RESPONSE_TYPE : JSON_TYPE;
}

/**
 * Chooses the response's media type itself and answers request errors (parse, validation,
 * variable coercion: Apollo's 400s) with 200 when that type is `application/json`.
 */
export const responseMediaTypePlugin: ApolloServerPlugin = {
  async requestDidStart({ request }) {
    const mediaType = responseMediaType(request.http?.headers.get('accept'));
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== 'single') return;
        response.http.headers.set('content-type', `${mediaType}; charset=utf-8`);
        if (mediaType === JSON_TYPE && response.http.status === 400) response.http.status = 200;
      },
    };
  },
};
