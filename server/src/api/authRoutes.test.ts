/**
 * The sign-in route in process (Fastify inject): which remote address the limits and the audit
 * log see, with and without a trusted reverse proxy.
 */
import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { type BuiltApp, buildApp } from '../app.ts'
import { configFrom, type Environment } from '../config.ts'
import { openTempStorage, type TempStorage } from '../testing/tempStorage.ts'

describe('POST /api/auth/sign-in behind a proxy', () => {
  let temp: TempStorage | null = null
  let built: BuiltApp | null = null

  afterEach(async () => {
    await built?.app.close()
    await temp?.cleanup()
    built = null
    temp = null
  })

  async function start(env: Environment): Promise<FastifyInstance> {
    temp = await openTempStorage()
    const config = configFrom({ KARTU_LOG_LEVEL: 'silent', KARTU_DATA_DIR: temp.dir, ...env })
    built = await buildApp(config, temp.storage)
    return built.app
  }

  const attempt = (app: FastifyInstance, email: string, forwardedFor: string) =>
    app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { 'x-forwarded-for': forwardedFor },
      payload: { email, password: 'wrong-password' },
    })

  it('counts and records the client address from X-Forwarded-For when the proxy is trusted', async () => {
    const app = await start({
      KARTU_TRUST_PROXY: '127.0.0.1',
      KARTU_SIGNIN_MAX_FAILURES_PER_ADDRESS: '1',
    })
    expect((await attempt(app, 'a@x.id', '203.0.113.5')).statusCode).toBe(401)
    // Another client behind the same proxy is not locked out by the first one's failure.
    expect((await attempt(app, 'b@x.id', '203.0.113.6')).statusCode).toBe(401)
    const third = await attempt(app, 'c@x.id', '203.0.113.5')
    expect(third.statusCode).toBe(429)
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0)

    const entries = await built?.services.audit.list()
    expect(entries?.map((e) => [e.action, e.details.address])).toEqual([
      ['auth.sign_in_failed', '203.0.113.5'],
      ['auth.sign_in_failed', '203.0.113.6'],
      // The refusal is recorded too, with the address it was counted against.
      ['auth.sign_in_throttled', '203.0.113.5'],
    ])
  })

  it('ignores X-Forwarded-For from an untrusted peer', async () => {
    const app = await start({ KARTU_SIGNIN_MAX_FAILURES_PER_ADDRESS: '1' })
    expect((await attempt(app, 'a@x.id', '203.0.113.5')).statusCode).toBe(401)
    // A client cannot escape the address limit by claiming another address.
    expect((await attempt(app, 'b@x.id', '203.0.113.6')).statusCode).toBe(429)
    const entries = await built?.services.audit.list()
    expect(entries?.map((e) => [e.action, e.details.address])).toEqual([
      ['auth.sign_in_failed', '127.0.0.1'],
      ['auth.sign_in_throttled', '127.0.0.1'],
    ])
  })
})
