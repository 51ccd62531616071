/**
 * Which caching strategy the service worker applies to a request: the matchers of its Workbox
 * routes (sw.ts). Pure, so that it is unit tested without a worker.
 */
export const Route = {
  /** Left to the browser: the worker does not answer. */
  Passthrough: 'passthrough',
  /** A page load: network first, the cached app shell (index.html) when offline. */
  Navigation: 'navigation',
  /** A hashed build asset (/assets/name-HASH.js): cache first; its content never changes. */
  Asset: 'asset',
  /** A GET of the REST API: network first, the last answer when offline. */
  Api: 'api',
  /** Signing in or out: the cached REST answers of whoever was signed in are dropped first. */
  Auth: 'auth',
} as const
export type Route = (typeof Route)[keyof typeof Route]

/**
 * Paths that are the server's own, never the app's, even when typed into the address bar. Also
 * the denylist of the worker's NavigationRoute, which tests them against path and query.
 */
export const SERVER_PATHS: readonly RegExp[] = [
  /^\/api\//,
  /^\/collab\//,
  /^\/healthz/,
  /^\/readyz/,
  /^\/metrics/,
  /^\/sw\.js/,
]

export function routeOf(
  request: { method: string; mode: string; url: string },
  origin: string,
): Route {
  const url = new URL(request.url)
  if (url.origin !== origin) return Route.Passthrough
  const path = url.pathname
  if (request.method !== 'GET') {
    // Never cache what changes data; only watch sign-in and sign-out.
    return path.startsWith('/api/auth/') ? Route.Auth : Route.Passthrough
  }
  if (request.mode === 'navigate') {
    return SERVER_PATHS.some((pattern) => pattern.test(path + url.search))
      ? Route.Passthrough
      : Route.Navigation
  }
  if (path.startsWith('/assets/')) return Route.Asset
  // The API's description (/api/docs: its JSON, Swagger UI's page and files) is not an answer
  // the app reads offline.
  if (path === '/api/docs' || path.startsWith('/api/docs/')) return Route.Passthrough
  // The inbox's event stream never ends: a network-first route would wait to cache it forever.
  if (path === '/api/me/events') return Route.Passthrough
  if (path.startsWith('/api/') && !path.startsWith('/api/auth/')) return Route.Api
  return Route.Passthrough
}
