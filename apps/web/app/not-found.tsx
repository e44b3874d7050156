import Link from 'next/link';
import { EmptyState } from '../components/EmptyState';

/** Fallback for unknown URLs and unknown projects. */
export default function NotFound() {
  return (
    <section className="card">
      <EmptyState title="Page not found">
        <p>Nothing lives at this address.</p>
        <Link href="/">Back to all runs</Link>
      </EmptyState>
    </section>
  );
}
