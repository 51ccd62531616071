/**
 * The storage interface. Callers (rooms, API routes, CLI) depend only on these types, so a
 * PostgreSQL adapter can stand beside the SQLite one without changing them. Every method is async
 * for that reason, even where SQLite answers synchronously.
 */

import type { Card, CardStatus, Cluster, Deck, Member, Ministry, Role, User } from '@kartu/protocol'
import type { CardStatsValues } from '@kartu/schema'

/** A document as stored: the latest snapshot, then the log of updates written after it. */
export type StoredDocument = {
  snapshot: Uint8Array | null
  updates: Uint8Array[]
  /** Sequence number of the last log entry (0 when the log is empty). */
  lastSeq: number
}

export interface DocumentStore {
  /** Reads the snapshot and the log after it. Throws if the store cannot be read. */
  loadDocument(name: string): Promise<StoredDocument>
  /**
   * Appends updates to a document's log. Resolves once they are durably committed, and returns
   * the sequence number of the last one. Calls made close together share one commit.
   */
  appendUpdates(name: string, updates: readonly Uint8Array[]): Promise<number>
  /** Stores `snapshot` as the document's state and drops log entries with seq <= throughSeq. */
  compact(name: string, snapshot: Uint8Array, throughSeq: number): Promise<void>
}

export type UserRecord = User & { passwordHash: string | null }

export type SessionRecord = {
  userId: string
  createdAt: number
  lastSeenAt: number
  expiresAt: number
}

export type NewCard = Omit<
  Card,
  'wordCount' | 'openSuggestions' | 'openThreads' | 'mentionedMinistries' | 'locked' | 'updatedAt'
> & {
  /** Fields of an imported card that Kartu keeps but does not edit yet (key data, sources, ...). */
  extra: Record<string, unknown>
}

export type CardPatch = Partial<
  Pick<
    Card,
    | 'ref'
    | 'cluster'
    | 'questionRef'
    | 'question'
    | 'questionId'
    | 'articles'
    | 'leadMinistry'
    | 'contributingMinistries'
    | 'status'
    | 'timeBudgetSec'
    | 'position'
    | 'locked'
  >
>

export type NewDeck = Omit<Deck, 'ministries' | 'createdAt'> & { ministryIds: string[] }

export interface Repository {
  upsertMinistry(ministry: Ministry): Promise<void>
  listMinistries(): Promise<Ministry[]>

  createUser(user: UserRecord): Promise<void>
  findUserByEmail(email: string): Promise<UserRecord | null>
  findUserById(id: string): Promise<UserRecord | null>
  setPassword(userId: string, passwordHash: string): Promise<void>

  createSession(tokenHash: string, session: SessionRecord): Promise<void>
  findSession(tokenHash: string): Promise<SessionRecord | null>
  touchSession(tokenHash: string, lastSeenAt: number): Promise<void>
  deleteSession(tokenHash: string): Promise<void>

  createToken(token: {
    id: string
    userId: string
    tokenHash: string
    label: string
  }): Promise<void>
  findToken(tokenHash: string): Promise<{ id: string; userId: string } | null>
  revokeToken(id: string): Promise<void>

  createDeck(deck: NewDeck): Promise<void>
  getDeck(deckId: string): Promise<Deck | null>
  listDecksOf(userId: string): Promise<Array<{ id: string; title: string; role: Role }>>

  createCard(card: NewCard): Promise<void>
  getCard(cardId: string): Promise<Card | null>
  listCards(deckId: string): Promise<Card[]>
  updateCard(cardId: string, patch: CardPatch): Promise<Card | null>
  setCardStats(cardId: string, stats: CardStatsValues): Promise<void>

  getRole(deckId: string, userId: string): Promise<Role | null>
  setMember(deckId: string, userId: string, role: Role): Promise<void>
  removeMember(deckId: string, userId: string): Promise<boolean>
  listMembers(deckId: string): Promise<Member[]>
}

export type { CardStatus, Cluster }
