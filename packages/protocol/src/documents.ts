/**
 * Names of the Yjs documents and the shape of presence (awareness) states.
 *
 * `card:<cardId>` holds one card's answer; `deck:<deckId>` holds what all cards of a deck share live.
 */
export const DocumentKind = {
  Card: 'card',
  Deck: 'deck',
} as const
export type DocumentKind = (typeof DocumentKind)[keyof typeof DocumentKind]

export type DocumentName = { kind: DocumentKind; id: string }

const documentNamePattern = /^(card|deck):([A-Za-z0-9_-]{1,64})$/

export function parseDocumentName(name: string): DocumentName | null {
  const match = documentNamePattern.exec(name)
  if (!match) return null
  const kind = match[1] === 'card' ? DocumentKind.Card : DocumentKind.Deck
  return { kind, id: match[2] as string }
}

export function cardDocumentName(cardId: string): string {
  return `card:${cardId}`
}

export function deckDocumentName(deckId: string): string {
  return `deck:${deckId}`
}

/**
 * The identity part of an awareness state. The server overwrites it from the session, so a client
 * cannot claim to be someone else. `name` and `color` are the fields Tiptap's caret reads.
 */
export type PresenceUser = {
  id: string
  name: string
  ministryId: string
  ministry: string
  color: string
}

/** Awareness state in a deck document: who is on which card. */
export type DeckPresence = {
  user: PresenceUser
  cardId: string | null
}
