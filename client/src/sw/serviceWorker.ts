/**
 * Kartu's service worker (built to /sw.js by the plugin in client/vite.config.ts; registered by
 * client/src/app/serviceWorker.ts in production builds only). It makes a reload work while the
 * server is unreachable: the card then opens from what this worker cached plus the y-indexeddb
 * document cache, with its unsaved changes.
 *
 *   hashed build assets   cache first (precached at install, so lazy chunks work offline too)
 *   page loads            network first; offline, the cached index.html (the app routes itself)
 *   GET /api/...          network first; offline, the last answer (JSON only, 2xx only)
 *   anything else         not touched: non-GET requests, websockets, other origins
 *
 * Caches are versioned: the static cache's name carries a hash of the build, and on activate
 * every "kartu-" cache that is not current is deleted. The API cache holds one person's data, so
 * it is emptied on sign-in and sign-out, when /api/me names another user, and on any 401.
 */
import {
  API_CACHE,
  API_OWNER_KEY,
  isCurrentCache,
  SHELL_URL,
  staticCacheName,
} from './cacheNames.ts'
import { Route, routeOf } from './routes.ts'

/** Written in by the build: a hash of the build's files, and the files to precache. */
declare const __KARTU_SW_BUILD__: { version: string; precache: string[] }

// The DOM library types `self` as a window; these are the few worker types used here.
type ExtendableEvent = Event & { waitUntil(promise: Promise<unknown>): void }
type FetchEvent = ExtendableEvent & {
  readonly request: Request
  respondWith(response: Promise<Response>): void
}
type WorkerScope = {
  readonly location: { readonly origin: string }
  readonly clients: { claim(): Promise<void> }
  skipWaiting(): Promise<void>
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void
}

const worker = self as unknown as WorkerScope
const build = __KARTU_SW_BUILD__
const STATIC_CACHE = staticCacheName(build.version)

/** Past this, a page load or API call on a dead connection is answered from the cache. */
const NAVIGATION_TIMEOUT_MS = 5000
const API_TIMEOUT_MS = 8000

/** Build files named by a hash of their content (the server lets browsers keep them a year). */
const HASHED_ASSETS = '/assets/'

const ME_PATH = '/api/me'
const SIGN_IN_PATH = '/api/auth/sign-in'

worker.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(STATIC_CACHE)
      // What is stored here is served for as long as this version lives. A hashed asset's name
      // never gets other content, so the copy the page already downloaded (HTTP cache) is the
      // one to keep, and a slow link is spared a second download; the rest (index.html) is
      // fetched afresh.
      await cache.addAll(
        build.precache.map(
          (url) =>
            new Request(url, { cache: url.startsWith(HASHED_ASSETS) ? 'default' : 'reload' }),
        ),
      )
      // Take over at once (the first visit, and updates): the app shell is the same app, and
      // hashed assets of the previous build that an open page may still load are fetched online.
      await worker.skipWaiting()
    })(),
  )
})

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (!isCurrentCache(name, build.version)) await caches.delete(name)
      }
      // Control pages opened before this worker existed, so that their REST calls are cached.
      await worker.clients.claim()
    })(),
  )
})

worker.addEventListener('fetch', (event) => {
  const request = event.request
  switch (routeOf(request, worker.location.origin)) {
    case Route.Navigation:
      event.respondWith(navigation(request))
      return
    case Route.Asset:
      event.respondWith(asset(request))
      return
    case Route.Api:
      event.respondWith(api(request))
      return
    case Route.Auth:
      event.respondWith(auth(request))
      return
    case Route.Passthrough:
      return
  }
})

async function navigation(request: Request): Promise<Response> {
  const cache = await caches.open(STATIC_CACHE)
  return networkElseCache(
    request,
    NAVIGATION_TIMEOUT_MS,
    () => cache.match(SHELL_URL),
    (response) => keepShell(cache, response),
  )
}

/**
 * The network's answer when it comes in time and the server is up, else the cached one (if
 * there is none, whatever the network says in the end). Every answer that does come is offered
 * to `keep`, late ones included.
 */
async function networkElseCache(
  request: Request,
  ms: number,
  cached: () => Promise<Response | undefined>,
  keep: (response: Response) => Promise<void>,
): Promise<Response> {
  let response: Response
  try {
    response = await networkFirst(fetch(request), ms, cached, (late) => void keep(late))
  } catch (error) {
    const fallback = await cached()
    if (fallback) return fallback
    throw error
  }
  if (isGatewayDown(response)) return (await cached()) ?? response
  await keep(response)
  return response
}

/** A proxy in front of a server that is down answers 502-504: as good as offline. */
const isGatewayDown = (response: Response): boolean =>
  response.status >= 502 && response.status <= 504

/** Every app route is answered with the same entry page: keep the newest as the shell. */
async function keepShell(cache: Cache, response: Response): Promise<void> {
  const type = response.headers.get('Content-Type') ?? ''
  if (response.ok && !response.redirected && type.startsWith('text/html')) {
    await cache.put(SHELL_URL, response.clone())
  }
}

async function asset(request: Request): Promise<Response> {
  const cache = await caches.open(STATIC_CACHE)
  const cached = await cache.match(request)
  if (cached) return cached
  const response = await fetch(request)
  if (response.ok) await cache.put(request, response.clone())
  return response
}

async function api(request: Request): Promise<Response> {
  const cache = await caches.open(API_CACHE)
  return networkElseCache(
    request,
    API_TIMEOUT_MS,
    () => cache.match(request),
    (response) => keepApiAnswer(cache, request, response),
  )
}

async function auth(request: Request): Promise<Response> {
  // Before the request goes out: nothing of the previous person may be served afterwards.
  await clearApiCache()
  const response = await fetch(request)
  // Signing in answers with what GET /api/me would: keep it as that, since the app takes it from
  // here and does not ask /api/me again (a reload while offline needs it).
  if (response.ok && new URL(request.url).pathname === SIGN_IN_PATH) {
    await keepApiAnswer(await caches.open(API_CACHE), new Request(ME_PATH), response)
  }
  return response
}

async function keepApiAnswer(cache: Cache, request: Request, response: Response): Promise<void> {
  if (response.status === 401) {
    // The session is over: whatever it could see must not be shown offline any more.
    await clearApiCache()
    return
  }
  if (!response.ok) {
    await cache.delete(request)
    return
  }
  if (!(response.headers.get('Content-Type') ?? '').startsWith('application/json')) return
  const url = new URL(request.url)
  if (url.pathname === ME_PATH) {
    const owner = await userIdOf(response.clone())
    if (owner === null) return
    const previous = await cache.match(API_OWNER_KEY)
    const previousOwner = previous ? await previous.text() : null
    if (previousOwner !== owner) {
      // Someone else signed in (perhaps while this worker was not in control): start afresh.
      if (previousOwner !== null) await clearApiCache()
      const fresh = await caches.open(API_CACHE)
      await fresh.put(API_OWNER_KEY, new Response(owner))
      await fresh.put(request, response.clone())
      return
    }
  }
  await cache.put(request, response.clone())
}

async function userIdOf(response: Response): Promise<string | null> {
  try {
    const body: unknown = await response.json()
    if (typeof body !== 'object' || body === null || !('user' in body)) return null
    const user: unknown = body.user
    if (typeof user !== 'object' || user === null || !('id' in user)) return null
    return typeof user.id === 'string' ? user.id : null
  } catch {
    return null
  }
}

async function clearApiCache(): Promise<void> {
  await caches.delete(API_CACHE)
}

/**
 * The network's answer; but if it has not come within `ms` and the cache has an answer, that one
 * (a dead connection often hangs rather than fails). The network's later answer then goes to
 * `late`, so the cache stays fresh. Without a cached answer, the network is waited for.
 */
async function networkFirst(
  pending: Promise<Response>,
  ms: number,
  cached: () => Promise<Response | undefined>,
  late: (response: Response) => void,
): Promise<Response> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms)
  })
  try {
    const first = await Promise.race([pending, timeout])
    if (first !== 'timeout') return first
  } finally {
    clearTimeout(timer)
  }
  const fallback = await cached()
  if (!fallback) return pending
  pending.then(late, () => {})
  return fallback
}
