import type { Metadata } from 'next';
import Link from 'next/link';
import { AddRunsByQuery } from '../../components/AddRunsByQuery';
import { CompareView } from '../../components/compare/CompareView';
import { EmptyState } from '../../components/EmptyState';
import { COMPARE_QUERY, parseCompareIds, type CompareData } from '../../lib/compare';
import { GraphQLRequestError } from '../../lib/graphql';
import { compareProjectorHref } from '../../lib/projector';
import { serverGql } from '../../lib/session';

export const metadata: Metadata = { title: 'Compare runs' };

/** `/compare?runs=a,b,c`: the runs side by side; the URL holds the selection so it can be shared. */
export default async function ComparePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ids = parseCompareIds((await searchParams).runs);
  let data: CompareData | null = null;
  let error: string | null = null;
  if (ids.length > 0) {
    try {
      data = await serverGql(COMPARE_QUERY, { ids });
    } catch (err) {
      if (
        !(err instanceof GraphQLRequestError) ||
        (err.code !== 'NOT_FOUND' &&
          err.code !== 'BAD_USER_INPUT' &&
          err.code !== 'UNAUTHENTICATED')
      )
        throw err;
      // Private runs and nobody signed in: the header's "Sign in" comes back to this page.
      error =
        err.code === 'UNAUTHENTICATED'
          ? 'Some of these runs are private. Sign in to compare them.'
          : err.message;
    }
  }
  return (
    <>
      <div className="page-header">
        <div>
          <div className="breadcrumbs">
            <Link href="/">All runs</Link> / compare
          </div>
          <h1>Compare runs</h1>
          <p className="page-subtitle">
            {data
              ? `${data.compareRuns.runs.length} runs side by side`
              : 'Select runs in the runs table, or add them by query.'}
          </p>
          {data && data.compareRuns.runs.length >= 2 ? (
            <p>
              <Link
                href={compareProjectorHref(
                  data.compareRuns.runs[0]!.id,
                  data.compareRuns.runs[1]!.id,
                )}
                data-testid="compare-projector-link"
              >
                Embedding projectors of the first two side by side
              </Link>
            </p>
          ) : null}
        </div>
      </div>
      {data ? (
        <CompareView comparison={data.compareRuns} />
      ) : (
        <>
          <AddRunsByQuery ids={[]} />
          <section className="card">
            <EmptyState title={error ? 'Cannot compare these runs' : 'No runs selected'}>
              {error ?? 'Tick runs in the runs table and press Compare.'}
            </EmptyState>
          </section>
        </>
      )}
    </>
  );
}
