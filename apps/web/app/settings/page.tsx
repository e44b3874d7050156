import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { ApiKeysSection } from '../../components/settings/ApiKeysSection';
import { ProjectAccessSection } from '../../components/settings/ProjectAccessSection';
import { UsersSection } from '../../components/settings/UsersSection';
import { loginHref } from '../../lib/auth';
import { SETTINGS_PAGE, SETTINGS_QUERY, USERS_PAGE, USERS_QUERY } from '../../lib/identity';
import { loadViewer, serverGql } from '../../lib/session';

export const metadata: Metadata = { title: 'Settings' };

/**
 * `/settings`: the signed-in user's API keys, user accounts (server admins) and the members and
 * visibility of the projects they own. Anonymous visitors are sent to sign in and come back.
 */
export default async function SettingsPage() {
  const viewer = await loadViewer();
  if (!viewer) redirect(loginHref('/settings'));
  const [settings, users] = await Promise.all([
    serverGql(SETTINGS_QUERY, { first: SETTINGS_PAGE }),
    viewer.isAdmin ? serverGql(USERS_QUERY, { first: USERS_PAGE }) : Promise.resolve(null),
  ]);
  const owned = settings.projects.nodes.filter((p) => p.myRole === 'OWNER');
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Settings</h1>
          <p className="page-subtitle" data-testid="settings-identity">
            Signed in as {viewer.name ? `${viewer.name} (${viewer.email})` : viewer.email}
            {viewer.isAdmin ? ' · server admin' : ''}
          </p>
        </div>
        <nav className="settings-nav" aria-label="Settings sections">
          <a href="#api-keys">API keys</a>
          {users ? <a href="#users">Users</a> : null}
          <a href="#projects">Projects</a>
        </nav>
      </div>
      <div className="stack">
        <div id="api-keys" className="anchor">
          <ApiKeysSection
            initialKeys={settings.apiKeys.nodes}
            projects={settings.projects.nodes.map((p) => ({ id: p.id, name: p.name }))}
          />
        </div>
        {users ? (
          <div id="users" className="anchor">
            <UsersSection initialUsers={users.users.nodes} viewerId={viewer.id} />
          </div>
        ) : null}
        <div id="projects" className="anchor">
          <ProjectAccessSection projects={owned} viewerId={viewer.id} />
        </div>
      </div>
    </>
  );
}
