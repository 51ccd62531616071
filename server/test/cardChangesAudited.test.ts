/**
 * What the chair changes in a card's record, and refused sign-ins, are in the audit log: card
 * creation, metadata changes with their before and after, and a 429 sign-in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditActions } from './helpers/auditTrail.ts'
import { type Seeded, seed } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'

describe('card changes and refused sign-ins are audited', () => {
  let seeded: Seeded
  let server: ServerProcess
  beforeAll(async () => {
    seeded = await seed()
    server = await startServer(seeded.dataDir, { KARTU_SIGNIN_MAX_FAILURES_PER_ACCOUNT: '2' })
  })
  afterAll(async () => {
    await server?.stop()
  })
  const asChair = (method: string, path: string, body: unknown) =>
    fetch(`${server.httpUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${seeded.users.chair?.token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    })

  it('records a new card and each changed field of a card, once', async () => {
    const created = await asChair('POST', `/api/decks/${seeded.deckId}/cards`, {
      ref: 'CC-99',
      cluster: 'K1',
      question: 'Pertanyaan baru?',
      leadMinistry: 'KP2MI',
    })
    expect(created.status).toBe(201)
    const { card } = (await created.json()) as { card: { id: string } }
    const long = `Apa langkah pemerintah ${'sangat '.repeat(60)}?`
    const patched = await asChair('PATCH', `/api/cards/${card.id}`, {
      status: 'in_review',
      question: long,
      timeBudgetSec: 120,
    })
    expect(patched.status).toBe(200)
    const trail = await auditActions(seeded.dataDir)
    const forCard = trail.filter((e) => e.subject === `card:${card.id}`)
    expect(forCard.map((e) => e.action)).toEqual(['card.created', 'card.updated'])
    const details = forCard[1]?.details as
      | { changes: Record<string, { from: unknown; to: string }> }
      | undefined
    const changes = details?.changes ?? {}
    // timeBudgetSec was already 120: unchanged fields are not recorded.
    expect(Object.keys(changes).sort()).toEqual(['question', 'status'])
    expect(changes.status).toEqual({ from: 'draft', to: 'in_review' })
    expect(changes.question?.to).toContain(`(${long.length} characters)`)
  })

  it('records a sign-in refused for too many failures (429)', async () => {
    const attempt = () =>
      fetch(`${server.httpUrl}/api/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'kemlu@kartu.test', password: 'salah sekali' }),
      })
    expect((await attempt()).status).toBe(401)
    expect((await attempt()).status).toBe(401)
    expect((await attempt()).status).toBe(429)
    const trail = await auditActions(seeded.dataDir)
    const throttled = trail.filter((e) => e.action === 'auth.sign_in_throttled')
    expect(throttled).toHaveLength(1)
    expect(throttled[0]?.details).toMatchObject({ email: 'kemlu@kartu.test', scope: 'account' })
  })
})
