import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { KeyboardScrollRegions } from '../components/KeyboardScrollRegions';
import { ThemeToggle } from '../components/ThemeToggle';
import { UserMenu } from '../components/UserMenu';
import { loadViewer } from '../lib/session';
import { THEME_INIT_SCRIPT } from '../lib/theme';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'ConvScope', template: '%s · ConvScope' },
  description: 'Training runs of image classifiers: curves, models, artifacts.',
};

/** Root layout: top bar with the product name, navigation and the account area around every page. */
export default async function RootLayout({ children }: { children: ReactNode }) {
  const viewer = await loadViewer();
  return (
    // The inline script sets data-theme on <html> before React hydrates it.
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* The stored theme before the first paint (no flash of the other theme). */}
        <script dangerouslySetInnerHTML={{ __html: THEME_INIT_SCRIPT }} />
      </head>
      <body>
        <header className="topbar">
          <div className="topbar-inner">
            <Link href="/" className="brand">
              <span className="brand-mark" aria-hidden />
              ConvScope
            </Link>
            <nav className="nav">
              <Link href="/">Runs</Link>
              {viewer ? <Link href="/workers">Workers</Link> : null}
              <Link href="/explorer">GraphQL</Link>
            </nav>
            <UserMenu viewer={viewer} />
            <ThemeToggle />
          </div>
        </header>
        <main className="page">{children}</main>
        <KeyboardScrollRegions />
      </body>
    </html>
  );
}
