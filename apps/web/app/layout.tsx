import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { UserMenu } from '../components/UserMenu';
import { loadViewer } from '../lib/session';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'ConvScope', template: '%s · ConvScope' },
  description: 'Training runs of image classifiers: curves, models, artifacts.',
};

/** Root layout: top bar with the product name, navigation and the account area around every page. */
export default async function RootLayout({ children }: { children: ReactNode }) {
  const viewer = await loadViewer();
  return (
    <html lang="en">
      <body>
        <header className="topbar">
          <div className="topbar-inner">
            <Link href="/" className="brand">
              <span className="brand-mark" aria-hidden />
              ConvScope
            </Link>
            <nav className="nav">
              <Link href="/">Runs</Link>
              <Link href="/explorer">GraphQL</Link>
            </nav>
            <UserMenu viewer={viewer} />
          </div>
        </header>
        <main className="page">{children}</main>
      </body>
    </html>
  );
}
