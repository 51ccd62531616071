/**
 * Sign-off: who answers a card and by when (assignment), each ministry's clearance of the exact
 * text it read, and the chair's "final", allowed once every assigned ministry has cleared the
 * current text or with a recorded reason. One place for the REST routes and the command line,
 * each change audited once (the card's history shows the entries: history/activity.ts).
 *
 * A clearance keeps the hash of the agreed text it cleared (agreedText.ts) and a version holding
 * that text; it is current while the card's agreed text has that hash (clearanceWatcher.ts keeps
 * the card's hash up to date as the answer is stored). Final is judged against the text as
 * stored at that moment, not against the watcher's last look.
 */
import {
  assignedMinistries,
  type Card,
  type Clearance,
  cardDocumentName,
  type Deck,
  missingClearances,
} from '@kartu/protocol'
import type { AuditLog } from '../audit/AuditLog.ts'
import { cardAssignedEvent, cardFinalizedEvent, clearanceEvent } from '../audit/auditEvents.ts'
import { restoreDocument } from '../collab/restoreDocument.ts'
import type { Logger } from '../collab/types.ts'
import type { CardVersions } from '../history/cardVersions.ts'
import type { Inbox } from '../inbox/inbox.ts'
import type { Cards } from '../services/cards.ts'
import type {
  Cards as CardRecords,
  ClearanceRecord,
  Decks,
  DocumentStore,
  SignOffRecords,
  UserRecord,
} from '../store/types.ts'
import type { AnswerHashes } from './answerHashes.ts'

export type SignOffErrorCode =
  | 'card_not_found'
  | 'unknown_ministry'
  | 'not_assigned'
  | 'card_final'
  | 'clearance_missing'
  | 'not_your_ministry'

export class SignOffError extends Error {
  constructor(
    readonly code: SignOffErrorCode,
    message: string,
  ) {
    super(message)
  }
}

export type AssignmentChange = {
  leadMinistryId: string
  contributingMinistryIds: readonly string[]
  dueDate: string | null
}

export class SignOff {
  constructor(
    private readonly repository: CardRecords & Decks,
    private readonly records: SignOffRecords,
    private readonly documents: DocumentStore,
    private readonly versions: CardVersions,
    private readonly cards: Cards,
    private readonly audit: AuditLog,
    private readonly inbox: Inbox,
    private readonly hashes: AnswerHashes,
    private readonly logger: Logger,
  ) {}

  /**
   * Sets who answers the card and by when. The ministries newly assigned hear of it in their
   * inbox. Contributing ministries are kept in the order given, without the lead and repeats.
   */
  async assign(input: {
    /** Null for the command line. */
    actorUserId: string | null
    cardId: string
    change: AssignmentChange
  }): Promise<Card> {
    const { card, deck } = await this.cardAndDeck(input.cardId)
    const lead = input.change.leadMinistryId
    const contributing = [...new Set(input.change.contributingMinistryIds)].filter(
      (id) => id !== lead,
    )
    for (const id of [lead, ...contributing]) {
      if (!deck.ministries.some((ministry) => ministry.id === id)) {
        throw new SignOffError('unknown_ministry', `The deck has no ministry ${id}.`)
      }
    }
    const before = new Set(assignedMinistries(card))
    await this.repository.updateCard(card.id, {
      leadMinistry: lead,
      contributingMinistries: contributing,
      dueDate: input.change.dueDate,
    })
    await this.audit.append(
      cardAssignedEvent({
        userId: input.actorUserId,
        cardId: card.id,
        lead,
        contributing,
        dueDate: input.change.dueDate,
      }),
    )
    for (const ministryId of [lead, ...contributing]) {
      if (before.has(ministryId)) continue
      await this.inbox.deliver(
        {
          kind: 'assigned',
          deckId: card.deckId,
          cardId: card.id,
          actorUserId: input.actorUserId,
          details: {
            ministry: ministryId,
            role: ministryId === lead ? 'lead' : 'contributing',
            dueDate: input.change.dueDate,
          },
        },
        await this.inbox.peopleOfMinistry(card.deckId, ministryId),
      )
    }
    return this.card(card.id)
  }

  /**
   * Clears the card's text as stored now for the person's ministry: a version holds the text,
   * the clearance its hash. Clearing again replaces the ministry's earlier clearance.
   */
  async clear(input: {
    user: UserRecord
    cardId: string
  }): Promise<{ clearance: Clearance; card: Card }> {
    const { card, deck } = await this.cardAndDeck(input.cardId)
    const ministryId = input.user.ministryId
    if (card.status === 'final') {
      throw new SignOffError('card_final', 'The card is final; its text can no longer be cleared.')
    }
    if (!assignedMinistries(card).includes(ministryId)) {
      throw new SignOffError(
        'not_assigned',
        `${ministryId} is not assigned to this card; only its lead and contributing ministries clear it.`,
      )
    }
    const ministry = deck.ministries.find((candidate) => candidate.id === ministryId)
    const doc = await this.storedDocument(card.id)
    try {
      const textHash = this.hashes.hashOf(doc)
      const version = await this.versions.keep(doc, {
        cardId: card.id,
        kind: 'clearance',
        name: `Disetujui ${ministry?.short ?? ministryId}`,
        createdBy: input.user.id,
        onlyIfChanged: false,
      })
      if (!version) throw new SignOffError('card_not_found', 'Card not found.')
      // The card's hash first: a clearance is current against the text it cleared, even if the
      // watcher has not looked at this card since the server started.
      await this.hashes.note([{ cardId: card.id, hash: textHash }])
      const record: ClearanceRecord = {
        cardId: card.id,
        ministryId,
        userId: input.user.id,
        at: Date.now(),
        textHash,
        versionId: version.id,
      }
      await this.records.putClearance(record)
      await this.audit.append(
        clearanceEvent({
          userId: input.user.id,
          cardId: card.id,
          ministryId,
          outcome: 'given',
          textHash,
          versionId: version.id,
        }),
      )
      const updated = await this.card(card.id)
      const clearance = updated.clearances.find((entry) => entry.ministryId === ministryId)
      if (!clearance) throw new SignOffError('card_not_found', 'Card not found.')
      return { clearance, card: updated }
    } finally {
      doc.destroy()
    }
  }

  /** Withdraws a ministry's clearance (its own people, or the chair: the route decides). */
  async withdraw(input: {
    actorUserId: string
    cardId: string
    ministryId: string
  }): Promise<Card> {
    const { card } = await this.cardAndDeck(input.cardId)
    if (card.status === 'final') {
      throw new SignOffError('card_final', 'The card is final; set another status first.')
    }
    if (await this.records.deleteClearance(card.id, input.ministryId)) {
      await this.audit.append(
        clearanceEvent({
          userId: input.actorUserId,
          cardId: card.id,
          ministryId: input.ministryId,
          outcome: 'withdrawn',
          textHash: null,
          versionId: null,
        }),
      )
    }
    return this.card(card.id)
  }

  /**
   * Marks the card final and locks it: refused while an assigned ministry has no clearance of the
   * text as stored now, unless the chair gives a reason to override.
   */
  async finalize(input: {
    actorUserId: string
    cardId: string
    override: string | null
  }): Promise<Card> {
    const { card } = await this.cardAndDeck(input.cardId)
    const doc = await this.storedDocument(card.id)
    let hash: string
    try {
      hash = this.hashes.hashOf(doc)
    } finally {
      doc.destroy()
    }
    await this.hashes.note([{ cardId: card.id, hash }])
    const missing = missingClearances(await this.card(card.id))
    if (missing.length > 0 && input.override === null) {
      throw new SignOffError(
        'clearance_missing',
        `Not cleared for the current text by: ${missing.join(', ')}. Give a reason to finalise anyway.`,
      )
    }
    await this.cards.update({
      actorUserId: input.actorUserId,
      cardId: card.id,
      change: { status: 'final', locked: true },
      signedOff: true,
    })
    await this.audit.append(
      cardFinalizedEvent({
        userId: input.actorUserId,
        cardId: card.id,
        override: missing.length > 0 ? input.override : null,
        missing,
      }),
    )
    return this.card(card.id)
  }

  private async card(cardId: string): Promise<Card> {
    const card = await this.repository.getCard(cardId)
    if (!card) throw new SignOffError('card_not_found', 'Card not found.')
    return card
  }

  private async cardAndDeck(cardId: string): Promise<{ card: Card; deck: Deck }> {
    const card = await this.card(cardId)
    const deck = await this.repository.getDeck(card.deckId)
    if (!deck) throw new SignOffError('card_not_found', 'Card not found.')
    return { card, deck }
  }

  private async storedDocument(cardId: string) {
    const name = cardDocumentName(cardId)
    return restoreDocument(name, await this.documents.loadDocument(name), this.logger)
  }
}
