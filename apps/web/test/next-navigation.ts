// next/navigation for component tests: a router that records pushes and settable URL state.
// Use with `vi.mock('next/navigation', () => import('<path>/test/next-navigation'))`, then
// import `navigation` from this module to set the URL and read what was pushed.

/** The fake URL state and the router's recorded calls; `reset()` between tests. */
export const navigation = {
  pathname: '/',
  search: new URLSearchParams(),
  pushed: [] as string[],
  refreshed: 0,
  reset(): void {
    this.pathname = '/';
    this.search = new URLSearchParams();
    this.pushed = [];
    this.refreshed = 0;
  },
};

const router = {
  push: (href: string) => {
    navigation.pushed.push(href);
  },
  replace: (href: string) => {
    navigation.pushed.push(href);
  },
  refresh: () => {
    navigation.refreshed += 1;
  },
  back: () => {},
  forward: () => {},
  prefetch: () => {},
};

/** Stand-in for next/navigation's useRouter. */
export function useRouter(): typeof router {
  return router;
}

/** Stand-in for next/navigation's usePathname. */
export function usePathname(): string {
  return navigation.pathname;
}

/** Stand-in for next/navigation's useSearchParams (read-only in Next; a copy here). */
export function useSearchParams(): URLSearchParams {
  return new URLSearchParams(navigation.search);
}
