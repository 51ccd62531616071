/**
 * Which paths the built client answers: files from its folder (never source maps), and its
 * entry page for the client's own routes (/decks/..., /cards/...), which the app routes itself;
 * and how long browsers may keep each.
 */

const NOT_APP_ROUTES = ['/api/', '/collab/', '/assets/']

function pathOf(url: string): string {
  const queryAt = url.indexOf('?')
  return queryAt === -1 ? url : url.slice(0, queryAt)
}

function isSourceMap(path: string): boolean {
  return path.endsWith('.map')
}

/**
 * @fastify/static's `allowedPath`. The build emits no source maps (client/vite.config.ts), and
 * should one be left in the folder it is still not served: it would hand out the source and its
 * layout to anyone who asks.
 */
export function isServedFile(pathName: string): boolean {
  return !isSourceMap(pathOf(pathName))
}

/**
 * Whether a GET that matched no file gets the app's index.html. Not the API, the websocket path,
 * the hashed build files nor a source map: a missing one of those is a plain 404, not a page
 * answering 200 in place of a script.
 */
export function isAppRoute(url: string): boolean {
  const path = pathOf(url)
  return !NOT_APP_ROUTES.some((prefix) => path.startsWith(prefix)) && !isSourceMap(path)
}

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60

/**
 * The Cache-Control of a file of the build, by its path inside the build's folder (its .br or
 * .gz copy alike).
 * - assets/: the build names each file by a hash of its content, so a name never gets other
 *   content: browsers keep it for a year without asking again (on a slow link every question
 *   costs a round trip).
 * - Everything else (index.html, which names the current assets, and sw.js, whose new version
 *   must be found at once): asked again every time (a 304 when unchanged).
 */
export function cacheControlFor(relativePath: string): string {
  const hashed = relativePath.split('\\').join('/').startsWith('assets/')
  return hashed ? `public, max-age=${ONE_YEAR_SECONDS}, immutable` : 'no-cache'
}
