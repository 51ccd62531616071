/**
 * Kartu's service worker, served as /sw.js: built by vite-plugin-pwa in injectManifest mode
 * (client/vite.config.ts), which writes the build's precache list in place of
 * self.__WB_MANIFEST; registered by client/src/app/serviceWorker.ts in production builds only.
 * It makes a reload work while the server is unreachable: the card then opens from what this
 * worker cached plus the y-indexeddb document cache, with its unsaved changes.
 *
 *   hashed build assets   cache first (precached at install, so lazy chunks work offline too)
 *   page loads            network first (5 s); offline, the precached index.html (the app
 *                         routes itself)
 *   GET /api/...          network first (8 s); offline, the last answer (JSON only, 2xx only)
 *   anything else         not touched: non-GET requests, websockets, other origins
 *
 * Workbox does the precaching, routing and strategies. Ours: which request takes which route
 * (routes.ts), treating a gateway's 502-504 as offline (gatewayDown.ts), and what the API cache
 * may keep, since it holds one person's data (apiCacheOwner.ts, apiCachePlugins.ts).
 */
import { CacheableResponsePlugin } from 'workbox-cacheable-response'
import { cacheNames, setCacheNameDetails } from 'workbox-core'
import type { WorkboxPlugin } from 'workbox-core/types'
import { matchPrecache, type PrecacheEntry, precacheAndRoute } from 'workbox-precaching'
import { NavigationRoute, registerRoute } from 'workbox-routing'
import { CacheFirst, NetworkFirst, NetworkOnly } from 'workbox-strategies'
import { forgetApiAnswersOnAuth, keepApiAnswers } from './apiCachePlugins.ts'
import {
  API_CACHE,
  isCurrentCache,
  OLD_ASSETS_CACHE,
  SHELL_URL,
  WORKBOX_PREFIX,
} from './cacheNames.ts'
import { gatewayDownIsOffline } from './gatewayDown.ts'
import { Route, routeOf, SERVER_PATHS } from './routes.ts'

declare const self: ServiceWorkerGlobalScope & {
  /** Replaced by the build with the files to precache, each with a revision (or none: hashed). */
  readonly __WB_MANIFEST: Array<PrecacheEntry | string>
}

/** Past this, a page load or API call on a dead connection is answered from the cache. */
const NAVIGATION_TIMEOUT_SECONDS = 5
const API_TIMEOUT_SECONDS = 8

// "kartu-precache-v2" rather than "workbox-precache-v2-<scope>": one scope, and every Kartu
// cache under one prefix for the cleanup below.
setCacheNameDetails({ prefix: WORKBOX_PREFIX, suffix: '' })

/** A matcher of a Workbox route, from the pure classification in routes.ts. */
const takes =
  (route: Route) =>
  ({ request }: { request: Request }): boolean =>
    routeOf(request, self.location.origin) === route

/**
 * Page loads fall back to the index.html precached with this build, never to a page the network
 * gave: that one names exactly the assets this worker holds. So the strategy keeps nothing, and
 * its cache lookups (on a timeout or a failure) find the precached page.
 */
const shellWhenOffline: WorkboxPlugin = {
  cacheWillUpdate: async () => null,
  cachedResponseWillBeUsed: async ({ cachedResponse }) =>
    cachedResponse ?? (await matchPrecache(SHELL_URL)),
}

// Page loads come first: the precache's own route would answer "/" and "/index.html" from the
// cache without asking the network.
registerRoute(
  new NavigationRoute(
    new NetworkFirst({
      cacheName: cacheNames.precache,
      networkTimeoutSeconds: NAVIGATION_TIMEOUT_SECONDS,
      plugins: [gatewayDownIsOffline, shellWhenOffline],
    }),
    { denylist: [...SERVER_PATHS] },
  ),
)

// Every file of the build but the compressed copies (see vite.config.ts), served cache first. A
// hashed file is fetched at install through the HTTP cache (the page has usually just loaded it;
// a slow link is spared a second download), the rest (index.html) afresh.
precacheAndRoute(self.__WB_MANIFEST)

// Hashed assets not in the precache: an earlier build's, which a tab opened before the update may
// still load. Its cache goes when the next worker activates.
registerRoute(
  takes(Route.Asset),
  new CacheFirst({
    cacheName: OLD_ASSETS_CACHE,
    plugins: [new CacheableResponsePlugin({ statuses: [200] })],
  }),
)

registerRoute(
  takes(Route.Api),
  new NetworkFirst({
    cacheName: API_CACHE,
    networkTimeoutSeconds: API_TIMEOUT_SECONDS,
    plugins: [gatewayDownIsOffline, keepApiAnswers(self.caches)],
  }),
)

// Signing in or out: whatever method the server gives those paths. Never cached.
const signInAndOut = new NetworkOnly({ plugins: [forgetApiAnswersOnAuth(self.caches)] })
for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
  registerRoute(takes(Route.Auth), signInAndOut, method)
}

self.addEventListener('install', () => {
  // Take over once the precache is filled (the first visit, and updates): the app shell is the
  // same app, and hashed assets of the previous build that an open page may still load are
  // fetched online.
  void self.skipWaiting()
})

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      // Earlier builds' leftovers: the hand-written worker's "kartu-static-<hash>", the old
      // assets, a precache of another Workbox version (its name carries the version).
      const current = [cacheNames.precache, API_CACHE]
      for (const name of await self.caches.keys()) {
        if (!isCurrentCache(name, current)) await self.caches.delete(name)
      }
      // Control pages opened before this worker existed, so that their REST calls are cached.
      await self.clients.claim()
    })(),
  )
})
