/**
 * Cards' metadata as the REST routes change it (and the command line may): one place that checks
 * a card's cluster and ministries against its deck, stores the card, tells the running server's
 * access watcher about a lock (open editors become read-only at once), and writes each audit
 * entry once. A card's answer is not here: it is edited over /collab/.
 */
import { randomUUID } from 'node:crypto'
import type { Card } from '@kartu/protocol'
import type { AuditLog } from '../audit/AuditLog.ts'
import { cardCreatedEvent, cardUpdatedEvent, lockChangedEvent } from '../audit/auditEvents.ts'
import type { CardPatch, Cards as CardRecords, Decks, NewCard } from '../store/types.ts'

/** Why a change was refused; the REST routes turn the code into their answer. */
export type CardErrorCode =
  | 'deck_not_found'
  | 'card_not_found'
  | 'unknown_cluster'
  | 'unknown_ministry'
  | 'final_needs_sign_off'

export class CardError extends Error {
  constructor(
    readonly code: CardErrorCode,
    message: string,
  ) {
    super(message)
  }
}

/** What a new card is given; its id and its place (the end of the deck) come from here. */
export type CardFields = Omit<NewCard, 'id' | 'deckId' | 'position' | 'extra'>

/** What a change of a card may touch ("everyone suggests" has its own service: suggestOnly.ts). */
export type CardChange = Omit<CardPatch, 'suggestOnly'>

export type CardsOptions = {
  /** Called after a lock changed, before its audit entry is awaited (see Members). */
  afterAccessChange?: () => Promise<void>
}

export class Cards {
  constructor(
    private readonly repository: CardRecords & Decks,
    private readonly audit: AuditLog,
    private readonly options: CardsOptions = {},
  ) {}

  /** Adds a card at the end of its deck. */
  async create(input: { actorUserId: string; deckId: string; fields: CardFields }): Promise<Card> {
    await this.checkReferences(input.deckId, input.fields)
    const position = (await this.repository.listCards(input.deckId)).length
    const id = randomUUID()
    await this.repository.createCard({
      ...input.fields,
      id,
      deckId: input.deckId,
      position,
      extra: {},
    })
    const card = await this.repository.getCard(id)
    if (!card) throw new CardError('card_not_found', 'Card not found.')
    await this.audit.append(
      cardCreatedEvent({
        userId: input.actorUserId,
        cardId: id,
        deckId: input.deckId,
        ref: card.ref,
      }),
    )
    return card
  }

  /**
   * Changes a card's metadata and lock. A lock is recorded as such (`lock.changed`); the other
   * fields that changed in one `card.updated` entry, none when nothing did.
   */
  async update(input: {
    actorUserId: string
    cardId: string
    change: CardChange
    /** Set by sign-off alone (signoff/signOff.ts), which judges the clearances first. */
    signedOff?: true
  }): Promise<Card> {
    const existing = await this.repository.getCard(input.cardId)
    if (!existing) throw new CardError('card_not_found', 'Card not found.')
    if (input.change.status === 'final' && existing.status !== 'final' && !input.signedOff) {
      throw new CardError(
        'final_needs_sign_off',
        'A card becomes final through sign-off (every assigned ministry’s clearance, or a reason).',
      )
    }
    await this.checkReferences(existing.deckId, input.change)
    const card = await this.repository.updateCard(input.cardId, input.change)
    if (!card) throw new CardError('card_not_found', 'Card not found.')
    const { locked, ...metadata } = input.change
    if (locked !== undefined && locked !== existing.locked) {
      // Open editors first: the lock must hold even if the entry below cannot be written.
      await this.options.afterAccessChange?.()
      await this.audit.append(
        lockChangedEvent({ userId: input.actorUserId, cardId: input.cardId, locked }),
      )
    }
    const updated = cardUpdatedEvent({
      userId: input.actorUserId,
      cardId: input.cardId,
      before: existing,
      after: metadata,
    })
    if (updated) await this.audit.append(updated)
    return card
  }

  /** Refuses clusters and ministries that the deck does not have. */
  private async checkReferences(
    deckId: string,
    fields: { cluster?: string; leadMinistry?: string; contributingMinistries?: string[] },
  ): Promise<void> {
    const deck = await this.repository.getDeck(deckId)
    if (!deck) throw new CardError('deck_not_found', 'Deck not found.')
    if (fields.cluster !== undefined && !deck.clusters.some((c) => c.id === fields.cluster)) {
      throw new CardError('unknown_cluster', `The deck has no cluster ${fields.cluster}.`)
    }
    const ministryIds = new Set(deck.ministries.map((m) => m.id))
    for (const id of [fields.leadMinistry, ...(fields.contributingMinistries ?? [])]) {
      if (id !== undefined && !ministryIds.has(id)) {
        throw new CardError('unknown_ministry', `The deck has no ministry ${id}.`)
      }
    }
  }
}
