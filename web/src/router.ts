/** Hash routes (`#/participants/abc`), so the app needs no server-side rewrites beyond `/app/`. */
import { signal } from './signal';

/** The current route: path segments and query. */
export interface Route {
  parts: string[];
  query: URLSearchParams;
}

function parse(): Route {
  const hash = location.hash.replace(/^#\/?/u, '');
  const [path = '', query = ''] = hash.split('?');
  return {
    parts: path.split('/').filter(Boolean).map(decodeURIComponent),
    query: new URLSearchParams(query),
  };
}

/** The route, observable. */
export const routeSignal = signal<Route>(parse());
addEventListener('hashchange', () => {
  routeSignal.value = parse();
});

/** A link target for a route. */
export const href = (...parts: string[]) => `#/${parts.map(encodeURIComponent).join('/')}`;

/** Navigates to a route. */
export function go(target: string): void {
  location.hash = target.replace(/^#/u, '');
}
