/**
 * The storage interface. Callers (rooms, API routes, CLI) depend only on these types, so a
 * PostgreSQL adapter can stand beside the SQLite one without changing them. Every method is async
 * for that reason, even where SQLite answers synchronously.
 */

import type {
  Card,
  CardStatus,
  Cluster,
  Deck,
  FocalPersons,
  InboxKind,
  Member,
  Ministry,
  NotificationSettings,
  Role,
  SearchField,
  User,
  VersionKind,
} from '@kartu/protocol'
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
  /** The names of every stored document, sorted (for `pnpm kartu doctor`). */
  listDocumentNames(): Promise<string[]>
}

export type UserRecord = User & {
  passwordHash: string | null
  /** When the account was disabled (refused everywhere); null while it is active. */
  disabledAt: number | null
}

/** A new account: active from the start. */
export type NewUser = Omit<UserRecord, 'disabledAt'>

export type SessionRecord = {
  userId: string
  createdAt: number
  lastSeenAt: number
  expiresAt: number
}

export type NewToken = {
  id: string
  userId: string
  tokenHash: string
  label: string
  createdAt: number
  expiresAt: number
}

export type TokenRecord = {
  id: string
  userId: string
  label: string
  createdAt: number
  expiresAt: number
  revokedAt: number | null
}

/**
 * One entry of the hash-chained audit log, as stored. `details` is the JSON text exactly as it
 * was hashed (keys sorted when written): adapters store it as text, never as a JSON type that
 * would re-encode it (PostgreSQL's jsonb reorders keys).
 */
export type AuditRecord = {
  seq: number
  /** Milliseconds since the epoch. */
  at: number
  actorUserId: string | null
  action: string
  subject: string
  details: string
  prevHash: string
  hash: string
}

export type AuditHead = { seq: number; hash: string }

export type NewCard = Omit<
  Card,
  | 'wordCount'
  | 'openSuggestions'
  | 'openThreads'
  | 'mentionedMinistries'
  | 'locked'
  | 'suggestOnly'
  | 'updatedAt'
  | 'briefing'
  | 'dueDate'
  | 'clearances'
> & {
  /**
   * Fields of an imported card that Kartu keeps but does not edit yet (key data, sources, ...);
   * the card's briefing is read from them.
   */
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
    | 'suggestOnly'
    | 'dueDate'
  >
>

export type NewDeck = Omit<Deck, 'ministries' | 'createdAt' | 'suggestOnly'> & {
  ministryIds: string[]
}

/** The ministries a delegation's people belong to. */
export interface Ministries {
  upsertMinistry(ministry: Ministry): Promise<void>
  listMinistries(): Promise<Ministry[]>
}

/** People's accounts. */
export interface Users {
  createUser(user: NewUser): Promise<void>
  findUserByEmail(email: string): Promise<UserRecord | null>
  findUserById(id: string): Promise<UserRecord | null>
  /** Accounts whose email is one of `emails` (the demo accounts, for instance). */
  findUsersByEmail(emails: readonly string[]): Promise<UserRecord[]>
  setPassword(userId: string, passwordHash: string): Promise<void>
  /** Disables the account from `at`, or enables it again with null. */
  setUserDisabled(userId: string, at: number | null): Promise<void>
}

/** Signed-in browser sessions, by the hash of their secret. */
export interface Sessions {
  createSession(tokenHash: string, session: SessionRecord): Promise<void>
  findSession(tokenHash: string): Promise<SessionRecord | null>
  touchSession(tokenHash: string, lastSeenAt: number): Promise<void>
  deleteSession(tokenHash: string): Promise<void>
  /** Ends every session of a person but `keepTokenHash` (if given); returns how many ended. */
  deleteSessionsOf(userId: string, keepTokenHash?: string): Promise<number>
}

/** Personal access tokens, by the hash of their secret. */
export interface Tokens {
  createToken(token: NewToken): Promise<void>
  /** The token with this hash, revoked and expired ones included: the caller decides. */
  findToken(tokenHash: string): Promise<TokenRecord | null>
  listTokens(userId: string): Promise<TokenRecord[]>
  /** Marks the token revoked (a second call keeps the first time); null when there is none. */
  revokeToken(id: string, at: number): Promise<TokenRecord | null>
}

/** Decks of cards. */
export interface Decks {
  createDeck(deck: NewDeck): Promise<void>
  getDeck(deckId: string): Promise<Deck | null>
  listDecksOf(userId: string): Promise<Array<{ id: string; title: string; role: Role }>>
  /** Turns the deck's "everyone suggests" switch on or off; false when there is no such deck. */
  setDeckSuggestOnly(deckId: string, on: boolean): Promise<boolean>
}

/** Cards and their figures. */
export interface Cards {
  createCard(card: NewCard): Promise<void>
  getCard(cardId: string): Promise<Card | null>
  listCards(deckId: string): Promise<Card[]>
  updateCard(cardId: string, patch: CardPatch): Promise<Card | null>
  setCardStats(cardId: string, stats: CardStatsValues): Promise<void>
  /** The figures of several cards, written in one transaction (one commit for all). */
  setManyCardStats(
    entries: ReadonlyArray<{ cardId: string; stats: CardStatsValues }>,
  ): Promise<void>
}

/** Who is in which deck, with which role. */
export interface Memberships {
  getRole(deckId: string, userId: string): Promise<Role | null>
  setMember(deckId: string, userId: string, role: Role): Promise<void>
  removeMember(deckId: string, userId: string): Promise<boolean>
  listMembers(deckId: string): Promise<Member[]>
}

/** A stored version of a card's answer (see docs/decisions/0014-history.md). */
export type VersionRecord = {
  id: string
  cardId: string
  kind: VersionKind
  name: string | null
  createdAt: number
  /** Who made it; null for the versions the server makes by itself. */
  createdBy: string | null
  words: number
  /** The whole card document as it was, as one Yjs update. */
  state: Uint8Array
  /**
   * Its Yjs snapshot (state vector and delete set, `Y.encodeSnapshot`): a later version with an
   * equal one changed nothing. The state vector alone would miss a change that only deleted.
   */
  snapshot: Uint8Array
}

/** What a version list shows: everything but the document itself. */
export type VersionSummary = Omit<VersionRecord, 'state' | 'snapshot'>

/** A rakor session as the chair closed it (the audit log's `session.closed` entries). */
export type RakorSession = {
  /** The audit entry's sequence number: the session's id. */
  seq: number
  name: string
  /** When the chair closed it. */
  at: number
  closedBy: string | null
}

/** What the briefing book's minutes read about rakor sessions. */
export interface Rakor {
  /** The deck's closed sessions, oldest first. */
  listSessions(deckId: string): Promise<RakorSession[]>
  /**
   * People who edited a card of the deck, or last had one open, between `from` and `to` (ms,
   * both included).
   */
  usersActiveInDeck(deckId: string, from: number, to: number): Promise<string[]>
}

/** Versions of cards' answers. */
export interface Versions {
  addVersion(version: VersionRecord): Promise<void>
  /** The card's versions, newest first, without their documents. */
  listVersions(cardId: string): Promise<VersionSummary[]>
  /** Lets go of versions of the card (retention.ts). */
  deleteVersions(cardId: string, ids: readonly string[]): Promise<void>
  /** Bytes the card's versions take (their documents). */
  versionBytes(cardId: string): Promise<number>
  /** The card's versions that someone's last visit points to. */
  visitedVersionIds(cardId: string): Promise<Set<string>>
  /** When the deck's last rakor session was closed (its newest session version), or null. */
  lastSessionAt(deckId: string): Promise<number | null>
  /** The deck's cards someone edited after `after` (ms), in deck order. */
  cardsEditedSince(deckId: string, after: number): Promise<string[]>
  getVersion(cardId: string, versionId: string): Promise<VersionRecord | null>
}

/** Ranges of Yjs ids by client: `[clock, length]` pairs. */
export type IdRanges = Record<string, Array<[number, number]>>

/** How much an edit did, for the activity feed. */
export type EditCounts = {
  /** Characters of text inserted and deleted (a suggestion's included). */
  insertedChars: number
  deletedChars: number
  /** Suggestions made, and comments written (a new thread's first one included). */
  suggestions: number
  comments: number
}

/** What one person's updates to a card inserted and deleted, committed together. */
export type EditRecord = {
  cardId: string
  at: number
  userId: string
  inserted: IdRanges
  deleted: IdRanges
  counts: EditCounts
}

/** An edit to write: a new row (`seq` null), or the row `seq` rewritten with more ranges. */
export type EditWrite = { seq: number | null; edit: EditRecord }

/** Who changed what in cards, and when (history/editRecorder.ts). */
export interface Edits {
  /** Writes the edits in one commit; returns each one's row number, in order. */
  writeEdits(writes: readonly EditWrite[]): Promise<number[]>
  /** The card's edits from `fromAt` to `toAt` (both included), oldest first. */
  listEdits(cardId: string, fromAt: number, toAt: number): Promise<EditRecord[]>
}

/** One entry of the activity feed (history/activity.ts), as the store reads it. */
export type ActivityRow =
  | { source: 'edit'; cardId: string; at: number; userId: string; counts: EditCounts }
  | {
      source: 'audit'
      cardId: string
      at: number
      userId: string | null
      action: string
      details: Record<string, unknown>
    }
  | {
      source: 'version'
      cardId: string
      at: number
      userId: string | null
      kind: string
      name: string | null
    }

export type ActivityQuery = {
  deckId: string
  /** Only this card's. */
  cardId: string | null
  /** Only what people of this ministry did. */
  ministryId: string | null
  /** Only what happened after this time (ms). */
  after: number
  /** Audit actions to include. */
  actions: readonly string[]
  limit: number
}

/** The activity of a deck's cards, each source newest first. */
export interface Activity {
  listActivity(query: ActivityQuery): Promise<ActivityRow[]>
}

/** What a person last saw of a card: the version holding it as it was when they left. */
export type VisitRecord = { userId: string; cardId: string; at: number; versionId: string }

/** A card's changes by others since a person's last visit (edit rows: person-minutes). */
export type VisitSummary = { cardId: string; visitedAt: number; changes: number }

/** What each person last saw of each card. */
export interface Visits {
  /** Records several visits in one transaction (people leave a card together). */
  recordVisits(visits: readonly VisitRecord[]): Promise<void>
  getVisit(userId: string, cardId: string): Promise<VisitRecord | null>
  /** The person's visits of the deck's cards, each with the others' edits since. */
  visitsOfDeck(userId: string, deckId: string): Promise<VisitSummary[]>
  /** The newest version of the card: its id and snapshot, or null when it has none. */
  latestVersion(cardId: string): Promise<{ id: string; snapshot: Uint8Array } | null>
}

/** The append-only, hash-chained audit log. */
export interface AuditEntries {
  /**
   * Appends audit entries in one commit. `seal` receives the chain's head and returns the
   * complete entries, chained from it in order (seq and hashes included); the adapter runs it
   * inside the same exclusive transaction as the inserts, so two appends, even from two
   * processes, can never continue from the same head. `seal` must be synchronous and must not
   * call the repository.
   */
  appendAudit(seal: (head: AuditHead | null) => AuditRecord[]): Promise<AuditRecord[]>
  /** Entries with seq > afterSeq in ascending seq order, at most `limit` of them. */
  listAudit(afterSeq: number, limit: number): Promise<AuditRecord[]>
  /** The seq and hash of the last entry appended, kept apart from the entries themselves. */
  getAuditHead(): Promise<AuditHead | null>
}

/** A ministry's clearance of a card's text, as stored (see signoff/signOff.ts). */
export type ClearanceRecord = {
  cardId: string
  ministryId: string
  userId: string
  at: number
  /** The hash of the agreed text cleared (signoff/agreedText.ts). */
  textHash: string
  /** The version holding the text cleared. */
  versionId: string
}

/** Clearances and who answers for a ministry in a deck. */
export interface SignOffRecords {
  /** Gives the ministry's clearance of the card (replacing its earlier one). */
  putClearance(record: ClearanceRecord): Promise<void>
  /** Withdraws it; false when there was none. */
  deleteClearance(cardId: string, ministryId: string): Promise<boolean>
  listClearances(cardId: string): Promise<ClearanceRecord[]>
  /**
   * Records the cards' agreed-text hashes, in one transaction; returns the clearances that were
   * current before and are not now (their text changed).
   */
  setAnswerHashes(
    entries: ReadonlyArray<{ cardId: string; hash: string }>,
  ): Promise<ClearanceRecord[]>
  getAnswerHash(cardId: string): Promise<string | null>
  listFocalPersons(deckId: string): Promise<FocalPersons[]>
  setFocalPersons(deckId: string, ministryId: string, userIds: readonly string[]): Promise<void>
  /** Cards not final whose due date is on or before `lastDay` (YYYY-MM-DD), in every deck. */
  listCardsDueBy(lastDay: string): Promise<Card[]>
}

export type InboxDetails = Record<string, string | number | boolean | null>

/** An inbox item to add for one person. */
export type NewInboxItem = {
  id: string
  userId: string
  deckId: string
  cardId: string
  kind: InboxKind
  at: number
  actorUserId: string | null
  threadId: string | null
  suggestionId: string | null
  versionId: string | null
  details: InboxDetails
  /** Items of one person with the same key are one item (the first one added). */
  dedupeKey: string | null
}

export type InboxRecord = NewInboxItem & {
  cardRef: string
  readAt: number | null
  emailedAt: number | null
}

/** People's inbox items and notification settings. */
export interface InboxRecords {
  /** Adds the items in one transaction; returns those added (a repeated dedupe key is not). */
  addInboxItems(items: readonly NewInboxItem[]): Promise<NewInboxItem[]>
  /** The person's items, newest first. */
  listInbox(userId: string, query: { unreadOnly: boolean; limit: number }): Promise<InboxRecord[]>
  countUnread(userId: string): Promise<number>
  /** Marks the person's items read (all of them with 'all'); returns how many changed. */
  markRead(userId: string, ids: readonly string[] | 'all', at: number): Promise<number>
  /** Items neither read nor e-mailed, added at or before `before`, oldest first. */
  listUnmailed(before: number, limit: number): Promise<InboxRecord[]>
  markEmailed(ids: readonly string[], at: number): Promise<void>
  getNotificationSettings(userId: string): Promise<NotificationSettings | null>
  setNotificationSettings(userId: string, settings: NotificationSettings): Promise<void>
  /**
   * The token of the person's unsubscribe link (inbox/mailer.ts), storing `fresh` as it when they
   * have none yet.
   */
  unsubscribeTokenOf(userId: string, fresh: string): Promise<string>
  /** Whose unsubscribe token this is; null when it is nobody's. */
  findUnsubscribeToken(token: string): Promise<string | null>
}

export type SearchRow = { cardId: string; ref: string; field: SearchField; snippet: string }

/** The search index over cards' questions and answers. */
export interface SearchIndex {
  /** Writes the cards' answer texts, in one transaction. */
  setAnswerTexts(entries: ReadonlyArray<{ cardId: string; text: string }>): Promise<void>
  /** Cards whose answer has not been indexed yet. */
  cardsWithoutAnswerText(limit: number): Promise<string[]>
  /**
   * The deck's cards in which every one of `words` appears, as a word or the start of one, in
   * any of the question, its Indonesian text or the answer (case and diacritics aside); best
   * first, then in deck order. The words are plain words (letters and digits, see
   * search/deckSearch.ts), never query syntax: each engine builds its own query from them.
   */
  searchDeck(deckId: string, words: readonly string[], limit: number): Promise<SearchRow[]>
}

/**
 * Every kind of record: what the SQLite adapter (and later the PostgreSQL one) implements. A
 * caller asks for the kinds it uses (access.ts: Cards, Decks and Memberships), so that what it
 * reads is plain from its signature.
 */
export interface Repository
  extends Ministries,
    Users,
    Sessions,
    Tokens,
    Decks,
    Cards,
    Memberships,
    Versions,
    Edits,
    Visits,
    Activity,
    Rakor,
    AuditEntries {}

export type { CardStatus, Cluster }
