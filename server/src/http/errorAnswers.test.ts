/**
 * Errors that Fastify raises answer with a fixed message, never with what the request carried.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BuiltApp, buildApp } from '../app.ts'
import { configFrom } from '../config.ts'
import { openTempStorage, type TempStorage } from '../testing/tempStorage.ts'
import { clientErrorBody } from './errorAnswers.ts'

const TOKEN = `kartu_${'q'.repeat(43)}`

describe('clientErrorBody', () => {
  it('gives known codes their own answer and any other error its status name', () => {
    expect(clientErrorBody(400, 'FST_ERR_BAD_URL').error.code).toBe('bad_url')
    expect(clientErrorBody(413, 'FST_ERR_CTP_BODY_TOO_LARGE').error.code).toBe('body_too_large')
    expect(clientErrorBody(418, 'SOME_PLUGIN_ERROR')).toEqual({
      error: { code: 'bad_request', message: "I'm a Teapot." },
    })
  })
})

describe('answers to requests Fastify refuses', () => {
  let temp: TempStorage
  let built: BuiltApp
  beforeAll(async () => {
    temp = await openTempStorage()
    const config = configFrom({ KARTU_LOG_LEVEL: 'silent', KARTU_DATA_DIR: temp.dir })
    built = await buildApp(config, temp.storage)
  })
  afterAll(async () => {
    await built?.app.close()
    await temp?.cleanup()
  })

  it('does not repeat a badly encoded URL', async () => {
    for (const url of [`/collab/%E0%A4%A?token=${TOKEN}`, `/api/%zz?token=${TOKEN}`]) {
      const answer = await built.app.inject({ url })
      expect(answer.statusCode).toBe(400)
      expect(answer.json()).toEqual({
        error: { code: 'bad_url', message: 'The address is not valid.' },
      })
      expect(answer.headers['x-content-type-options']).toBe('nosniff')
    }
  })

  it('does not repeat a Content-Type nor a body it could not parse', async () => {
    const mediaType = await built.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { 'content-type': `application/x-${TOKEN}` },
      payload: 'x',
    })
    expect(mediaType.statusCode).toBe(415)
    expect(mediaType.body).not.toContain(TOKEN)
    expect(mediaType.json()).toMatchObject({ error: { code: 'unsupported_media_type' } })

    const json = await built.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { 'content-type': 'application/json' },
      payload: `{"email": "${TOKEN}`,
    })
    expect(json.statusCode).toBe(400)
    expect(json.body).not.toContain(TOKEN)
    expect(json.json()).toMatchObject({ error: { code: 'invalid_json' } })
  })
})
