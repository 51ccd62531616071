/**
 * Who may open which document, and with which role: a card belongs to a deck, and the deck's
 * membership gives the role. The websocket upgrade and the REST routes both ask here.
 */
import { DocumentKind, parseDocumentName, type Role } from '@kartu/protocol'
import type { Repository } from './store/types.ts'

export type DocumentAccess =
  | {
      ok: true
      deckId: string
      role: Role
      /** Cards only: the card's lock. */
      locked?: boolean
      /** Cards only: "everyone suggests", by the card's own switch or its deck's. */
      suggestOnly?: boolean
    }
  | { ok: false; status: 403 | 404; reason: string }

export async function documentAccess(
  repository: Repository,
  userId: string,
  documentName: string,
): Promise<DocumentAccess> {
  const parsed = parseDocumentName(documentName)
  if (!parsed) return { ok: false, status: 404, reason: 'unknown document name' }
  let deckId: string
  let locked: boolean | undefined
  let suggestOnly: boolean | undefined
  if (parsed.kind === DocumentKind.Card) {
    const card = await repository.getCard(parsed.id)
    if (!card) return { ok: false, status: 404, reason: 'no such card' }
    deckId = card.deckId
    locked = card.locked
    suggestOnly = await cardSuggestOnly(repository, card)
  } else {
    const deck = await repository.getDeck(parsed.id)
    if (!deck) return { ok: false, status: 404, reason: 'no such deck' }
    deckId = deck.id
  }
  const role = await repository.getRole(deckId, userId)
  if (!role) return { ok: false, status: 403, reason: 'not a member of this deck' }
  return { ok: true, deckId, role, locked, suggestOnly }
}

/** Whether "everyone suggests" is on for a card: its own switch, or its deck's. */
export async function cardSuggestOnly(
  repository: Repository,
  card: { deckId: string; suggestOnly: boolean },
): Promise<boolean> {
  if (card.suggestOnly) return true
  return (await repository.getDeck(card.deckId))?.suggestOnly === true
}
