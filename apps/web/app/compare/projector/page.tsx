import type { Metadata } from 'next';
import Link from 'next/link';
import { EmptyState } from '../../../components/EmptyState';
import { CompareProjector } from '../../../components/projector/CompareProjector';
import { hasProjector } from '../../../lib/projector';
import { loadRun } from '../../../lib/server';

export const metadata: Metadata = { title: 'Compare projectors' };

const one = (v: string | string[] | undefined): string | null =>
  typeof v === 'string' && v.length > 0 ? v : null;

/** `/compare/projector?a=ID&b=ID`: two runs' embedding projectors side by side. */
export default async function CompareProjectorPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const ids = [one(params.a), one(params.b)];
  const runs = await Promise.all(ids.map((id) => (id ? loadRun(id) : Promise.resolve(null))));
  const [a, b] = runs;
  return (
    <>
      <div className="page-header">
        <div>
          <div className="breadcrumbs">
            <Link href="/">All runs</Link> /{' '}
            <Link
              href={`/compare?runs=${ids
                .filter(Boolean)
                .map((id) => encodeURIComponent(id!))
                .join(',')}`}
            >
              compare
            </Link>{' '}
            / projector
          </div>
          <h1>Projectors side by side</h1>
          <p className="page-subtitle">
            Hover a point: the same test sample is ringed in both runs.
          </p>
        </div>
      </div>
      {a && b ? (
        <CompareProjector
          a={{
            id: a.id,
            name: a.name,
            samples: a.samples ?? null,
            present: hasProjector(a.artifacts.nodes),
          }}
          b={{
            id: b.id,
            name: b.name,
            samples: b.samples ?? null,
            present: hasProjector(b.artifacts.nodes),
          }}
        />
      ) : (
        <section className="card">
          <EmptyState title="Two runs needed">
            Open this page from Compare with two runs selected (?a=RUN&amp;b=RUN); a run that is not
            found or private is left out.
          </EmptyState>
        </section>
      )}
    </>
  );
}
