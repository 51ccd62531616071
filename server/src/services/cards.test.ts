import type { Deck } from '@kartu/protocol'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AuditLog } from '../audit/AuditLog.ts'
import { AuditAction } from '../audit/auditEvents.ts'
import { importDemoDeck, openTempStorage, type TempStorage } from '../testing/tempStorage.ts'
import { CardError, type CardFields, Cards } from './cards.ts'

describe('Cards', () => {
  let temp: TempStorage
  let cards: Cards
  let deck: Deck
  let accessChanges: number

  beforeEach(async () => {
    temp = await openTempStorage()
    const { repository } = temp.storage
    // Imported without its audit entry (DeckImports has its own test): the trail starts empty.
    const { deckId } = await importDemoDeck(temp)
    const stored = await repository.getDeck(deckId)
    if (!stored) throw new Error('the demo deck was not imported')
    deck = stored
    accessChanges = 0
    cards = new Cards(repository, new AuditLog(repository), {
      afterAccessChange: async () => {
        accessChanges++
      },
    })
  })

  afterEach(async () => {
    await temp.cleanup()
  })

  const trail = async () =>
    (await temp.storage.repository.listAudit(0, 100)).map((entry) => ({
      action: entry.action,
      subject: entry.subject,
      details: JSON.parse(entry.details),
    }))

  const fields = (): CardFields => ({
    ref: 'X1',
    cluster: deck.clusters[0]?.id ?? '',
    questionRef: '',
    question: 'What changed since the last dialogue?',
    questionId: '',
    articles: [],
    leadMinistry: deck.ministries[0]?.id ?? '',
    contributingMinistries: [],
    status: 'draft',
    timeBudgetSec: 120,
  })

  it('adds a card at the end of its deck and records it once', async () => {
    const before = await temp.storage.repository.listCards(deck.id)
    const card = await cards.create({ actorUserId: 'chair', deckId: deck.id, fields: fields() })
    expect(card).toMatchObject({ deckId: deck.id, ref: 'X1', position: before.length })
    expect((await temp.storage.repository.listCards(deck.id)).at(-1)?.id).toBe(card.id)
    expect(await trail()).toEqual([
      {
        action: AuditAction.CardCreated,
        subject: `card:${card.id}`,
        details: { deckId: deck.id, ref: 'X1' },
      },
    ])
  })

  it('refuses a cluster or a ministry the deck does not have, storing and recording nothing', async () => {
    const count = (await temp.storage.repository.listCards(deck.id)).length
    await expect(
      cards.create({
        actorUserId: 'chair',
        deckId: deck.id,
        fields: { ...fields(), cluster: 'NONE' },
      }),
    ).rejects.toMatchObject({ code: 'unknown_cluster' })
    await expect(
      cards.create({
        actorUserId: 'chair',
        deckId: deck.id,
        fields: { ...fields(), contributingMinistries: ['NONE'] },
      }),
    ).rejects.toMatchObject({ code: 'unknown_ministry' })
    await expect(
      cards.create({ actorUserId: 'chair', deckId: 'no-deck', fields: fields() }),
    ).rejects.toBeInstanceOf(CardError)
    expect(await temp.storage.repository.listCards(deck.id)).toHaveLength(count)
    expect(await trail()).toEqual([])
  })

  it('records a lock as a lock, tells open connections, and the other changes in one entry', async () => {
    const [first] = await temp.storage.repository.listCards(deck.id)
    if (!first) throw new Error('the demo deck has no cards')
    const status = first.status === 'draft' ? 'agreed' : 'draft'
    const card = await cards.update({
      actorUserId: 'chair',
      cardId: first.id,
      change: { locked: true, status, question: first.question },
    })
    expect(card).toMatchObject({ locked: true, status })
    expect(accessChanges).toBe(1)
    expect(await trail()).toEqual([
      { action: AuditAction.LockChanged, subject: `card:${first.id}`, details: { locked: true } },
      {
        action: AuditAction.CardUpdated,
        subject: `card:${first.id}`,
        details: { changes: { status: { from: first.status, to: status } } },
      },
    ])
  })

  it('records nothing when a change changes nothing', async () => {
    const [first] = await temp.storage.repository.listCards(deck.id)
    if (!first) throw new Error('the demo deck has no cards')
    await cards.update({
      actorUserId: 'chair',
      cardId: first.id,
      change: { locked: first.locked, ref: first.ref },
    })
    expect(accessChanges).toBe(0)
    expect(await trail()).toEqual([])
    await expect(
      cards.update({ actorUserId: 'chair', cardId: 'no-card', change: { ref: 'Y' } }),
    ).rejects.toMatchObject({ code: 'card_not_found' })
  })
})
