'use client';

import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { Suspense, type ReactNode } from 'react';
import { loginHref } from '../lib/auth';

/** Props of {@link SignInLink}. */
export interface SignInLinkProps {
  className?: string;
  children?: ReactNode;
  'data-testid'?: string;
}

function LinkToHere({ className, children, 'data-testid': testId }: SignInLinkProps) {
  const pathname = usePathname();
  const search = useSearchParams().toString();
  return (
    <Link
      href={loginHref(search ? `${pathname}?${search}` : pathname)}
      className={className}
      data-testid={testId}
    >
      {children ?? 'Sign in'}
    </Link>
  );
}

/**
 * A link to `/login` that comes back to the current page (path and query) once signed in.
 * Client-side because server layouts do not know the URL they render for.
 */
export function SignInLink(props: SignInLinkProps) {
  const pathname = usePathname();
  return (
    // useSearchParams needs a Suspense boundary; until it resolves the link keeps the path.
    <Suspense
      fallback={
        <Link
          href={loginHref(pathname)}
          className={props.className}
          data-testid={props['data-testid']}
        >
          {props.children ?? 'Sign in'}
        </Link>
      }
    >
      <LinkToHere {...props} />
    </Suspense>
  );
}
