/**
 * Who may do what with a deck or a card, answered in one place for the REST routes and the
 * websocket upgrade: a card belongs to a deck, and the deck's membership gives the role on the
 * deck and on each of its cards.
 *
 * Someone who is not a member gets the answer someone asking for a deck or card that does not
 * exist gets (404, "not found"): a refusal that said "forbidden" would tell them it exists.
 * A member whose role may not do something is told so (403): they know the deck already.
 */
import { type Card, DocumentKind, parseDocumentName, type Role } from '@kartu/protocol'
import type { Cards, Decks, Memberships } from './store/types.ts'

export type Resource = { kind: 'deck'; id: string } | { kind: 'card'; id: string }

export type Authorization =
  | {
      ok: true
      deckId: string
      role: Role /** The card, when a card was asked for. */
      card: Card | null
    }
  | { ok: false; status: 404; reason: 'not_found'; kind: Resource['kind'] }
  | { ok: false; status: 403; reason: 'role'; role: Role }

/**
 * The caller's role on `resource`, refused when they are not a member (or it does not exist),
 * or when `allowed` is given and their role is not in it.
 */
export async function authorize(
  repository: Cards & Decks & Memberships,
  userId: string,
  resource: Resource,
  allowed?: readonly Role[],
): Promise<Authorization> {
  const notFound = { ok: false, status: 404, reason: 'not_found', kind: resource.kind } as const
  let card: Card | null = null
  let deckId = resource.id
  if (resource.kind === 'card') {
    card = await repository.getCard(resource.id)
    if (!card) return notFound
    deckId = card.deckId
  }
  // A membership names an existing deck: it is the only thing to look up.
  const role = await repository.getRole(deckId, userId)
  if (!role) return notFound
  if (allowed && !allowed.includes(role)) return { ok: false, status: 403, reason: 'role', role }
  return { ok: true, deckId, role, card }
}

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
  | { ok: false; status: 404; reason: string }

/** Who may open a collaborative document (`card:<id>`, `deck:<id>`), and with which role. */
export async function documentAccess(
  repository: Cards & Decks & Memberships,
  userId: string,
  documentName: string,
): Promise<DocumentAccess> {
  const parsed = parseDocumentName(documentName)
  if (!parsed) return { ok: false, status: 404, reason: 'no such document' }
  const kind = parsed.kind === DocumentKind.Card ? 'card' : 'deck'
  const granted = await authorize(repository, userId, { kind, id: parsed.id })
  // One answer for "no such document" and "not yours": the same status and the same words.
  if (!granted.ok) return { ok: false, status: 404, reason: 'no such document' }
  if (!granted.card) return { ok: true, deckId: granted.deckId, role: granted.role }
  return {
    ok: true,
    deckId: granted.deckId,
    role: granted.role,
    locked: granted.card.locked,
    suggestOnly: await cardSuggestOnly(repository, granted.card),
  }
}

/** Whether "everyone suggests" is on for a card: its own switch, or its deck's. */
export async function cardSuggestOnly(
  repository: Decks,
  card: { deckId: string; suggestOnly: boolean },
): Promise<boolean> {
  if (card.suggestOnly) return true
  return (await repository.getDeck(card.deckId))?.suggestOnly === true
}
