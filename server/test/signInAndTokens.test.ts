/**
 * Attacks on sign-in and on tokens, against a real server process: wrong, expired and revoked
 * tokens on the websocket upgrade and the API; guessing a password; and the record they leave in
 * the audit log.
 */
import { cardDocumentName } from '@kartu/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashSecret, newSecret, TOKEN_PREFIX } from '../src/auth/secrets.ts'
import { openTestStorage } from '../src/testing/testStore.ts'
import { kartu, lastLine } from './helpers/cli.ts'
import { type Seeded, seed, TEST_PASSWORD } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'
import { upgradeStatus } from './helpers/upgrade.ts'

async function apiStatus(server: ServerProcess, token: string): Promise<number> {
  const response = await fetch(`${server.httpUrl}/api/me`, {
    headers: { authorization: `Bearer ${token}` },
  })
  return response.status
}

function signIn(server: ServerProcess, email: string, password: string): Promise<Response> {
  return fetch(`${server.httpUrl}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
}

type ListedEntry = {
  seq: number
  action: string
  subject: string
  actorUserId: string | null
  details: Record<string, unknown>
}

describe('attacks on tokens and sign-in', () => {
  let seeded: Seeded
  let server: ServerProcess
  let documentUrl: string
  let expiredToken: string

  beforeAll(async () => {
    seeded = await seed()
    // An expired token, written straight through the repository as an old one would be.
    expiredToken = newSecret(TOKEN_PREFIX)
    const storage = await openTestStorage(seeded.dataDir)
    await storage.repository.createToken({
      id: 'expired-token',
      userId: 'user-kp2mi',
      tokenHash: hashSecret(expiredToken),
      label: 'old',
      createdAt: Date.now() - 91 * 86_400_000,
      expiresAt: Date.now() - 86_400_000,
    })
    await storage.close()
    server = await startServer(seeded.dataDir)
    documentUrl = `${server.wsUrl}/${cardDocumentName(seeded.cardIds[0] as string)}`
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('refuses a wrong token on the websocket upgrade and on the API with 401', async () => {
    const wrong = newSecret(TOKEN_PREFIX)
    expect(await upgradeStatus(`${documentUrl}?token=${wrong}`)).toBe(401)
    expect(await apiStatus(server, wrong)).toBe(401)
    // A real token with one character changed.
    const valid = seeded.users.kp2mi?.token as string
    const altered = `${valid.slice(0, -1)}${valid.endsWith('A') ? 'B' : 'A'}`
    expect(await upgradeStatus(`${documentUrl}?token=${altered}`)).toBe(401)
    expect(await apiStatus(server, altered)).toBe(401)
  })

  it('refuses an expired token on the websocket upgrade and on the API with 401', async () => {
    expect(await upgradeStatus(`${documentUrl}?token=${expiredToken}`)).toBe(401)
    expect(await apiStatus(server, expiredToken)).toBe(401)
  })

  it('refuses a token revoked with the CLI while the server runs, at once', async () => {
    const issued = await kartu(seeded.dataDir, 'token', 'issue', '--email', 'kemlu@kartu.test')
    expect(issued.code).toBe(0)
    const token = lastLine(issued.stdout)
    const id = issued.stdout.trim().split('\n').at(-2) ?? ''
    expect(await upgradeStatus(`${documentUrl}?token=${token}`)).toBe(101)
    expect(await apiStatus(server, token)).toBe(200)

    const revoked = await kartu(seeded.dataDir, 'token', 'revoke', '--id', id)
    expect(revoked.code).toBe(0)
    expect(await upgradeStatus(`${documentUrl}?token=${token}`)).toBe(401)
    expect(await apiStatus(server, token)).toBe(401)
  })

  it('answers the 6th failed sign-in for one account within the window with 429', async () => {
    const email = seeded.users.kp2mi?.email as string
    for (let i = 1; i <= 5; i++) {
      const wrong = await signIn(server, email, `guess-${i}`)
      expect(wrong.status).toBe(401)
    }
    const sixth = await signIn(server, email, 'guess-6')
    expect(sixth.status).toBe(429)
    expect(await sixth.json()).toMatchObject({ error: { code: 'too_many_attempts' } })
    const retryAfter = Number(sixth.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThan(14 * 60)
    expect(retryAfter).toBeLessThanOrEqual(15 * 60)
    // Over the limit the password is not checked: the right one is refused the same way.
    const right = await signIn(server, email, TEST_PASSWORD)
    expect(right.status).toBe(429)
    // Other accounts from the same address still sign in.
    expect((await signIn(server, seeded.users.kemlu?.email as string, TEST_PASSWORD)).status).toBe(
      200,
    )
  })

  it('records a failed and a successful sign-in in the audit log, which verifies', async () => {
    const email = seeded.users.chair?.email as string
    expect((await signIn(server, email, 'not-the-password')).status).toBe(401)
    const ok = await signIn(server, email, TEST_PASSWORD)
    expect(ok.status).toBe(200)
    const cookie = (ok.headers.get('set-cookie') ?? '').split(';')[0] as string
    const out = await fetch(`${server.httpUrl}/api/auth/sign-out`, {
      method: 'POST',
      headers: { cookie, origin: 'http://kartu.test' },
    })
    expect(out.status).toBe(204)

    // Read while the server runs, as an operator would.
    const list = await kartu(seeded.dataDir, 'audit', 'list', '--limit', '1000')
    expect(list.code).toBe(0)
    const entries = list.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ListedEntry)
    const chairEntries = entries.filter(
      (e) => e.details.email === email || e.actorUserId === 'user-chair',
    )
    expect(chairEntries.map((e) => e.action)).toEqual([
      'auth.sign_in_failed',
      'auth.sign_in',
      'auth.sign_out',
    ])
    expect(chairEntries[0]).toMatchObject({
      actorUserId: null,
      subject: `email:${email}`,
      details: { email, address: '127.0.0.1' },
    })
    expect(chairEntries[1]).toMatchObject({
      actorUserId: 'user-chair',
      subject: 'user:user-chair',
      details: { email, address: '127.0.0.1' },
    })
    // Every guess of the attack above is on record, the refused 6th and 7th are not.
    expect(
      entries.filter(
        (e) => e.action === 'auth.sign_in_failed' && e.details.email === 'kp2mi@kartu.test',
      ),
    ).toHaveLength(5)
    // Passwords never reach the log.
    expect(list.stdout).not.toContain('not-the-password')
    expect(list.stdout).not.toContain(TEST_PASSWORD)
    expect(list.stdout).not.toContain('guess-')

    const verify = await kartu(seeded.dataDir, 'audit', 'verify')
    expect(verify.code).toBe(0)
    expect(verify.stdout).toMatch(/^OK: \d+ entries, the chain is intact/m)
  })
})

describe('the per-address sign-in limit', () => {
  let seeded: Seeded
  let server: ServerProcess

  beforeAll(async () => {
    seeded = await seed()
    server = await startServer(seeded.dataDir, { KARTU_SIGNIN_MAX_FAILURES_PER_ADDRESS: '4' })
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('refuses an address that guessed at several accounts, right password or not', async () => {
    const emails = Object.values(seeded.users).map((u) => u.email)
    // One guess on each of four accounts: the address's limit, no account's.
    for (const email of emails.slice(0, 4)) {
      expect((await signIn(server, email, 'guess')).status).toBe(401)
    }
    const next = await signIn(server, emails[4] ?? 'unknown@kartu.test', TEST_PASSWORD)
    expect(next.status).toBe(429)
    expect(await next.json()).toMatchObject({ error: { code: 'too_many_attempts' } })
    expect(Number(next.headers.get('retry-after'))).toBeGreaterThan(0)
  })
})
