/**
 * The security headers of a real server serving the production build: on the app page, a
 * script, the API's answers and its errors; HSTS only when the public origin is https; and no
 * source map in the build nor from the server.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLIENT_DIST } from './helpers/browserSuite.ts'
import { type Seeded, seed } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'

/** The directives of a Content-Security-Policy header, by name. */
function directives(header: string | null): Map<string, string[]> {
  const found = new Map<string, string[]>()
  for (const part of (header ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/)
    if (name) found.set(name, values)
  }
  return found
}

function expectSecurityHeaders(response: Response, what: string): void {
  const csp = directives(response.headers.get('content-security-policy'))
  expect(csp.get('default-src'), what).toEqual(["'self'"])
  // No inline script and no eval, by any directive that could allow them.
  expect(csp.get('script-src'), what).toEqual(["'self'"])
  expect(csp.get('script-src-attr'), what).toEqual(["'none'"])
  expect(csp.get('style-src'), what).toEqual(["'self'", "'unsafe-inline'"])
  expect(csp.get('img-src'), what).toEqual(["'self'", 'data:'])
  expect(csp.get('connect-src')?.[0], what).toBe("'self'")
  expect(csp.get('worker-src'), what).toEqual(["'self'"])
  expect(csp.get('object-src'), what).toEqual(["'none'"])
  expect(csp.get('base-uri'), what).toEqual(["'self'"])
  expect(csp.get('form-action'), what).toEqual(["'self'"])
  expect(csp.get('frame-ancestors'), what).toEqual(["'none'"])
  expect(response.headers.get('x-frame-options'), what).toBe('DENY')
  expect(response.headers.get('x-content-type-options'), what).toBe('nosniff')
  expect(response.headers.get('referrer-policy'), what).toBe('no-referrer')
  expect(response.headers.get('x-powered-by'), what).toBeNull()
}

function builtScripts(): string[] {
  return fs.readdirSync(path.join(CLIENT_DIST, 'assets')).filter((file) => file.endsWith('.js'))
}

describe('security headers over http', () => {
  let seeded: Seeded
  let server: ServerProcess
  beforeAll(async () => {
    if (!fs.existsSync(path.join(CLIENT_DIST, 'index.html'))) {
      throw new Error('client/dist/index.html is missing: run the build first (pnpm build)')
    }
    seeded = await seed()
    server = await startServer(seeded.dataDir, { KARTU_CLIENT_DIR: CLIENT_DIST })
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('are on the app page, a script, the service worker, API answers and errors', async () => {
    const bearer = { authorization: `Bearer ${seeded.users.kp2mi?.token}` }
    const script = builtScripts()[0] as string
    const cases: Array<[string, string, RequestInit, number]> = [
      ['the app page', '/', {}, 200],
      ['a client route', `/cards/${seeded.cardIds[0]}`, {}, 200],
      ['a script', `/assets/${script}`, {}, 200],
      ['the service worker', '/sw.js', {}, 200],
      ['GET /api/me signed out', '/api/me', {}, 401],
      ['GET /api/decks', '/api/decks', { headers: bearer }, 200],
      ['an unknown API path', '/api/nothing', { headers: bearer }, 404],
      [
        'a body that is not JSON',
        '/api/auth/sign-in',
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' },
        400,
      ],
      ['a refused websocket upgrade', `/collab/card:${seeded.cardIds[0]}`, {}, 401],
      ['a badly encoded URL', '/api/%zz', {}, 400],
    ]
    for (const [what, url, init, status] of cases) {
      const response = await fetch(`${server.httpUrl}${url}`, init)
      expect(response.status, what).toBe(status)
      expectSecurityHeaders(response, what)
      expect(response.headers.get('strict-transport-security'), what).toBeNull()
    }
  })

  it('lets the page load nothing inline: index.html has no inline script', async () => {
    const html = await (await fetch(`${server.httpUrl}/`)).text()
    const scripts = html.match(/<script\b[^>]*>[\s\S]*?<\/script>/g) ?? []
    expect(scripts.length).toBeGreaterThan(0)
    for (const tag of scripts) {
      expect(tag).toMatch(/\bsrc="\/assets\/[^"]+\.js"/)
      expect(tag).toMatch(/>\s*<\/script>$/)
    }
    expect(html).not.toMatch(/\son[a-z]+=/i)
  })

  it('serves no source map: none is built, none is referenced, a request for one is 404', async () => {
    const built = fs.readdirSync(CLIENT_DIST, { recursive: true }).map(String)
    expect(built.filter((file) => file.endsWith('.map'))).toEqual([])
    for (const file of built.filter((name) => name.endsWith('.js'))) {
      expect(fs.readFileSync(path.join(CLIENT_DIST, file), 'utf8'), file).not.toContain(
        'sourceMappingURL',
      )
    }
    for (const script of builtScripts()) {
      const map = await fetch(`${server.httpUrl}/assets/${script}.map`)
      expect(map.status, script).toBe(404)
      expect(map.headers.get('content-type')).toMatch(/application\/json/)
      expect(map.headers.get('x-content-type-options')).toBe('nosniff')
    }
  })
})

describe('security headers behind https', () => {
  let server: ServerProcess
  beforeAll(async () => {
    const seeded = await seed()
    server = await startServer(seeded.dataDir, {
      KARTU_CLIENT_DIR: CLIENT_DIST,
      KARTU_PUBLIC_ORIGIN: 'https://kartu.example',
    })
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('add HSTS, and name the public wss: origin for the websocket', async () => {
    for (const url of ['/', '/api/me', `/assets/${builtScripts()[0]}`, '/api/%zz']) {
      const response = await fetch(`${server.httpUrl}${url}`)
      expectSecurityHeaders(response, url)
      expect(response.headers.get('strict-transport-security'), url).toBe('max-age=31536000')
      expect(
        directives(response.headers.get('content-security-policy')).get('connect-src'),
      ).toEqual(["'self'", 'wss://kartu.example'])
    }
  })
})
