/**
 * An attacker who can read the server's log (a log shipper, a shared dashboard, a support
 * ticket with a paste of it) must find no credential there. Every way a credential reaches the
 * server is tried against a real server process logging at `trace`, then its whole output is
 * searched for the secrets.
 */
import http from 'node:http'
import { cardDocumentName } from '@kartu/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Seeded, seed, TEST_PASSWORD } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'
import { upgradeStatus } from './helpers/upgrade.ts'

type RawAnswer = { status: number; body: string }

/** A GET with the path sent exactly as written (fetch would normalise a bad encoding). */
function rawGet(port: number, path: string, headers: Record<string, string> = {}) {
  return new Promise<RawAnswer>((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, path, headers }, (response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => {
        body += chunk.toString()
      })
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
    })
    request.on('error', reject)
    request.end()
  })
}

describe('credentials never reach the log', () => {
  let seeded: Seeded
  let server: ServerProcess
  let tokens: string[]
  let sessionSecret: string

  beforeAll(async () => {
    seeded = await seed()
    server = await startServer(seeded.dataDir, { KARTU_LOG_LEVEL: 'trace' })
    tokens = Object.values(seeded.users).map((user) => user.token)
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('answers every kind of request that carries a credential', async () => {
    const token = seeded.users.kp2mi?.token as string
    const chairToken = seeded.users.chair?.token as string
    const card = `${server.wsUrl}/${cardDocumentName(seeded.cardIds[0] as string)}`

    // Websocket upgrades with ?token=: opened, refused (unknown document), and with the name
    // spelt so that only a decoding parser reads it as `token`.
    expect(await upgradeStatus(`${card}?token=${token}`)).toBe(101)
    expect(await upgradeStatus(`${card}?x=1&token=${chairToken}&y=2`)).toBe(101)
    expect(await upgradeStatus(`${server.wsUrl}/card:nothing?token=${token}`)).toBe(404)
    expect(await upgradeStatus(`${card}?%74oken=${seeded.users.kemlu?.token}`)).toBe(101)

    // REST with a bearer token.
    const me = await fetch(`${server.httpUrl}/api/me`, {
      headers: { authorization: `Bearer ${seeded.users.viewer?.token}` },
    })
    expect(me.status).toBe(200)

    // Sign-in hands out the session cookie; it is then used on REST and on the websocket.
    const signIn = await fetch(`${server.httpUrl}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: seeded.users.suggester?.email, password: TEST_PASSWORD }),
    })
    expect(signIn.status).toBe(200)
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] as string
    sessionSecret = cookie.slice(cookie.indexOf('=') + 1)
    expect(sessionSecret.length).toBeGreaterThan(20)
    expect((await fetch(`${server.httpUrl}/api/decks`, { headers: { cookie } })).status).toBe(200)
    expect(await upgradeStatus(card, { cookie, origin: 'http://kartu.test' })).toBe(101)
    expect(await upgradeStatus(card, { cookie, origin: 'https://evil.example' })).toBe(403)

    // Badly encoded URLs carrying a token: refused without repeating the URL.
    for (const path of [`/collab/%E0%A4%A?token=${token}`, `/api/%zz?token=${token}`]) {
      const answer = await rawGet(server.port, path)
      expect(answer.status).toBe(400)
      expect(answer.body).not.toContain(token)
      expect(answer.body).not.toContain(path.slice(0, path.indexOf('?')))
      expect(JSON.parse(answer.body)).toEqual({
        error: { code: 'bad_url', message: 'The address is not valid.' },
      })
    }

    // 404s with a token in the query, on the API and elsewhere.
    expect((await rawGet(server.port, `/api/nothing?token=${token}`)).status).toBe(404)
    expect((await rawGet(server.port, `/nothing.js.map?token=${token}`)).status).toBe(404)

    // A body that cannot be parsed, sent with a bearer token.
    const broken = await fetch(`${server.httpUrl}/api/cards/${seeded.cardIds[0]}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${chairToken}`, 'content-type': 'application/json' },
      body: `{"status": "${chairToken}`,
    })
    expect(broken.status).toBe(400)
    expect(await broken.text()).not.toContain(chairToken)

    // Sign-out with the cookie (its answer clears the cookie).
    const out = await fetch(`${server.httpUrl}/api/auth/sign-out`, {
      method: 'POST',
      headers: { cookie, origin: 'http://kartu.test' },
    })
    expect(out.status).toBe(204)
  })

  it('wrote none of the tokens nor the session cookie to its output', async () => {
    // Stopped first, so that every line the process wrote, shutdown included, is in.
    await server.stop()
    const output = server.output()
    for (const secret of [...tokens, sessionSecret]) {
      expect(output).not.toContain(secret)
      // Nor a fragment long enough to matter (a token cut by a line break, a prefix).
      expect(output).not.toContain(secret.slice(0, 24))
      expect(output).not.toContain(secret.slice(-24))
    }
    // And the requests above were logged, with the token's place marked: the scan proves
    // something only if the lines it searched are there.
    expect(output).toContain('"url":"/collab/card:')
    expect(output).toContain('?token=[redacted]"')
    expect(output).toContain('?x=1&token=[redacted]&y=2"')
    expect(output).toContain('"url":"/collab/%E0%A4%A?token=[redacted]"')
    expect(output).toContain('"url":"/api/%zz?token=[redacted]"')
    expect(output).toContain('"url":"/api/decks"')
    expect(output).toContain('"url":"/api/auth/sign-out"')
  })
})
