import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { WorkersTable } from '../../components/queue/WorkersTable';
import { loginHref } from '../../lib/auth';
import { loadViewer } from '../../lib/session';

export const metadata: Metadata = { title: 'Workers' };

/**
 * `/workers`: the training workers that registered with this API (`npm run worker`), what each
 * offers and runs, and when it was last heard from. Signed-in users only.
 */
export default async function WorkersPage() {
  const viewer = await loadViewer();
  if (!viewer) redirect(loginHref('/workers'));
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Workers</h1>
          <p className="page-subtitle">
            Machines that run queued training jobs. A worker is offline once it has not been heard
            from for its lease time.
          </p>
        </div>
      </div>
      <WorkersTable />
    </>
  );
}
