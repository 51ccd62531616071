/**
 * Who may open a document: upgrades without valid credentials are refused with HTTP 401 before
 * any document is loaded, and cookies do not work from a foreign origin.
 */
import { cardDocumentName } from '@kartu/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { removeFromDeck } from './helpers/cli.ts'
import { type Seeded, seed, TEST_PASSWORD } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'
import { upgradeStatus } from './helpers/upgrade.ts'

describe('authentication of websocket upgrades and API calls', () => {
  let seeded: Seeded
  let server: ServerProcess
  let documentUrl: string

  beforeAll(async () => {
    seeded = await seed()
    server = await startServer(seeded.dataDir)
    documentUrl = `${server.wsUrl}/${cardDocumentName(seeded.cardIds[0] as string)}`
  })
  afterAll(async () => {
    await server?.stop()
  })

  const signIn = async (): Promise<string> => {
    const response = await fetch(`${server.httpUrl}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: seeded.users.kp2mi?.email, password: TEST_PASSWORD }),
    })
    expect(response.status).toBe(200)
    const cookie = response.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
    return cookie.split(';')[0] as string
  }

  it('refuses an upgrade without a token with 401', async () => {
    expect(await upgradeStatus(documentUrl)).toBe(401)
  })

  it('refuses a wrong token with 401', async () => {
    expect(await upgradeStatus(`${documentUrl}?token=kartu_not-a-real-token`)).toBe(401)
  })

  it('accepts a valid token', async () => {
    expect(await upgradeStatus(`${documentUrl}?token=${seeded.users.kp2mi?.token}`)).toBe(101)
  })

  it('refuses a document of a deck the user is not a member of, and unknown documents', async () => {
    expect(
      await upgradeStatus(`${server.wsUrl}/card:no-such-card?token=${seeded.users.kp2mi?.token}`),
    ).toBe(404)
    expect(await upgradeStatus(`${server.wsUrl}/nonsense?token=${seeded.users.kp2mi?.token}`)).toBe(
      404,
    )
  })

  it('answers a non-member exactly as if the card or deck did not exist, on REST and websocket', async () => {
    const outsider = seeded.users.commenter
    if (!outsider) throw new Error('seed is missing users')
    const removed = await removeFromDeck(seeded, outsider.email)
    expect(removed.code).toBe(0)
    const token = outsider.token
    const card = seeded.cardIds[0] as string
    const get = async (path: string) => {
      const response = await fetch(`${server.httpUrl}${path}`, {
        headers: { authorization: `Bearer ${token}` },
      })
      return { status: response.status, body: await response.text() }
    }
    expect(await get(`/api/cards/${card}`)).toEqual(await get('/api/cards/no-such-card'))
    expect((await get(`/api/cards/${card}`)).status).toBe(404)
    expect(await get(`/api/decks/${seeded.deckId}`)).toEqual(await get('/api/decks/no-such-deck'))
    expect((await get(`/api/decks/${seeded.deckId}`)).status).toBe(404)
    const upgrade = (name: string) => upgradeStatus(`${server.wsUrl}/${name}?token=${token}`)
    expect(await upgrade(cardDocumentName(card))).toBe(404)
    expect(await upgrade(`deck:${seeded.deckId}`)).toBe(404)
    expect(await upgrade(cardDocumentName('no-such-card'))).toBe(404)
  })

  it('accepts the session cookie from our origin and refuses it from a foreign one', async () => {
    const cookie = await signIn()
    expect(await upgradeStatus(documentUrl, { cookie, origin: 'http://kartu.test' })).toBe(101)
    expect(await upgradeStatus(documentUrl, { cookie, origin: 'https://evil.example' })).toBe(403)
  })

  it('refuses a wrong password and unauthenticated API calls with JSON errors', async () => {
    const wrong = await fetch(`${server.httpUrl}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: seeded.users.kp2mi?.email, password: 'nope' }),
    })
    expect(wrong.status).toBe(401)
    expect(await wrong.json()).toMatchObject({ error: { code: 'invalid_credentials' } })
    const me = await fetch(`${server.httpUrl}/api/me`)
    expect(me.status).toBe(401)
    expect(await me.json()).toMatchObject({ error: { code: 'unauthorized' } })
  })

  it('accepts a bearer token on the API, and signing out ends the session', async () => {
    const me = await fetch(`${server.httpUrl}/api/me`, {
      headers: { authorization: `Bearer ${seeded.users.chair?.token}` },
    })
    expect(me.status).toBe(200)
    expect(await me.json()).toMatchObject({ user: { email: 'chair@kartu.test' } })

    const cookie = await signIn()
    const out = await fetch(`${server.httpUrl}/api/auth/sign-out`, {
      method: 'POST',
      headers: { cookie, origin: 'http://kartu.test' },
    })
    expect(out.status).toBe(204)
    const after = await fetch(`${server.httpUrl}/api/me`, { headers: { cookie } })
    expect(after.status).toBe(401)
  })
})
