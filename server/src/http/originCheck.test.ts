/**
 * The Origin rule in process: a small app with the cookie plugin, the check, and one route per
 * method. The behaviour against the real server is server/test/crossOrigin.test.ts.
 */
import fastifyCookie from '@fastify/cookie'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { configFrom, type Environment } from '../config.ts'
import { registerOriginCheck } from './originCheck.ts'

const COOKIE = 'kartu_session=secret'

describe('the Origin check', () => {
  let app: FastifyInstance | null = null
  afterEach(async () => {
    await app?.close()
    app = null
  })

  async function start(env: Environment = {}): Promise<FastifyInstance> {
    const config = configFrom({ KARTU_PUBLIC_ORIGIN: 'https://kartu.example', ...env })
    app = Fastify({ trustProxy: config.trustProxy })
    await app.register(fastifyCookie)
    registerOriginCheck(app, config)
    app.route({ method: ['GET', 'POST', 'PATCH', 'DELETE'], url: '/x', handler: async () => 'ok' })
    return app
  }

  const status = async (
    server: FastifyInstance,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    headers: Record<string, string>,
  ): Promise<number> => (await server.inject({ method, url: '/x', headers })).statusCode

  it('accepts the configured origin, in any case and with its default port written out', async () => {
    const server = await start()
    for (const origin of [
      'https://kartu.example',
      'HTTPS://Kartu.Example',
      'https://kartu.example:443',
    ]) {
      expect(await status(server, 'POST', { cookie: COOKIE, origin })).toBe(200)
    }
  })

  it('refuses the right host with another scheme or port, other hosts, and null', async () => {
    const server = await start()
    for (const origin of [
      'http://kartu.example',
      'https://kartu.example:8443',
      'https://kartu.example.evil.test',
      'https://evil.test',
      'null',
      'not an origin',
    ]) {
      expect(await status(server, 'PATCH', { cookie: COOKIE, origin })).toBe(403)
    }
  })

  it('accepts the origin the request was sent to, scheme and port included', async () => {
    const server = await start()
    // inject() sends Host: localhost:80 over plain http.
    expect(await status(server, 'POST', { cookie: COOKIE, origin: 'http://localhost' })).toBe(200)
    expect(await status(server, 'POST', { cookie: COOKIE, origin: 'https://localhost' })).toBe(403)
    expect(await status(server, 'POST', { cookie: COOKIE, origin: 'http://localhost:81' })).toBe(
      403,
    )
  })

  it('takes the scheme from X-Forwarded-Proto only from a trusted proxy', async () => {
    const forwarded = {
      cookie: COOKIE,
      host: 'kartu.internal',
      origin: 'https://kartu.internal',
      'x-forwarded-proto': 'https',
    }
    expect(await status(await start(), 'POST', forwarded)).toBe(403)
    await app?.close()
    expect(await status(await start({ KARTU_TRUST_PROXY: '127.0.0.1' }), 'POST', forwarded)).toBe(
      200,
    )
  })

  it('checks requests without a cookie too (sign-in), except those with a bearer token alone', async () => {
    const server = await start()
    const evil = 'https://evil.test'
    expect(await status(server, 'POST', { origin: evil })).toBe(403)
    expect(await status(server, 'DELETE', { origin: evil, authorization: 'Bearer kartu_x' })).toBe(
      200,
    )
    // A bearer token does not excuse the cookie that comes with it.
    expect(
      await status(server, 'DELETE', { origin: evil, authorization: 'Bearer x', cookie: COOKIE }),
    ).toBe(403)
  })

  it('lets through safe methods, and requests without an Origin header', async () => {
    const server = await start()
    expect(await status(server, 'GET', { cookie: COOKIE, origin: 'https://evil.test' })).toBe(200)
    expect(await status(server, 'POST', { cookie: COOKIE })).toBe(200)
  })
})
