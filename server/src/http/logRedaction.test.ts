import { Writable } from 'node:stream'
import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import { loggerOptions, REDACTED, redactSecrets, redactUrl } from './logRedaction.ts'

const TOKEN = `kartu_${'Ab1-_'.repeat(8)}xyz`
const SESSION = 'c2Vzc2lvbi1zZWNyZXQtdmFsdWUtb2YtYS1wZXJzb24'

describe('redactUrl', () => {
  it('replaces the token parameter and keeps the rest of the URL', () => {
    expect(redactUrl(`/collab/card:1?token=${TOKEN}`)).toBe(`/collab/card:1?token=${REDACTED}`)
    expect(redactUrl(`/collab/card:1?a=1&token=${TOKEN}&b=2`)).toBe(
      `/collab/card:1?a=1&token=${REDACTED}&b=2`,
    )
    expect(redactUrl('/api/decks?limit=5')).toBe('/api/decks?limit=5')
  })

  it('catches the parameter under any spelling that parses as token', () => {
    for (const name of ['TOKEN', '%74oken', 'Token', 'access_token']) {
      expect(redactUrl(`/collab/x?${name}=secret-value`)).toBe(`/collab/x?${name}=${REDACTED}`)
    }
  })

  it('redacts a badly encoded URL without decoding it', () => {
    expect(redactUrl(`/collab/%E0%A4%A?token=${TOKEN}`)).toBe(`/collab/%E0%A4%A?token=${REDACTED}`)
    expect(redactUrl(`/api/%zz?%zz=1&token=${TOKEN}`)).toBe(`/api/%zz?%zz=1&token=${REDACTED}`)
  })

  it('removes a token that stands in the path', () => {
    expect(redactUrl(`/api/${TOKEN}`)).not.toContain(TOKEN)
  })
})

describe('redactSecrets', () => {
  it('removes tokens, bearer credentials and the session cookie from free text', () => {
    const text = [
      `'/collab/%E0?token=${TOKEN}' is not a valid url component`,
      `Authorization: Bearer ${TOKEN}`,
      `cookie: theme=dark; kartu_session=${SESSION}; lang=id`,
      `a token alone: ${TOKEN}.`,
      `encoded inside another URL: next=%2Fcollab%3Ftoken%3D${TOKEN}`,
    ].join('\n')
    const redacted = redactSecrets(text)
    expect(redacted).not.toContain(TOKEN)
    expect(redacted).not.toContain(SESSION)
    expect(redacted).toContain('theme=dark')
    expect(redacted).toContain('lang=id')
  })

  it('leaves a JSON line valid', () => {
    const line = JSON.stringify({ msg: `bad '/x?token=${TOKEN}'`, url: `/x?token=${TOKEN}"q` })
    const parsed = JSON.parse(redactSecrets(line)) as { msg: string; url: string }
    expect(parsed.msg).toBe(`bad '/x?token=${REDACTED}'`)
    expect(parsed.url).toBe(`/x?token=${REDACTED}"q`)
  })
})

describe('loggerOptions', () => {
  async function logLines(write: (app: ReturnType<typeof Fastify>) => void): Promise<string> {
    let output = ''
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        output += chunk.toString()
        done()
      },
    })
    const app = Fastify({ logger: { ...loggerOptions('info'), stream } })
    write(app)
    await app.close()
    return output
  }

  it('censors credential headers wherever a logged object carries them', async () => {
    // Shapes that the text scrubbing does not know: only the redact paths can catch these.
    const headers = {
      authorization: 'Basic opaque-credential-1',
      cookie: 'sid=opaque-credential-2',
      'set-cookie': 'sid=opaque-credential-3; Path=/; HttpOnly',
      'user-agent': 'test',
    }
    const output = await logLines((app) => {
      app.log.info({ headers }, 'headers')
      app.log.info({ req: { headers }, res: { headers } }, 'nested')
      app.log.info({ request: { headers } }, 'other name')
    })
    expect(output).not.toContain('opaque-credential')
    expect(output).toContain('"user-agent":"test"')
    // Three headers in `headers` and in `request.headers`; the `req` and `res` serializers keep
    // no headers at all.
    expect(output.match(/\[redacted\]/g)?.length).toBe(6)
    expect(output).not.toContain('"req":{"headers"')
  })

  it('scrubs messages and errors that quote a credential', async () => {
    const output = await logLines((app) => {
      app.log.warn(`Reply was already sent in the "/collab/x?token=${TOKEN}" route`)
      app.log.error({ err: new Error(`'/x?token=${TOKEN}' is not a valid url component`) })
    })
    expect(output).not.toContain(TOKEN)
    expect(output).toContain(`token=${REDACTED}`)
  })
})
