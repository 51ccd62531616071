/**
 * "Everyone suggests", the chair's rakor switch, as the REST routes and the command line set it:
 * one place that stores it for a deck or a card, tells the running server's access watcher (open
 * connections get a Permission message, and editors' updates are judged as suggestions from then
 * on), and writes the audit entry once.
 */
import type { AuditLog } from '../audit/AuditLog.ts'
import { suggestOnlyChangedEvent } from '../audit/auditEvents.ts'
import type { Cards, Decks } from '../store/types.ts'

export type SuggestOnlyOptions = {
  /** Called after a change, before its audit entry is awaited (see Members). */
  afterChange?: () => Promise<void>
}

/** What a call did: nothing to change, no such deck or card, or the switch changed. */
export type SwitchResult = 'changed' | 'unchanged' | 'not_found'

export class SuggestOnlySwitches {
  constructor(
    private readonly repository: Cards & Decks,
    private readonly audit: AuditLog,
    private readonly options: SuggestOnlyOptions = {},
  ) {}

  /** The switch of every card of a deck. `actorUserId` null: the command line. */
  async setDeck(input: {
    actorUserId: string | null
    deckId: string
    on: boolean
  }): Promise<SwitchResult> {
    const deck = await this.repository.getDeck(input.deckId)
    if (!deck) return 'not_found'
    if (deck.suggestOnly === input.on) return 'unchanged'
    await this.repository.setDeckSuggestOnly(input.deckId, input.on)
    return this.changed({ kind: 'deck', id: input.deckId }, input)
  }

  /** The switch of one card; the deck's switch, when on, covers the card as well. */
  async setCard(input: {
    actorUserId: string | null
    cardId: string
    on: boolean
  }): Promise<SwitchResult> {
    const card = await this.repository.getCard(input.cardId)
    if (!card) return 'not_found'
    if (card.suggestOnly === input.on) return 'unchanged'
    await this.repository.updateCard(input.cardId, { suggestOnly: input.on })
    return this.changed({ kind: 'card', id: input.cardId }, input)
  }

  private async changed(
    subject: { kind: 'deck' | 'card'; id: string },
    input: { actorUserId: string | null; on: boolean },
  ): Promise<SwitchResult> {
    // Open connections first: the rule must hold even if the entry below cannot be written.
    await this.options.afterChange?.()
    await this.audit.append(
      suggestOnlyChangedEvent({ actorUserId: input.actorUserId, subject, suggestOnly: input.on }),
    )
    return 'changed'
  }
}
