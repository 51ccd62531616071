/**
 * Cross-site request forgery against a real server (public origin http://kartu.test): a page of
 * another origin, or of our host under another scheme or port, makes the browser send its
 * session cookie with a state change. Every such request is refused with 403 and changes nothing;
 * our own origin passes, and a script with a bearer token is not concerned.
 */
import { cardDocumentName } from '@kartu/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Seeded, seed, TEST_PASSWORD } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'
import { upgradeStatus } from './helpers/upgrade.ts'

const PUBLIC_ORIGIN = 'http://kartu.test'

describe('state changes from a foreign origin', () => {
  let seeded: Seeded
  let server: ServerProcess
  /** The origins a browser shows for pages that are not ours. */
  let foreign: string[]

  beforeAll(async () => {
    seeded = await seed()
    server = await startServer(seeded.dataDir)
    foreign = [
      'https://evil.example',
      // Our public host, another scheme or port.
      'https://kartu.test',
      'http://kartu.test:8080',
      // The host the requests are sent to, another scheme or port: the old check compared
      // the host alone and let the first of these through.
      `https://127.0.0.1:${server.port}`,
      `http://127.0.0.1:${server.port + 1}`,
      'null',
    ]
  })
  afterAll(async () => {
    await server?.stop()
  })

  async function signIn(email: string, origin?: string): Promise<Response> {
    return fetch(`${server.httpUrl}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(origin ? { origin } : {}) },
      body: JSON.stringify({ email, password: TEST_PASSWORD }),
    })
  }

  async function cookieOf(email: string): Promise<string> {
    const response = await signIn(email)
    expect(response.status).toBe(200)
    return (response.headers.get('set-cookie') ?? '').split(';')[0] as string
  }

  const me = (cookie: string) => fetch(`${server.httpUrl}/api/me`, { headers: { cookie } })

  it('refuses sign-out from a foreign origin (logout CSRF), and the session stays', async () => {
    const cookie = await cookieOf(seeded.users.kp2mi?.email as string)
    for (const origin of foreign) {
      const out = await fetch(`${server.httpUrl}/api/auth/sign-out`, {
        method: 'POST',
        headers: { cookie, origin },
      })
      expect(out.status, origin).toBe(403)
      expect(await out.json()).toMatchObject({ error: { code: 'forbidden_origin' } })
      expect(out.headers.get('set-cookie'), origin).toBeNull()
      expect((await me(cookie)).status, origin).toBe(200)
    }
    const ours = await fetch(`${server.httpUrl}/api/auth/sign-out`, {
      method: 'POST',
      headers: { cookie, origin: PUBLIC_ORIGIN },
    })
    expect(ours.status).toBe(204)
    expect((await me(cookie)).status).toBe(401)
  })

  it('refuses sign-in from a foreign origin (login CSRF): no session is handed out', async () => {
    const email = seeded.users.kemlu?.email as string
    for (const origin of foreign) {
      const response = await signIn(email, origin)
      expect(response.status, origin).toBe(403)
      expect(response.headers.get('set-cookie'), origin).toBeNull()
    }
    expect((await signIn(email, PUBLIC_ORIGIN)).status).toBe(200)
    expect((await signIn(email, `http://127.0.0.1:${server.port}`)).status).toBe(200)
  })

  it('refuses cookie PATCH, PUT, POST and DELETE from any other scheme, host or port', async () => {
    const cookie = await cookieOf(seeded.users.chair?.email as string)
    const cardId = seeded.cardIds[1] as string
    const before = await (
      await fetch(`${server.httpUrl}/api/cards/${cardId}`, { headers: { cookie } })
    ).json()
    const attacks = (origin: string) => [
      fetch(`${server.httpUrl}/api/cards/${cardId}`, {
        method: 'PATCH',
        headers: { cookie, origin, 'content-type': 'application/json' },
        body: JSON.stringify({ locked: true, question: 'Diubah dari situs lain' }),
      }),
      fetch(`${server.httpUrl}/api/decks/${seeded.deckId}/members`, {
        method: 'PUT',
        headers: { cookie, origin, 'content-type': 'application/json' },
        body: JSON.stringify({ email: seeded.users.viewer?.email, role: 'chair' }),
      }),
      fetch(`${server.httpUrl}/api/decks/${seeded.deckId}/cards`, {
        method: 'POST',
        headers: { cookie, origin, 'content-type': 'application/json' },
        body: JSON.stringify({
          ref: 'X1',
          question: 'Kartu palsu',
          cluster: 'K1',
          leadMinistry: 'KEMLU',
        }),
      }),
      fetch(`${server.httpUrl}/api/decks/${seeded.deckId}/members/${seeded.users.kp2mi?.id}`, {
        method: 'DELETE',
        headers: { cookie, origin },
      }),
    ]
    for (const origin of foreign) {
      const answers = await Promise.all(attacks(origin))
      expect(
        answers.map((answer) => answer.status),
        origin,
      ).toEqual([403, 403, 403, 403])
    }
    // Nothing changed.
    const after = await (
      await fetch(`${server.httpUrl}/api/cards/${cardId}`, { headers: { cookie } })
    ).json()
    expect(after).toEqual(before)
    const members = (await (
      await fetch(`${server.httpUrl}/api/decks/${seeded.deckId}/members`, { headers: { cookie } })
    ).json()) as { members: Array<{ userId: string; role: string }> }
    expect(members.members.find((m) => m.userId === seeded.users.viewer?.id)?.role).toBe('viewer')
    expect(members.members.some((m) => m.userId === seeded.users.kp2mi?.id)).toBe(true)
    const cards = (await (
      await fetch(`${server.httpUrl}/api/decks/${seeded.deckId}/cards`, { headers: { cookie } })
    ).json()) as { cards: Array<{ ref: string }> }
    expect(cards.cards.some((card) => card.ref === 'X1')).toBe(false)

    // The same change from our own origin, and from the origin the request was sent to, passes.
    for (const origin of [PUBLIC_ORIGIN, `http://127.0.0.1:${server.port}`]) {
      const ours = await fetch(`${server.httpUrl}/api/cards/${cardId}`, {
        method: 'PATCH',
        headers: { cookie, origin, 'content-type': 'application/json' },
        body: JSON.stringify({ timeBudgetSec: 95 }),
      })
      expect(ours.status, origin).toBe(200)
    }
  })

  it('refuses a cookie websocket upgrade from another scheme or port of our host', async () => {
    const cookie = await cookieOf(seeded.users.kemlu?.email as string)
    const url = `${server.wsUrl}/${cardDocumentName(seeded.cardIds[2] as string)}`
    for (const origin of foreign) {
      expect(await upgradeStatus(url, { cookie, origin }), origin).toBe(403)
    }
    expect(await upgradeStatus(url, { cookie, origin: PUBLIC_ORIGIN })).toBe(101)
    expect(await upgradeStatus(url, { cookie, origin: `http://127.0.0.1:${server.port}` })).toBe(
      101,
    )
  })

  it('does not concern a bearer token without a cookie, whatever its Origin', async () => {
    const response = await fetch(`${server.httpUrl}/api/cards/${seeded.cardIds[3]}`, {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${seeded.users.chair?.token}`,
        origin: 'https://evil.example',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ timeBudgetSec: 120 }),
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ card: { timeBudgetSec: 120 } })
  })
})
