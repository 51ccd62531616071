import { describe, expect, it } from 'vitest'
import { API_CACHE, isCurrentCache, OLD_ASSETS_CACHE } from './cacheNames.ts'
import { Route, routeOf } from './routes.ts'

const origin = 'https://kartu.example'
const get = (path: string, mode = 'cors') => ({ method: 'GET', mode, url: `${origin}${path}` })

describe('routeOf', () => {
  it('serves page loads of the app routes network first, with the shell as fallback', () => {
    for (const path of ['/', '/cards/CC-01', '/decks/d1/members', '/sign-in?x=1']) {
      expect(routeOf(get(path, 'navigate'), origin)).toBe(Route.Navigation)
    }
  })

  it('leaves page loads of the server’s own paths alone', () => {
    for (const path of ['/api/me', '/collab/card:CC-01', '/healthz', '/readyz', '/sw.js']) {
      expect(routeOf(get(path, 'navigate'), origin)).toBe(Route.Passthrough)
    }
    // A query does not make them the app's.
    expect(routeOf(get('/api/me?x=1', 'navigate'), origin)).toBe(Route.Passthrough)
    expect(routeOf(get('/metrics', 'navigate'), origin)).toBe(Route.Passthrough)
  })

  it('serves hashed assets cache first', () => {
    expect(routeOf(get('/assets/index-DvQBgEAf.js'), origin)).toBe(Route.Asset)
    expect(routeOf(get('/assets/index-BT5daogv.css', 'no-cors'), origin)).toBe(Route.Asset)
  })

  it('caches GETs of the REST API, never sign-in, sign-out or any other method', () => {
    for (const path of ['/api/me', '/api/cards/CC-01', '/api/decks/d1', '/api/decks/d1/cards']) {
      expect(routeOf(get(path), origin)).toBe(Route.Api)
    }
    expect(routeOf(get('/api/auth/anything'), origin)).toBe(Route.Passthrough)
    // Nor the API's description and Swagger UI's files.
    for (const path of ['/api/docs', '/api/docs/json', '/api/docs/static/swagger-ui-bundle.js']) {
      expect(routeOf(get(path), origin)).toBe(Route.Passthrough)
    }
    expect(routeOf(get('/api/docsets'), origin)).toBe(Route.Api)
    // Nor the inbox's endless event stream.
    expect(routeOf(get('/api/me/events'), origin)).toBe(Route.Passthrough)
    expect(routeOf(get('/api/me/inbox?unread=true'), origin)).toBe(Route.Api)
    for (const method of ['PATCH', 'PUT', 'DELETE', 'POST']) {
      expect(routeOf({ method, mode: 'cors', url: `${origin}/api/cards/CC-01` }, origin)).toBe(
        Route.Passthrough,
      )
    }
    for (const path of ['/api/auth/sign-in', '/api/auth/sign-out']) {
      expect(routeOf({ method: 'POST', mode: 'cors', url: `${origin}${path}` }, origin)).toBe(
        Route.Auth,
      )
    }
  })

  it('leaves other origins and other files alone', () => {
    const foreign = { method: 'GET', mode: 'cors', url: 'https://other.example/api/me' }
    expect(routeOf(foreign, origin)).toBe(Route.Passthrough)
    expect(routeOf(get('/favicon.ico'), origin)).toBe(Route.Passthrough)
  })
})

describe('cache names', () => {
  it('keeps the current precache, the API cache and caches that are not Kartu’s', () => {
    const current = ['kartu-precache-v2', API_CACHE]
    expect(isCurrentCache('kartu-precache-v2', current)).toBe(true)
    expect(isCurrentCache('kartu-api-v1', current)).toBe(true)
    expect(isCurrentCache('someone-else', current)).toBe(true)
    // The hand-written worker's, an earlier build's assets, another Workbox version's precache.
    expect(isCurrentCache('kartu-static-0123456789ab', current)).toBe(false)
    expect(isCurrentCache(OLD_ASSETS_CACHE, current)).toBe(false)
    expect(isCurrentCache('kartu-precache-v3', current)).toBe(false)
    expect(isCurrentCache('kartu-api-v0', current)).toBe(false)
  })
})
