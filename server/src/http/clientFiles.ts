/**
 * Which paths the built client answers: files from its folder (never source maps), and its
 * entry page for the client's own routes (/decks/..., /cards/...), which the app routes itself.
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
