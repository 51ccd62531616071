/**
 * The rows the SQL stores read, and how they become Kartu's records. Both engines keep the same
 * tables and columns (lists and objects as JSON text, booleans as 0/1, times in milliseconds), so
 * SqliteRepository and PgRepository share these; each keeps its own SQL.
 */

import {
  type Card,
  type CardStatus,
  type Clearance,
  type Cluster,
  type Deck,
  type Ministry,
  versionKindSchema,
} from '@kartu/protocol'
import { briefingOfStored } from '../cardBriefing.ts'
import type {
  ActivityRow,
  AuditRecord,
  CardPatch,
  ClearanceRecord,
  EditCounts,
  EditRecord,
  IdRanges,
  InboxDetails,
  InboxRecord,
  NewInboxItem,
  RakorSession,
  SessionRecord,
  TokenRecord,
  UserRecord,
  VersionRecord,
  VersionSummary,
} from './types.ts'

export type MinistryRow = {
  id: string
  short: string
  name_id: string
  name_en: string
  aliases: string
  color: string
}
export type UserRow = {
  id: string
  email: string
  name: string
  ministry_id: string
  password_hash: string | null
  disabled_at: number | null
}
export type SessionRow = {
  user_id: string
  created_at: number
  last_seen_at: number
  expires_at: number
}
export type DeckRow = {
  id: string
  title: string
  title_en: string
  committee: string
  state_party: string
  clusters: string
  ministry_ids: string
  created_at: number
  suggest_only: number
}
export type CardRow = {
  id: string
  deck_id: string
  ref: string
  cluster: string
  question_ref: string
  question: string
  question_id: string
  articles: string
  lead_ministry: string
  contributing_ministries: string
  status: string
  time_budget_sec: number
  word_count: number
  open_suggestions: number
  open_threads: number
  mentioned_ministries: string
  locked: number
  suggest_only: number
  position: number
  extra: string
  updated_at: number
  due_date: string | null
  answer_hash: string | null
}

/**
 * A clearance as the cards' reads join it: with the person's name and whether it is current
 * (1 or 0; null while the card has no agreed-text hash, which counts as not current).
 */
export type ClearanceRow = {
  card_id: string
  ministry_id: string
  user_id: string
  name: string | null
  at: number
  version_id: string
  current: number | null
}

export type TokenRow = {
  id: string
  user_id: string
  label: string
  created_at: number
  expires_at: number
  revoked_at: number | null
}
export type AuditRow = {
  seq: number
  at: number
  actor_user_id: string | null
  action: string
  subject: string
  details: string
  prev_hash: string
  hash: string
}
export type EditRow = {
  card_id: string
  at: number
  user_id: string
  inserted: string
  deleted: string
  inserted_chars: number
  deleted_chars: number
  suggestions: number
  comments: number
}
export type VersionRow = {
  id: string
  card_id: string
  kind: string
  name: string | null
  created_at: number
  created_by: string | null
  words: number
}
/** The bytes come back as Buffers from both drivers. */
export type VersionRowWithState = VersionRow & { state: Buffer; state_vector: Buffer }

/** An audit entry as the activity feed reads it. */
export type AuditActivityRow = Pick<
  AuditRow,
  'at' | 'actor_user_id' | 'action' | 'subject' | 'details'
>
/** A version as the activity feed reads it. */
export type VersionActivityRow = Pick<
  VersionRow,
  'card_id' | 'created_at' | 'created_by' | 'kind' | 'name'
>
export type SessionClosedRow = Pick<AuditRow, 'seq' | 'at' | 'actor_user_id' | 'details'>

export function parseJson<T>(text: string): T {
  return JSON.parse(text) as T
}

export function countsOf(row: EditRow): EditCounts {
  return {
    insertedChars: row.inserted_chars,
    deletedChars: row.deleted_chars,
    suggestions: row.suggestions,
    comments: row.comments,
  }
}

export function toVersionSummary(row: VersionRow): VersionSummary {
  return {
    id: row.id,
    cardId: row.card_id,
    // Written by the adapters only; a kind they do not know is a damaged row, said so.
    kind: versionKindSchema.parse(row.kind),
    name: row.name,
    createdAt: row.created_at,
    createdBy: row.created_by,
    words: row.words,
  }
}

export function toVersion(row: VersionRowWithState): VersionRecord {
  return {
    ...toVersionSummary(row),
    state: new Uint8Array(row.state),
    snapshot: new Uint8Array(row.state_vector),
  }
}

export function toSession(row: SessionRow): SessionRecord {
  return {
    userId: row.user_id,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
  }
}

export function toToken(row: TokenRow): TokenRecord {
  return {
    id: row.id,
    userId: row.user_id,
    label: row.label,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  }
}

export function toAudit(row: AuditRow): AuditRecord {
  return {
    seq: row.seq,
    at: row.at,
    actorUserId: row.actor_user_id,
    action: row.action,
    subject: row.subject,
    details: row.details,
    prevHash: row.prev_hash,
    hash: row.hash,
  }
}

export function toMinistry(row: MinistryRow): Ministry {
  return {
    id: row.id,
    short: row.short,
    nameId: row.name_id,
    nameEn: row.name_en,
    aliases: parseJson<string[]>(row.aliases),
    color: row.color,
  }
}

export function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    ministryId: row.ministry_id,
    passwordHash: row.password_hash,
    disabledAt: row.disabled_at,
  }
}

/** The deck, with those of `ministries` it names, in its own order. */
export function toDeck(row: DeckRow, ministries: readonly Ministry[]): Deck {
  const byId = new Map(ministries.map((m) => [m.id, m]))
  return {
    id: row.id,
    title: row.title,
    titleEn: row.title_en,
    committee: row.committee,
    stateParty: row.state_party,
    clusters: parseJson<Cluster[]>(row.clusters),
    ministries: parseJson<string[]>(row.ministry_ids).flatMap((id) => byId.get(id) ?? []),
    createdAt: new Date(row.created_at).toISOString(),
    suggestOnly: row.suggest_only === 1,
  }
}

function toClearance(row: ClearanceRow): Clearance {
  return {
    ministryId: row.ministry_id,
    userId: row.user_id,
    name: row.name ?? '',
    at: row.at,
    current: row.current === 1,
    versionId: row.version_id,
  }
}

export function toCard(row: CardRow, clearances: readonly ClearanceRow[] = []): Card {
  return {
    id: row.id,
    deckId: row.deck_id,
    ref: row.ref,
    cluster: row.cluster,
    questionRef: row.question_ref,
    question: row.question,
    questionId: row.question_id,
    articles: parseJson<string[]>(row.articles),
    leadMinistry: row.lead_ministry,
    contributingMinistries: parseJson<string[]>(row.contributing_ministries),
    status: row.status as CardStatus,
    timeBudgetSec: row.time_budget_sec,
    wordCount: row.word_count,
    openSuggestions: row.open_suggestions,
    openThreads: row.open_threads,
    mentionedMinistries: parseJson<string[]>(row.mentioned_ministries),
    locked: row.locked === 1,
    suggestOnly: row.suggest_only === 1,
    position: row.position,
    updatedAt: new Date(row.updated_at).toISOString(),
    briefing: briefingOfStored(row.extra),
    dueDate: row.due_date,
    clearances: clearances.map(toClearance),
  }
}

/** The cards with their clearances (rows of any cards, in the order each card lists them). */
export function toCards(rows: readonly CardRow[], clearances: readonly ClearanceRow[]): Card[] {
  const byCard = new Map<string, ClearanceRow[]>()
  for (const clearance of clearances) {
    const list = byCard.get(clearance.card_id) ?? []
    list.push(clearance)
    byCard.set(clearance.card_id, list)
  }
  return rows.map((row) => toCard(row, byCard.get(row.id)))
}

export const cardColumns: Record<keyof CardPatch, string> = {
  ref: 'ref',
  cluster: 'cluster',
  questionRef: 'question_ref',
  question: 'question',
  questionId: 'question_id',
  articles: 'articles',
  leadMinistry: 'lead_ministry',
  contributingMinistries: 'contributing_ministries',
  status: 'status',
  timeBudgetSec: 'time_budget_sec',
  position: 'position',
  locked: 'locked',
  suggestOnly: 'suggest_only',
  dueDate: 'due_date',
}

/** The patch's fields that are set, as columns and the values stored in them. */
export function cardPatchColumns(
  patch: CardPatch,
): Array<{ column: string; value: string | number | null }> {
  const columns: Array<{ column: string; value: string | number | null }> = []
  for (const [key, value] of Object.entries(patch) as Array<[keyof CardPatch, unknown]>) {
    if (value === undefined) continue
    columns.push({
      column: cardColumns[key],
      value: Array.isArray(value)
        ? JSON.stringify(value)
        : typeof value === 'boolean'
          ? Number(value)
          : (value as string | number | null),
    })
  }
  return columns
}

export function toEditRecord(row: EditRow): EditRecord {
  return {
    cardId: row.card_id,
    at: row.at,
    userId: row.user_id,
    inserted: parseJson<IdRanges>(row.inserted),
    deleted: parseJson<IdRanges>(row.deleted),
    counts: countsOf(row),
  }
}

export function editActivity(row: EditRow): ActivityRow {
  return {
    source: 'edit',
    cardId: row.card_id,
    at: row.at,
    userId: row.user_id,
    counts: countsOf(row),
  }
}

export function auditActivity(row: AuditActivityRow): ActivityRow {
  return {
    source: 'audit',
    cardId: row.subject.slice('card:'.length),
    at: row.at,
    userId: row.actor_user_id,
    action: row.action,
    details: parseJson<Record<string, unknown>>(row.details),
  }
}

export function versionActivity(row: VersionActivityRow): ActivityRow {
  return {
    source: 'version',
    cardId: row.card_id,
    at: row.created_at,
    userId: row.created_by,
    kind: row.kind,
    name: row.name,
  }
}

export function toRakorSession(row: SessionClosedRow): RakorSession {
  const details = parseJson<{ name?: unknown }>(row.details)
  return {
    seq: row.seq,
    at: row.at,
    closedBy: row.actor_user_id,
    name: typeof details.name === 'string' ? details.name : '',
  }
}

/** A row of inbox_items, with its card's ref. */
export type InboxRow = {
  id: string
  user_id: string
  deck_id: string
  card_id: string
  card_ref: string | null
  kind: NewInboxItem['kind']
  at: number
  actor_user_id: string | null
  thread_id: string | null
  suggestion_id: string | null
  version_id: string | null
  details: string
  dedupe_key: string | null
  read_at: number | null
  emailed_at: number | null
}

export function toInboxRecord(row: InboxRow): InboxRecord {
  return {
    id: row.id,
    userId: row.user_id,
    deckId: row.deck_id,
    cardId: row.card_id,
    cardRef: row.card_ref ?? '',
    kind: row.kind,
    at: row.at,
    actorUserId: row.actor_user_id,
    threadId: row.thread_id,
    suggestionId: row.suggestion_id,
    versionId: row.version_id,
    details: JSON.parse(row.details) as InboxDetails,
    dedupeKey: row.dedupe_key,
    readAt: row.read_at,
    emailedAt: row.emailed_at,
  }
}

/** Inbox items with their card's ref (the SQL is the same on both engines). */
export const SELECT_INBOX_ITEMS = `SELECT i.*, c.ref AS card_ref FROM inbox_items i LEFT JOIN cards c ON c.id = i.card_id`

/** A row of card_clearances. */
export type ClearanceRecordRow = {
  card_id: string
  ministry_id: string
  user_id: string
  at: number
  text_hash: string
  version_id: string
}

export const toClearanceRecord = (row: ClearanceRecordRow): ClearanceRecord => ({
  cardId: row.card_id,
  ministryId: row.ministry_id,
  userId: row.user_id,
  at: row.at,
  textHash: row.text_hash,
  versionId: row.version_id,
})
