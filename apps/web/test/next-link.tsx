// next/link for component tests: a plain anchor (the real one needs Next's router context).
import type { AnchorHTMLAttributes, ReactNode } from 'react';

/** A stand-in for next/link's default export: renders `<a href>` with the other props. */
export default function Link({
  href,
  children,
  prefetch: _prefetch,
  ...rest
}: AnchorHTMLAttributes<HTMLAnchorElement> & {
  href: string;
  children?: ReactNode;
  prefetch?: boolean | null;
}) {
  return (
    <a href={href} {...rest}>
      {children}
    </a>
  );
}
