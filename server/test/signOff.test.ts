/**
 * Sign-off against a real server process and stock y-websocket clients: the chair assigns a card,
 * each assigned ministry clears the exact text it read, and a clearance stays current through a
 * comment and a pending suggestion but not through an edit, an accepted suggestion or a restore.
 * Final is refused while a clearance is missing or stale, allowed with a reason, locks the card,
 * and everything is in the audit log and the card's history.
 */
import {
  type ActivityResponse,
  type Card,
  type CardResponse,
  type ClearanceResponse,
  cardDocumentName,
  type InboxResponse,
  type VersionComparison,
} from '@kartu/protocol'
import { answerMarkFormat, DECISIONS_FIELD, SUGGESTIONS_FIELD, THREADS_FIELD } from '@kartu/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { eventually } from '../src/testing/eventually.ts'
import { callAs, userOf } from './helpers/api.ts'
import { auditActions } from './helpers/auditTrail.ts'
import { connectClient, firstText, type TestClient, waitFor } from './helpers/clients.ts'
import { type Seeded, type SeededUser, seed } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'

describe('sign-off', () => {
  let seeded: Seeded
  let server: ServerProcess
  const clients: TestClient[] = []
  beforeAll(async () => {
    seeded = await seed()
    server = await startServer(seeded.dataDir, { KARTU_VERSION_QUIET_MS: '3600000' })
  })
  afterAll(async () => {
    for (const client of clients) client.destroy()
    await server?.stop()
  })
  const call = (user: SeededUser, method: string, path: string, body?: unknown) =>
    callAs(server, user, method, path, body)
  const open = async (key: string, cardId: string) => {
    const client = connectClient(server.wsUrl, cardDocumentName(cardId), userOf(seeded, key).token)
    clients.push(client)
    await client.synced()
    return client
  }
  const cardOf = async (cardId: string): Promise<Card> => {
    const response = await call(userOf(seeded, 'chair'), 'GET', `/api/cards/${cardId}`)
    expect(response.status).toBe(200)
    return ((await response.json()) as CardResponse).card
  }
  const currentOf = async (cardId: string, ministryId: string) =>
    (await cardOf(cardId)).clearances.find((c) => c.ministryId === ministryId)?.current
  const clear = async (key: string, cardId: string) => {
    const response = await call(userOf(seeded, key), 'POST', `/api/cards/${cardId}/clearances`)
    expect(response.status, await response.clone().text()).toBe(201)
    return (await response.json()) as ClearanceResponse
  }
  const assign = (cardId: string, lead: string, contributing: string[], dueDate: string | null) =>
    call(userOf(seeded, 'chair'), 'PUT', `/api/cards/${cardId}/assignment`, {
      leadMinistryId: lead,
      contributingMinistryIds: contributing,
      dueDate,
    })
  const inboxOf = async (key: string) => {
    const response = await call(userOf(seeded, key), 'GET', '/api/me/inbox')
    expect(response.status).toBe(200)
    return (await response.json()) as InboxResponse
  }
  /** Longer than the clearance watcher's second: what it would have noticed, it has. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 2_500))

  it('assigns a card (chair only), tells the ministries, and records it', async () => {
    const cardId = seeded.cardIds[0] as string
    expect(
      (
        await call(userOf(seeded, 'kp2mi'), 'PUT', `/api/cards/${cardId}/assignment`, {
          leadMinistryId: 'KP2MI',
        })
      ).status,
    ).toBe(403)
    expect((await assign(cardId, 'NOPE', [], null)).status).toBe(400)
    expect((await assign(cardId, 'KP2MI', ['KEMNAKER'], '2026-13-40')).status).toBe(400)
    // From one ministry to three: each of the three is newly assigned.
    expect((await assign(cardId, 'KEMENPPPA', [], null)).status).toBe(200)
    const response = await assign(cardId, 'KP2MI', ['KEMNAKER', 'KEMLU', 'KP2MI'], '2026-12-10')
    expect(response.status).toBe(200)
    const { card } = (await response.json()) as CardResponse
    expect(card.leadMinistry).toBe('KP2MI')
    expect(card.contributingMinistries).toEqual(['KEMNAKER', 'KEMLU'])
    expect(card.dueDate).toBe('2026-12-10')
    for (const key of ['kp2mi', 'suggester', 'kemlu']) {
      const inbox = await inboxOf(key)
      const assigned = inbox.items.filter((i) => i.kind === 'assigned' && i.cardId === cardId)
      expect(assigned, key).toHaveLength(1)
      expect(assigned[0]?.actor?.userId).toBe(userOf(seeded, 'chair').id)
    }
    // The chair assigned it: nothing in their own inbox, nor in a ministry not assigned.
    expect((await inboxOf('chair')).items.filter((i) => i.kind === 'assigned')).toEqual([])
    expect((await inboxOf('viewer')).items.filter((i) => i.kind === 'assigned')).toEqual([])
    const audit = await auditActions(seeded.dataDir)
    expect(audit.filter((e) => e.action === 'card.assigned').at(-1)?.details).toEqual({
      lead: 'KP2MI',
      contributing: 'KEMNAKER,KEMLU',
      dueDate: '2026-12-10',
    })
  })

  it('clears the text for the caller’s own assigned ministry only', async () => {
    const cardId = seeded.cardIds[0] as string
    const cleared = await clear('kp2mi', cardId)
    expect(cleared.clearance).toMatchObject({
      ministryId: 'KP2MI',
      userId: userOf(seeded, 'kp2mi').id,
      name: 'Test kp2mi',
      current: true,
    })
    // The text cleared is kept as a version of its own kind.
    const versions = (await (
      await call(userOf(seeded, 'kp2mi'), 'GET', `/api/cards/${cardId}/versions`)
    ).json()) as { versions: Array<{ id: string; kind: string; name: string | null }> }
    expect(versions.versions.find((v) => v.id === cleared.clearance.versionId)).toMatchObject({
      kind: 'clearance',
      name: 'Disetujui KP2MI',
    })
    const refused = async (key: string, status: number, code?: string) => {
      const response = await call(userOf(seeded, key), 'POST', `/api/cards/${cardId}/clearances`)
      expect(response.status, key).toBe(status)
      if (code)
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code)
    }
    await refused('viewer', 403)
    await refused('commenter', 403)
    // The chair's ministry is not assigned to this card.
    await refused('chair', 403, 'not_assigned')
    // Someone else's ministry's clearance is not theirs to withdraw; the chair may.
    expect(
      (await call(userOf(seeded, 'kemlu'), 'DELETE', `/api/cards/${cardId}/clearances/KP2MI`))
        .status,
    ).toBe(403)
  })

  it('stays current through a comment and a pending suggestion, not through an edit', async () => {
    const cardId = seeded.cardIds[0] as string
    expect(await currentOf(cardId, 'KP2MI')).toBe(true)
    const commenter = await open('kemlu', cardId)
    commenter.doc.transact(() => {
      const thread = new Y.Map<unknown>()
      commenter.doc.getMap(THREADS_FIELD).set('t-signoff', thread)
      thread.set('quote', '')
      thread.set('resolved', false)
      const comments = new Y.Array<Y.Map<unknown>>()
      thread.set('comments', comments)
      const first = new Y.Map<unknown>()
      comments.push([first])
      first.set('id', 'c-signoff')
      first.set('body', 'Angka ini dari mana?')
      first.set('createdAt', Date.now())
    })
    await commenter.saved()
    const suggester = await open('suggester', cardId)
    suggester.doc.transact(() => {
      firstText(suggester.doc).insert(
        0,
        'Usulan Kemnaker. ',
        answerMarkFormat('insertion', { id: 's-so' }),
      )
      suggester.doc.getMap(SUGGESTIONS_FIELD).set('s-so', { kind: 'insert', createdAt: Date.now() })
    })
    await suggester.saved()
    await settle()
    expect(await currentOf(cardId, 'KP2MI')).toBe(true)

    // An edit of the text: the clearance is of an earlier text now, and its author hears of it.
    firstText(commenter.doc).insert(firstText(commenter.doc).length, ' Tambahan Kemlu.')
    await commenter.saved()
    await eventually(async () => (await currentOf(cardId, 'KP2MI')) === false, 'stale')
    const stale = (await inboxOf('kp2mi')).items.find((i) => i.kind === 'clearance_stale')
    expect(stale).toMatchObject({ cardId, actor: null, details: { ministry: 'KP2MI' } })
    // One click from the item: what changed since the text cleared.
    const compared = (await (
      await call(
        userOf(seeded, 'kp2mi'),
        'GET',
        `/api/cards/${cardId}/versions/${stale?.versionId}/compare`,
      )
    ).json()) as VersionComparison
    expect(compared.changes.map((c) => c.text).join('')).toContain('Tambahan Kemlu.')
  })

  it('goes stale when a suggestion is accepted, not when one is rejected', async () => {
    const cardId = seeded.cardIds[0] as string
    await clear('kp2mi', cardId)
    const chair = await open('chair', cardId)
    await waitFor(() => chair.doc.getMap(SUGGESTIONS_FIELD).has('s-so'))
    const suggester = await open('suggester', cardId)
    suggester.doc.transact(() => {
      firstText(suggester.doc).insert(
        0,
        'Usulan kedua. ',
        answerMarkFormat('insertion', { id: 's-no' }),
      )
      suggester.doc.getMap(SUGGESTIONS_FIELD).set('s-no', { kind: 'insert', createdAt: Date.now() })
    })
    await suggester.saved()
    await waitFor(() => chair.doc.getMap(SUGGESTIONS_FIELD).has('s-no'))
    const decide = (id: string, text: string, outcome: 'accepted' | 'rejected') =>
      chair.doc.transact(() => {
        const first = firstText(chair.doc)
        // The plain text (toString() would write the marks as tags).
        const plain = (first.toDelta() as Array<{ insert: unknown }>)
          .map((op) => (typeof op.insert === 'string' ? op.insert : ''))
          .join('')
        const start = plain.indexOf(text)
        const key = Object.keys(answerMarkFormat('insertion', { id }))[0] as string
        if (outcome === 'accepted') first.format(start, text.length, { [key]: null })
        else first.delete(start, text.length)
        chair.doc.getMap(SUGGESTIONS_FIELD).delete(id)
        chair.doc.getArray(DECISIONS_FIELD).push([
          {
            suggestionId: id,
            kind: 'insert',
            outcome,
            text,
            suggestedBy: null,
            reason: '',
            at: Date.now(),
          },
        ])
      })
    decide('s-no', 'Usulan kedua. ', 'rejected')
    await chair.saved()
    await settle()
    expect(await currentOf(cardId, 'KP2MI')).toBe(true)
    decide('s-so', 'Usulan Kemnaker. ', 'accepted')
    await chair.saved()
    expect(chair.rejected).toEqual([])
    await eventually(async () => (await currentOf(cardId, 'KP2MI')) === false, 'stale')
    // The suggester hears of both decisions on their suggestions.
    const decisionsOf = async () =>
      (await inboxOf('suggester')).items.filter((i) => i.kind === 'decision')
    await eventually(async () => (await decisionsOf()).length === 2, 'both decisions in the inbox')
    const decisions = await decisionsOf()
    expect(decisions.map((i) => [i.suggestionId, i.details.outcome]).sort()).toEqual([
      ['s-no', 'rejected'],
      ['s-so', 'accepted'],
    ])
  })

  it('goes stale when the chair restores a version', async () => {
    const cardId = seeded.cardIds[0] as string
    const { clearance } = await clear('kp2mi', cardId)
    const versions = (await (
      await call(userOf(seeded, 'chair'), 'GET', `/api/cards/${cardId}/versions`)
    ).json()) as { versions: Array<{ id: string; kind: string }> }
    const earlier = versions.versions.find(
      (v) => v.kind === 'clearance' && v.id !== clearance.versionId,
    )
    const restored = await call(
      userOf(seeded, 'chair'),
      'POST',
      `/api/cards/${cardId}/versions/${earlier?.id}/restore`,
      { reason: 'Kembali ke teks yang disetujui KP2MI' },
    )
    expect(restored.status).toBe(200)
    await eventually(async () => (await currentOf(cardId, 'KP2MI')) === false, 'stale')
  })

  it('refuses final while a clearance is missing or stale, allows it with a reason, and locks', async () => {
    const cardId = seeded.cardIds[0] as string
    const chair = userOf(seeded, 'chair')
    await clear('kp2mi', cardId)
    await clear('suggester', cardId)
    const refused = await call(chair, 'PATCH', `/api/cards/${cardId}`, { status: 'final' })
    expect(refused.status).toBe(409)
    const error = ((await refused.json()) as { error: { code: string; message: string } }).error
    expect(error.code).toBe('clearance_missing')
    expect(error.message).toContain('KEMLU')
    expect((await cardOf(cardId)).status).not.toBe('final')
    // Only the chair finalises; an override goes with final alone.
    expect(
      (await call(userOf(seeded, 'kp2mi'), 'PATCH', `/api/cards/${cardId}`, { status: 'final' }))
        .status,
    ).toBe(403)
    expect(
      (await call(chair, 'PATCH', `/api/cards/${cardId}`, { override: { reason: 'x' } })).status,
    ).toBe(400)
    const allowed = await call(chair, 'PATCH', `/api/cards/${cardId}`, {
      status: 'final',
      override: { reason: 'Kemlu setuju lisan di rakor' },
    })
    expect(allowed.status).toBe(200)
    const { card } = (await allowed.json()) as CardResponse
    expect(card).toMatchObject({ status: 'final', locked: true })
    // Final text: no more clearing, and the room refuses edits.
    expect(
      (await call(userOf(seeded, 'kemlu'), 'POST', `/api/cards/${cardId}/clearances`)).status,
    ).toBe(409)
    const finalized = (await auditActions(seeded.dataDir)).filter(
      (e) => e.action === 'card.finalized',
    )
    expect(finalized.at(-1)).toMatchObject({
      actorUserId: chair.id,
      details: { override: 'Kemlu setuju lisan di rakor', missing: 'KEMLU' },
    })
    const activity = (await (
      await call(chair, 'GET', `/api/cards/${cardId}/activity`)
    ).json()) as ActivityResponse
    const kinds = new Set(activity.events.map((e) => e.kind))
    for (const kind of ['assignment', 'clearance', 'final'] as const) expect(kinds).toContain(kind)
    // The decision log asks for these kinds alone: no edit crowds them out.
    const signOffOnly = (await (
      await call(chair, 'GET', `/api/cards/${cardId}/activity?kinds=clearance,final`)
    ).json()) as ActivityResponse
    expect(new Set(signOffOnly.events.map((e) => e.kind))).toEqual(new Set(['clearance', 'final']))
    expect((await call(chair, 'GET', `/api/cards/${cardId}/activity?kinds=nope`)).status).toBe(400)
    // Another status lifts the lock final set.
    const reopened = await call(chair, 'PATCH', `/api/cards/${cardId}`, { status: 'in_review' })
    expect(((await reopened.json()) as CardResponse).card).toMatchObject({
      status: 'in_review',
      locked: false,
    })
  })

  it('finalises without a reason once every assigned ministry cleared the current text', async () => {
    const cardId = seeded.cardIds[1] as string
    const chair = userOf(seeded, 'chair')
    expect((await assign(cardId, 'KEMLU', ['KP2MI'], null)).status).toBe(200)
    await clear('kemlu', cardId)
    await clear('kp2mi', cardId)
    const response = await call(chair, 'PATCH', `/api/cards/${cardId}`, { status: 'final' })
    expect(response.status).toBe(200)
    expect(((await response.json()) as CardResponse).card.status).toBe('final')
    const finalized = (await auditActions(seeded.dataDir)).filter(
      (e) => e.action === 'card.finalized' && e.subject === `card:${cardId}`,
    )
    expect(finalized.at(-1)?.details).toEqual({ override: null, missing: '' })
  })
})
