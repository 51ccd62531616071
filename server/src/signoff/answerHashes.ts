/**
 * Cards' agreed-text hashes as the store keeps them, and what follows when one changes: the
 * clearances of the text before are no longer current, and the people who gave them hear of it
 * (once per clearance, however often the text changes after).
 */
import type * as Y from 'yjs'
import type { Inbox } from '../inbox/inbox.ts'
import type { Cards, SignOffRecords } from '../store/types.ts'
import { AgreedText } from './agreedText.ts'

export class AnswerHashes {
  private readonly agreed = new AgreedText()

  constructor(
    private readonly records: Pick<SignOffRecords, 'setAnswerHashes'>,
    private readonly cards: Pick<Cards, 'getCard'>,
    private readonly inbox: Inbox,
  ) {}

  /** The hash of a card document's agreed text. */
  hashOf(doc: Y.Doc): string {
    return this.agreed.hashOf(doc)
  }

  /** Records the cards' hashes; those whose clearance went stale get an inbox item. */
  async note(entries: ReadonlyArray<{ cardId: string; hash: string }>): Promise<void> {
    const stale = await this.records.setAnswerHashes(entries)
    for (const clearance of stale) {
      const card = await this.cards.getCard(clearance.cardId)
      if (!card) continue
      await this.inbox.deliver(
        {
          kind: 'clearance_stale',
          deckId: card.deckId,
          cardId: card.id,
          actorUserId: null,
          versionId: clearance.versionId,
          details: { ministry: clearance.ministryId, clearedAt: clearance.at },
          dedupeKey: `stale:${card.id}:${clearance.ministryId}:${clearance.at}`,
        },
        [clearance.userId],
      )
    }
  }
}
