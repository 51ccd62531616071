/**
 * Access ends when it is ended, for open websockets too: signing out, a session expiring, a
 * password change, disabling an account, ending a person's sessions, revoking a token and
 * removing a member each close the connections they opened within 5 s (4401 for a credential,
 * 4403 for a membership), against a real server process and its database, with the command
 * line run as an operator would.
 */
import { cardDocumentName } from '@kartu/protocol'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import { hashSecret } from '../src/auth/secrets.ts'
import { runTestSql } from '../src/testing/testStore.ts'
import { auditActions } from './helpers/auditTrail.ts'
import { kartu, removeFromDeck } from './helpers/cli.ts'
import { waitFor } from './helpers/clients.ts'
import { type Seeded, seed, TEST_PASSWORD } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'

const ORIGIN = 'http://kartu.test'
const NEW_PASSWORD = 'kuda baterai benar'

type OpenSocket = { socket: WebSocket; closeCode: () => number | null; reason: () => string }

describe('access ends everywhere when it is ended', () => {
  let seeded: Seeded
  let server: ServerProcess
  const sockets: WebSocket[] = []

  beforeAll(async () => {
    seeded = await seed()
    server = await startServer(seeded.dataDir)
  })
  afterAll(async () => {
    for (const socket of sockets) socket.terminate()
    await server?.stop()
  })

  const cardUrl = (index = 0) =>
    `${server.wsUrl}/${cardDocumentName(seeded.cardIds[index] as string)}`

  /** Signs in through the API as a browser would; returns the session cookie's value. */
  async function signIn(email: string, password = TEST_PASSWORD): Promise<string> {
    const response = await fetch(`${server.httpUrl}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({ email, password }),
    })
    expect(response.status).toBe(200)
    const cookie = /kartu_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1]
    if (!cookie) throw new Error('no session cookie')
    return cookie
  }

  async function open(headers: Record<string, string>, url = cardUrl()): Promise<OpenSocket> {
    const socket = new WebSocket(url, { headers })
    sockets.push(socket)
    let code: number | null = null
    let reason = ''
    socket.on('close', (closeCode, closeReason) => {
      code = closeCode
      reason = closeReason.toString()
    })
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve())
      socket.once('error', reject)
    })
    return { socket, closeCode: () => code, reason: () => reason }
  }

  const withCookie = (cookie: string) => ({ cookie: `kartu_session=${cookie}`, origin: ORIGIN })
  const withToken = (token: string) => ({ authorization: `Bearer ${token}` })

  async function closedWithin5s(connection: OpenSocket, code: number): Promise<number> {
    const started = Date.now()
    await waitFor(() => connection.closeCode() !== null, 5_000, `close ${code}`)
    expect(connection.closeCode()).toBe(code)
    return Date.now() - started
  }

  async function me(cookie: string): Promise<number> {
    const response = await fetch(`${server.httpUrl}/api/me`, {
      headers: { cookie: `kartu_session=${cookie}` },
    })
    return response.status
  }

  it('signing out closes that session’s sockets at once, and only that session’s', async () => {
    const email = seeded.users.kemlu?.email as string
    const leaving = await signIn(email)
    const staying = await signIn(email)
    const leavingSocket = await open(withCookie(leaving))
    const stayingSocket = await open(withCookie(staying))
    const response = await fetch(`${server.httpUrl}/api/auth/sign-out`, {
      method: 'POST',
      headers: { cookie: `kartu_session=${leaving}`, origin: ORIGIN },
    })
    expect(response.status).toBe(204)
    const took = await closedWithin5s(leavingSocket, 4401)
    // Sign-out refreshes at once: well within one polling interval (2 s).
    expect(took).toBeLessThan(1_500)
    expect(leavingSocket.reason()).toBe('signed out')
    expect(await me(leaving)).toBe(401)
    expect(await me(staying)).toBe(200)
    expect(stayingSocket.closeCode()).toBeNull()
  })

  it('a session that expired while its socket is open is closed', async () => {
    const cookie = await signIn(seeded.users.kp2mi?.email as string)
    const connection = await open(withCookie(cookie))
    // The clock moves on: the session's absolute expiry is now in the past.
    await runTestSql(seeded.dataDir, 'UPDATE sessions SET expires_at = ? WHERE token_hash = ?', [
      Date.now() - 1,
      hashSecret(cookie),
    ])
    await closedWithin5s(connection, 4401)
    expect(connection.reason()).toBe('session expired')
    expect(await me(cookie)).toBe(401)
  })

  it('typing on an open card counts as use of the session (idle expiry)', async () => {
    const cookie = await signIn(seeded.users.kp2mi?.email as string)
    const connection = await open(withCookie(cookie))
    const lastSeen = async () =>
      Number(
        (
          await runTestSql(
            seeded.dataDir,
            'SELECT last_seen_at FROM sessions WHERE token_hash = ?',
            [hashSecret(cookie)],
          )
        )[0]?.last_seen_at,
      )
    const longAgo = Date.now() - 10 * 60_000
    await runTestSql(seeded.dataDir, 'UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?', [
      longAgo,
      hashSecret(cookie),
    ])
    // A Sync Update with an empty Yjs update: a document-changing message, nothing changed.
    connection.socket.send(new Uint8Array([0, 2, 2, 0, 0]))
    await vi.waitFor(async () => expect(await lastSeen()).toBeGreaterThan(longAgo), {
      timeout: 5_000,
      interval: 50,
    })
    expect(connection.closeCode()).toBeNull()
  })

  it('changing one’s password ends every other session and its sockets, keeps this one', async () => {
    const email = seeded.users.commenter?.email as string
    const here = await signIn(email)
    const elsewhere = await signIn(email)
    const hereSocket = await open(withCookie(here))
    const elsewhereSocket = await open(withCookie(elsewhere))
    const change = (currentPassword: string) =>
      fetch(`${server.httpUrl}/api/me/password`, {
        method: 'POST',
        headers: {
          cookie: `kartu_session=${here}`,
          origin: ORIGIN,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ currentPassword, newPassword: NEW_PASSWORD }),
      })
    const wrong = await change('not the password')
    expect(wrong.status).toBe(400)
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('wrong_password')
    expect(elsewhereSocket.closeCode()).toBeNull()
    expect((await change(TEST_PASSWORD)).status).toBe(204)
    await closedWithin5s(elsewhereSocket, 4401)
    expect(hereSocket.closeCode()).toBeNull()
    expect(await me(here)).toBe(200)
    expect(await me(elsewhere)).toBe(401)
    const old = await fetch(`${server.httpUrl}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({ email, password: TEST_PASSWORD }),
    })
    expect(old.status).toBe(401)
    await signIn(email, NEW_PASSWORD)
  })

  it('the command line: a password reset and `session end` sign a person out everywhere', async () => {
    const email = seeded.users.suggester?.email as string
    const first = await open(withCookie(await signIn(email)))
    const reset = await kartu(
      seeded.dataDir,
      'user',
      'password',
      '--email',
      email,
      '--password',
      NEW_PASSWORD,
    )
    expect(reset.code).toBe(0)
    expect(reset.stdout).toContain('1 session(s) ended')
    await closedWithin5s(first, 4401)

    const second = await open(withCookie(await signIn(email, NEW_PASSWORD)))
    const ended = await kartu(seeded.dataDir, 'session', 'end', '--email', email)
    expect(ended.code).toBe(0)
    expect(ended.stdout).toContain('1 session(s) of')
    await closedWithin5s(second, 4401)
    expect(second.reason()).toBe('signed out')
  })

  it('disabling an account refuses its sessions, tokens and sign-ins; enabling allows them again', async () => {
    const user = seeded.users.viewer
    const email = user?.email as string
    const token = user?.token as string
    const bySession = await open(withCookie(await signIn(email)))
    const byToken = await open(withToken(token))
    const disabled = await kartu(seeded.dataDir, 'user', 'disable', '--email', email)
    expect(disabled.code).toBe(0)
    await closedWithin5s(bySession, 4401)
    await closedWithin5s(byToken, 4401)
    expect(byToken.reason()).toBe('account disabled')
    const refused = await fetch(`${server.httpUrl}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({ email, password: TEST_PASSWORD }),
    })
    expect(refused.status).toBe(403)
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
      'account_disabled',
    )
    const api = await fetch(`${server.httpUrl}/api/me`, { headers: withToken(token) })
    expect(api.status).toBe(401)
    await expect(open(withToken(token))).rejects.toThrow(/401/)

    expect((await kartu(seeded.dataDir, 'user', 'enable', '--email', email)).code).toBe(0)
    const again = await fetch(`${server.httpUrl}/api/me`, { headers: withToken(token) })
    expect(again.status).toBe(200)
  })

  it('revoking a token closes the sockets it opened', async () => {
    const issued = await kartu(seeded.dataDir, 'token', 'issue', '--email', 'kemlu@kartu.test')
    const [id, token] = issued.stdout.trim().split('\n').slice(-2) as [string, string]
    const connection = await open(withToken(token))
    expect((await kartu(seeded.dataDir, 'token', 'revoke', '--id', id)).code).toBe(0)
    await closedWithin5s(connection, 4401)
    expect(connection.reason()).toBe('token revoked')
  })

  it('`member remove` closes the member’s connections to the deck', async () => {
    const user = seeded.users.kemlu
    const connection = await open(withToken(user?.token as string))
    const removed = await removeFromDeck(seeded, user?.email as string)
    expect(removed.code).toBe(0)
    await closedWithin5s(connection, 4403)
    const again = await removeFromDeck(seeded, user?.email as string)
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('is not a member')
  })

  it('records each of these in the audit log', async () => {
    const trail = await auditActions(seeded.dataDir)
    const actions = trail.map((entry) => entry.action)
    for (const action of [
      'auth.sign_out',
      'user.password_changed',
      'session.ended',
      'user.disabled',
      'user.enabled',
      'token.revoked',
      'member.removed',
    ]) {
      expect(actions, action).toContain(action)
    }
    const changed = trail.filter((entry) => entry.action === 'user.password_changed')
    expect(changed.map((entry) => entry.details)).toEqual([
      { sessionsEnded: 1 },
      { sessionsEnded: 1, via: 'cli' },
    ])
    // No password or secret in any entry.
    expect(JSON.stringify(trail)).not.toContain(NEW_PASSWORD)
    expect(JSON.stringify(trail)).not.toContain(TEST_PASSWORD)
  })
})
