/**
 * Accounts, sessions, tokens, decks, cards, memberships, history and the audit log in PostgreSQL:
 * the SQLite repository's behaviour, result for result. Where SQLite's answer depends on what
 * PostgreSQL does otherwise, the SQL here says so:
 *
 * - Text is ordered byte by byte (COLLATE "C"), as SQLite's BINARY collation does, whatever the
 *   database's own collation would say about case and accents.
 * - Rows SQLite returns in an order no ORDER BY names (the order its plan reads them in) are
 *   given that order explicitly; where it is SQLite's hidden rowid, by the nearest column there is.
 */

import type { Card, Deck, Member, Ministry, Role } from '@kartu/protocol'
import type { CardStatsValues } from '@kartu/schema'
import type { QueryResultRow } from 'pg'
import {
  type AuditActivityRow,
  type AuditRow,
  auditActivity,
  type CardRow,
  type ClearanceRow,
  cardPatchColumns,
  type DeckRow,
  type EditRow,
  editActivity,
  type MinistryRow,
  type SessionClosedRow,
  type SessionRow,
  type TokenRow,
  toAudit,
  toCard,
  toCards,
  toDeck,
  toEditRecord,
  toMinistry,
  toRakorSession,
  toSession,
  toToken,
  toUser,
  toVersion,
  toVersionSummary,
  type UserRow,
  type VersionActivityRow,
  type VersionRow,
  type VersionRowWithState,
  versionActivity,
} from '../rows.ts'
import type {
  ActivityQuery,
  ActivityRow,
  AuditHead,
  AuditRecord,
  CardPatch,
  EditRecord,
  EditWrite,
  NewCard,
  NewDeck,
  NewToken,
  NewUser,
  RakorSession,
  Repository,
  SessionRecord,
  TokenRecord,
  UserRecord,
  VersionRecord,
  VersionSummary,
  VisitRecord,
  VisitSummary,
} from '../types.ts'
import { inTransaction, type PgClient, type PgPool, type Queryable } from './database.ts'

/**
 * An arbitrary, fixed key for pg_advisory_xact_lock: "appending to the audit log while it has
 * no head yet" (there is no head row to lock then).
 */
export const AUDIT_APPEND_LOCK = 0x4b415544

async function all<R extends QueryResultRow>(
  db: Queryable,
  sql: string,
  params: readonly unknown[] = [],
): Promise<R[]> {
  return (await db.query<R>(sql, [...params])).rows
}

async function one<R extends QueryResultRow>(
  db: Queryable,
  sql: string,
  params: readonly unknown[] = [],
): Promise<R | null> {
  return (await all<R>(db, sql, params))[0] ?? null
}

/** Runs a statement; how many rows it changed. */
async function run(db: Queryable, sql: string, params: readonly unknown[] = []): Promise<number> {
  return (await db.query(sql, [...params])).rowCount ?? 0
}

/** A statement's parameters, collected as it is written: `bind` answers the placeholder. */
function parameters(): { values: unknown[]; bind(value: unknown): string } {
  const values: unknown[] = []
  return { values, bind: (value) => `$${values.push(value)}` }
}

/** SQLite reads a negative LIMIT as no limit; PostgreSQL refuses one, and reads NULL so. */
function limitOf(limit: number): number | null {
  return limit < 0 ? null : limit
}

/**
 * A clearance is current while it cleared the text whose hash the card has now: 1 or 0, or null
 * while the card has none, as SQLite's comparison gives it.
 */
const CLEARANCE_COLUMNS = `l.card_id, l.ministry_id, l.user_id, u.name, l.at, l.version_id,
  (l.text_hash = c.answer_hash)::integer AS current`

/**
 * SQLite reads a card's clearances through their key (card, ministry) before it sorts them by
 * time: at the same time, by ministry.
 */
const CLEARANCE_ORDER = 'l.at, l.ministry_id COLLATE "C"'

/**
 * Cards in deck order. Where SQLite meets two of the same position and ref it keeps the order
 * they were added in (its rowid), which PostgreSQL does not have: the id decides instead.
 */
const CARD_ORDER = 'c.position, c.ref COLLATE "C", c.id COLLATE "C"'

/**
 * The order the activity feed's SQLite queries read a deck's cards in (cards_by_deck: position,
 * then rowid, for which the id stands in), which is how they break ties in time.
 */
const DECK_READ_ORDER = 'c.position, c.id COLLATE "C"'

const AUDIT_HEAD = 'SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE'

export class PgRepository implements Repository {
  constructor(private readonly pool: PgPool) {}

  async upsertMinistry(m: Ministry): Promise<void> {
    await run(
      this.pool,
      `INSERT INTO ministries (id, short, name_id, name_en, aliases, color)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET short = excluded.short, name_id = excluded.name_id,
         name_en = excluded.name_en, aliases = excluded.aliases, color = excluded.color`,
      [m.id, m.short, m.nameId, m.nameEn, JSON.stringify(m.aliases), m.color],
    )
  }

  async listMinistries(): Promise<Ministry[]> {
    const rows = await all<MinistryRow>(
      this.pool,
      'SELECT * FROM ministries ORDER BY id COLLATE "C"',
    )
    return rows.map(toMinistry)
  }

  async createUser(user: NewUser): Promise<void> {
    await run(
      this.pool,
      `INSERT INTO users (id, email, name, ministry_id, password_hash, created_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [user.id, user.email, user.name, user.ministryId, user.passwordHash, Date.now()],
    )
  }

  async findUserByEmail(email: string): Promise<UserRecord | null> {
    const row = await one<UserRow>(this.pool, 'SELECT * FROM users WHERE email = $1', [email])
    return row ? toUser(row) : null
  }

  async findUserById(id: string): Promise<UserRecord | null> {
    const row = await one<UserRow>(this.pool, 'SELECT * FROM users WHERE id = $1', [id])
    return row ? toUser(row) : null
  }

  async findUsersByEmail(emails: readonly string[]): Promise<UserRecord[]> {
    if (emails.length === 0) return []
    // SQLite walks the IN list through the email index: the accounts come in email order.
    const rows = await all<UserRow>(
      this.pool,
      'SELECT * FROM users WHERE email = ANY($1::text[]) ORDER BY email COLLATE "C"',
      [emails],
    )
    return rows.map(toUser)
  }

  async setPassword(userId: string, passwordHash: string): Promise<void> {
    await run(this.pool, 'UPDATE users SET password_hash = $1 WHERE id = $2', [
      passwordHash,
      userId,
    ])
  }

  async setUserDisabled(userId: string, at: number | null): Promise<void> {
    await run(this.pool, 'UPDATE users SET disabled_at = $1 WHERE id = $2', [at, userId])
  }

  async createSession(tokenHash: string, s: SessionRecord): Promise<void> {
    await run(
      this.pool,
      `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at)
       VALUES ($1, $2, $3, $4, $5)`,
      [tokenHash, s.userId, s.createdAt, s.lastSeenAt, s.expiresAt],
    )
  }

  async findSession(tokenHash: string): Promise<SessionRecord | null> {
    const row = await one<SessionRow>(
      this.pool,
      'SELECT user_id, created_at, last_seen_at, expires_at FROM sessions WHERE token_hash = $1',
      [tokenHash],
    )
    return row ? toSession(row) : null
  }

  async touchSession(tokenHash: string, lastSeenAt: number): Promise<void> {
    await run(this.pool, 'UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2', [
      lastSeenAt,
      tokenHash,
    ])
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await run(this.pool, 'DELETE FROM sessions WHERE token_hash = $1', [tokenHash])
  }

  async deleteSessionsOf(userId: string, keepTokenHash?: string): Promise<number> {
    return run(
      this.pool,
      'DELETE FROM sessions WHERE user_id = $1 AND token_hash IS DISTINCT FROM $2',
      [userId, keepTokenHash ?? null],
    )
  }

  async createToken(t: NewToken): Promise<void> {
    await run(
      this.pool,
      `INSERT INTO tokens (id, user_id, token_hash, label, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [t.id, t.userId, t.tokenHash, t.label, t.createdAt, t.expiresAt],
    )
  }

  async findToken(tokenHash: string): Promise<TokenRecord | null> {
    const row = await one<TokenRow>(
      this.pool,
      `SELECT id, user_id, label, created_at, expires_at, revoked_at FROM tokens
       WHERE token_hash = $1`,
      [tokenHash],
    )
    return row ? toToken(row) : null
  }

  async listTokens(userId: string): Promise<TokenRecord[]> {
    const rows = await all<TokenRow>(
      this.pool,
      `SELECT id, user_id, label, created_at, expires_at, revoked_at FROM tokens
       WHERE user_id = $1 ORDER BY created_at, id COLLATE "C"`,
      [userId],
    )
    return rows.map(toToken)
  }

  async revokeToken(id: string, at: number): Promise<TokenRecord | null> {
    await run(this.pool, 'UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [
      at,
      id,
    ])
    const row = await one<TokenRow>(
      this.pool,
      'SELECT id, user_id, label, created_at, expires_at, revoked_at FROM tokens WHERE id = $1',
      [id],
    )
    return row ? toToken(row) : null
  }

  async createDeck(deck: NewDeck): Promise<void> {
    await run(
      this.pool,
      `INSERT INTO decks
         (id, title, title_en, committee, state_party, clusters, ministry_ids, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        deck.id,
        deck.title,
        deck.titleEn,
        deck.committee,
        deck.stateParty,
        JSON.stringify(deck.clusters),
        JSON.stringify(deck.ministryIds),
        Date.now(),
      ],
    )
  }

  async getDeck(deckId: string): Promise<Deck | null> {
    const row = await one<DeckRow>(this.pool, 'SELECT * FROM decks WHERE id = $1', [deckId])
    return row ? toDeck(row, await this.listMinistries()) : null
  }

  async setDeckSuggestOnly(deckId: string, on: boolean): Promise<boolean> {
    const changed = await run(this.pool, 'UPDATE decks SET suggest_only = $1 WHERE id = $2', [
      on ? 1 : 0,
      deckId,
    ])
    return changed > 0
  }

  async listDecksOf(userId: string): Promise<Array<{ id: string; title: string; role: Role }>> {
    // Decks made in the same millisecond: SQLite keeps the order the memberships were added in
    // (its rowid), which PostgreSQL does not have; the deck's id decides instead.
    return all<{ id: string; title: string; role: Role }>(
      this.pool,
      `SELECT d.id AS id, d.title AS title, m.role AS role FROM memberships m
       JOIN decks d ON d.id = m.deck_id WHERE m.user_id = $1
       ORDER BY d.created_at, d.id COLLATE "C"`,
      [userId],
    )
  }

  async createCard(card: NewCard): Promise<void> {
    await run(
      this.pool,
      `INSERT INTO cards (id, deck_id, ref, cluster, question_ref, question, question_id, articles,
         lead_ministry, contributing_ministries, status, time_budget_sec, word_count, position, extra,
         updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 0, $13, $14, $15)`,
      [
        card.id,
        card.deckId,
        card.ref,
        card.cluster,
        card.questionRef,
        card.question,
        card.questionId,
        JSON.stringify(card.articles),
        card.leadMinistry,
        JSON.stringify(card.contributingMinistries),
        card.status,
        card.timeBudgetSec,
        card.position,
        JSON.stringify(card.extra),
        Date.now(),
      ],
    )
  }

  async getCard(cardId: string): Promise<Card | null> {
    const row = await one<CardRow>(this.pool, 'SELECT * FROM cards WHERE id = $1', [cardId])
    if (!row) return null
    const clearances = await all<ClearanceRow>(
      this.pool,
      `SELECT ${CLEARANCE_COLUMNS} FROM card_clearances l JOIN cards c ON c.id = l.card_id
       LEFT JOIN users u ON u.id = l.user_id WHERE l.card_id = $1 ORDER BY ${CLEARANCE_ORDER}`,
      [cardId],
    )
    return toCard(row, clearances)
  }

  async listCards(deckId: string): Promise<Card[]> {
    const rows = await all<CardRow>(
      this.pool,
      `SELECT * FROM cards c WHERE deck_id = $1 ORDER BY ${CARD_ORDER}`,
      [deckId],
    )
    const clearances = await all<ClearanceRow>(
      this.pool,
      `SELECT ${CLEARANCE_COLUMNS} FROM card_clearances l JOIN cards c ON c.id = l.card_id
       LEFT JOIN users u ON u.id = l.user_id WHERE c.deck_id = $1 ORDER BY ${CLEARANCE_ORDER}`,
      [deckId],
    )
    return toCards(rows, clearances)
  }

  async updateCard(cardId: string, patch: CardPatch): Promise<Card | null> {
    const columns = cardPatchColumns(patch)
    if (columns.length > 0) {
      const { values, bind } = parameters()
      const sets = columns.map(({ column, value }) => `${column} = ${bind(value)}`)
      sets.push(`updated_at = ${bind(Date.now())}`)
      await run(this.pool, `UPDATE cards SET ${sets.join(', ')} WHERE id = ${bind(cardId)}`, values)
    }
    return this.getCard(cardId)
  }

  async setCardStats(cardId: string, stats: CardStatsValues): Promise<void> {
    await this.setManyCardStats([{ cardId, stats }])
  }

  async setManyCardStats(
    entries: ReadonlyArray<{ cardId: string; stats: CardStatsValues }>,
  ): Promise<void> {
    if (entries.length === 0) return
    // A card named twice ends with its last figures, as one statement per entry would leave it.
    const last = new Map<string, CardStatsValues>()
    for (const { cardId, stats } of entries) {
      last.delete(cardId)
      last.set(cardId, stats)
    }
    const ids = [...last.keys()]
    const stats = [...last.values()]
    // One statement, so one round trip and one commit for every card whose figures changed
    // (the stats recorder writes every second, on a busy node a hundred cards at once). The
    // rows are locked in id order by the subquery, before the UPDATE reaches them, as every
    // writer of several cards locks them, so that two such writers cannot deadlock.
    await run(
      this.pool,
      `UPDATE cards SET word_count = s.word_count, open_suggestions = s.open_suggestions,
         open_threads = s.open_threads, mentioned_ministries = s.mentioned_ministries
       FROM (SELECT c.id FROM cards c WHERE c.id = ANY($1::text[])
             ORDER BY c.id COLLATE "C" FOR UPDATE) AS locked
       JOIN unnest($1::text[], $2::integer[], $3::integer[], $4::integer[], $5::text[])
         AS s(id, word_count, open_suggestions, open_threads, mentioned_ministries)
         ON s.id = locked.id
       WHERE cards.id = locked.id`,
      [
        ids,
        stats.map((entry) => entry.wordCount),
        stats.map((entry) => entry.openSuggestions),
        stats.map((entry) => entry.openThreads),
        stats.map((entry) => JSON.stringify(entry.mentionedMinistries)),
      ],
    )
  }

  async getRole(deckId: string, userId: string): Promise<Role | null> {
    const row = await one<{ role: Role }>(
      this.pool,
      'SELECT role FROM memberships WHERE deck_id = $1 AND user_id = $2',
      [deckId, userId],
    )
    return row?.role ?? null
  }

  async setMember(deckId: string, userId: string, role: Role): Promise<void> {
    await run(
      this.pool,
      `INSERT INTO memberships (deck_id, user_id, role) VALUES ($1, $2, $3)
       ON CONFLICT (deck_id, user_id) DO UPDATE SET role = excluded.role`,
      [deckId, userId, role],
    )
  }

  async removeMember(deckId: string, userId: string): Promise<boolean> {
    const removed = await run(
      this.pool,
      'DELETE FROM memberships WHERE deck_id = $1 AND user_id = $2',
      [deckId, userId],
    )
    return removed > 0
  }

  async listMembers(deckId: string): Promise<Member[]> {
    // People of the same name: SQLite reads the memberships by their key, so by user id.
    return all<Member>(
      this.pool,
      `SELECT u.id AS "userId", u.email AS email, u.name AS name, u.ministry_id AS "ministryId",
         m.role AS role
       FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.deck_id = $1
       ORDER BY u.name COLLATE "C", m.user_id COLLATE "C"`,
      [deckId],
    )
  }

  async appendAudit(seal: (head: AuditHead | null) => AuditRecord[]): Promise<AuditRecord[]> {
    return inTransaction(this.pool, async (client) => {
      // The queueing below needs each statement to see what was committed before it (a waiter
      // must read the head its predecessor wrote), whatever default the database was given.
      await client.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED')
      const head = await lockAuditHead(client)
      const entries = seal(head)
      let previous = head
      for (const entry of entries) {
        if (entry.seq !== (previous?.seq ?? 0) + 1) {
          throw new Error(`audit entry ${entry.seq} does not follow the head ${previous?.seq ?? 0}`)
        }
        previous = { seq: entry.seq, hash: entry.hash }
      }
      if (previous && previous !== head) {
        // One statement for the whole batch: a flood of refused updates is appended in one go.
        await run(
          client,
          `INSERT INTO audit_log (seq, at, actor_user_id, action, subject, details, prev_hash, hash)
           SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[],
             $6::text[], $7::text[], $8::text[])`,
          [
            entries.map((e) => e.seq),
            entries.map((e) => e.at),
            entries.map((e) => e.actorUserId),
            entries.map((e) => e.action),
            entries.map((e) => e.subject),
            entries.map((e) => e.details),
            entries.map((e) => e.prevHash),
            entries.map((e) => e.hash),
          ],
        )
        await run(
          client,
          `INSERT INTO audit_head (id, seq, hash) VALUES (1, $1, $2)
           ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`,
          [previous.seq, previous.hash],
        )
      }
      return entries
    })
  }

  async listAudit(afterSeq: number, limit: number): Promise<AuditRecord[]> {
    const rows = await all<AuditRow>(
      this.pool,
      'SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2',
      [afterSeq, limitOf(limit)],
    )
    return rows.map(toAudit)
  }

  async getAuditHead(): Promise<AuditHead | null> {
    return one<AuditHead>(this.pool, 'SELECT seq, hash FROM audit_head WHERE id = 1')
  }

  async addVersion(v: VersionRecord): Promise<void> {
    await run(
      this.pool,
      `INSERT INTO card_versions
         (id, card_id, kind, name, created_at, created_by, words, state, state_vector)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        v.id,
        v.cardId,
        v.kind,
        v.name,
        v.createdAt,
        v.createdBy,
        v.words,
        Buffer.from(v.state),
        Buffer.from(v.snapshot),
      ],
    )
  }

  async listVersions(cardId: string): Promise<VersionSummary[]> {
    // seq stands in for SQLite's rowid: of two versions of one millisecond, the later first.
    const rows = await all<VersionRow>(
      this.pool,
      `SELECT id, card_id, kind, name, created_at, created_by, words FROM card_versions
       WHERE card_id = $1 ORDER BY created_at DESC, seq DESC`,
      [cardId],
    )
    return rows.map(toVersionSummary)
  }

  async deleteVersions(cardId: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return
    await run(this.pool, 'DELETE FROM card_versions WHERE card_id = $1 AND id = ANY($2::text[])', [
      cardId,
      ids,
    ])
  }

  async versionBytes(cardId: string): Promise<number> {
    const row = await one<{ bytes: number }>(
      this.pool,
      `SELECT COALESCE(SUM(octet_length(state)), 0) AS bytes FROM card_versions
       WHERE card_id = $1`,
      [cardId],
    )
    return row?.bytes ?? 0
  }

  async visitedVersionIds(cardId: string): Promise<Set<string>> {
    const rows = await all<{ version_id: string }>(
      this.pool,
      'SELECT DISTINCT version_id FROM card_visits WHERE card_id = $1',
      [cardId],
    )
    return new Set(rows.map((row) => row.version_id))
  }

  async lastSessionAt(deckId: string): Promise<number | null> {
    const row = await one<{ at: number | null }>(
      this.pool,
      `SELECT MAX(v.created_at) AS at FROM card_versions v JOIN cards c ON c.id = v.card_id
       WHERE c.deck_id = $1 AND v.kind = 'session'`,
      [deckId],
    )
    return row?.at ?? null
  }

  async cardsEditedSince(deckId: string, after: number): Promise<string[]> {
    const rows = await all<{ id: string }>(
      this.pool,
      `SELECT c.id FROM cards c WHERE c.deck_id = $1 AND EXISTS
         (SELECT 1 FROM card_edits e WHERE e.card_id = c.id AND e.at > $2)
       ORDER BY ${CARD_ORDER}`,
      [deckId, after],
    )
    return rows.map((row) => row.id)
  }

  async getVersion(cardId: string, versionId: string): Promise<VersionRecord | null> {
    const row = await one<VersionRowWithState>(
      this.pool,
      'SELECT * FROM card_versions WHERE card_id = $1 AND id = $2',
      [cardId, versionId],
    )
    return row ? toVersion(row) : null
  }

  async listSessions(deckId: string): Promise<RakorSession[]> {
    const rows = await all<SessionClosedRow>(
      this.pool,
      `SELECT seq, at, actor_user_id, details FROM audit_log
       WHERE subject = $1 AND action = 'session.closed' ORDER BY seq`,
      [`deck:${deckId}`],
    )
    return rows.map(toRakorSession)
  }

  async usersActiveInDeck(deckId: string, from: number, to: number): Promise<string[]> {
    const rows = await all<{ user_id: string }>(
      this.pool,
      `SELECT e.user_id FROM card_edits e JOIN cards c ON c.id = e.card_id
         WHERE c.deck_id = $1 AND e.at BETWEEN $2 AND $3
       UNION
       SELECT v.user_id FROM card_visits v JOIN cards c ON c.id = v.card_id
         WHERE c.deck_id = $1 AND v.at BETWEEN $2 AND $3`,
      [deckId, from, to],
    )
    return rows.map((row) => row.user_id).sort()
  }

  async writeEdits(writes: readonly EditWrite[]): Promise<number[]> {
    if (writes.length === 0) return []
    const column = <T>(pick: (write: EditWrite) => T): T[] => writes.map(pick)
    // One statement (one round trip, one commit), as SQLite's one transaction of a statement per
    // edit would leave the rows:
    // - a row named twice is rewritten with the last of its writes (`n` is the batch's order);
    // - a row to rewrite that is gone (its card deleted meanwhile) is written anew;
    // - new rows are inserted in the batch's order, so their seqs ascend in it.
    const { rows } = await this.pool.query<{ rewritten: boolean; seq: number }>(
      `WITH w AS (
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[],
           $6::text[], $7::integer[], $8::integer[], $9::integer[], $10::integer[])
           WITH ORDINALITY AS w(seq, card_id, at, user_id, inserted, deleted, inserted_chars,
             deleted_chars, suggestions, comments, n)),
       rewritten AS (
         UPDATE card_edits e SET inserted = w.inserted, deleted = w.deleted,
           inserted_chars = w.inserted_chars, deleted_chars = w.deleted_chars,
           suggestions = w.suggestions, comments = w.comments
         FROM w WHERE e.seq = w.seq
           AND w.n = (SELECT max(later.n) FROM w AS later WHERE later.seq = w.seq)
         RETURNING e.seq),
       added AS (
         INSERT INTO card_edits (card_id, at, user_id, inserted, deleted, inserted_chars,
           deleted_chars, suggestions, comments)
         SELECT card_id, at, user_id, inserted, deleted, inserted_chars, deleted_chars,
           suggestions, comments
         FROM w WHERE w.seq IS NULL OR w.seq NOT IN (SELECT seq FROM rewritten)
         ORDER BY w.n
         RETURNING seq)
       SELECT true AS rewritten, seq FROM rewritten
       UNION ALL SELECT false, seq FROM added`,
      [
        column((write) => write.seq),
        column((write) => write.edit.cardId),
        column((write) => write.edit.at),
        column((write) => write.edit.userId),
        column((write) => JSON.stringify(write.edit.inserted)),
        column((write) => JSON.stringify(write.edit.deleted)),
        column((write) => write.edit.counts.insertedChars),
        column((write) => write.edit.counts.deletedChars),
        column((write) => write.edit.counts.suggestions),
        column((write) => write.edit.counts.comments),
      ],
    )
    const rewritten = new Set(rows.filter((row) => row.rewritten).map((row) => row.seq))
    // The new rows' seqs were drawn in the batch's order: sorted, they line up with it.
    const added = rows
      .filter((row) => !row.rewritten)
      .map((row) => row.seq)
      .sort((a, b) => a - b)
    let next = 0
    const seqs = writes.map(({ seq }) => {
      if (seq !== null && rewritten.has(seq)) return seq
      const fresh = added[next++]
      if (fresh === undefined) throw new Error('an edit was written without a seq')
      return fresh
    })
    if (next !== added.length) throw new Error(`card_edits: ${added.length} rows for ${next} edits`)
    return seqs
  }

  async listEdits(cardId: string, fromAt: number, toAt: number): Promise<EditRecord[]> {
    const rows = await all<EditRow>(
      this.pool,
      'SELECT * FROM card_edits WHERE card_id = $1 AND at BETWEEN $2 AND $3 ORDER BY at, seq',
      [cardId, fromAt, toAt],
    )
    return rows.map(toEditRecord)
  }

  async listActivity(query: ActivityQuery): Promise<ActivityRow[]> {
    // Each source is read newest first and cut at the limit; the service merges them. Rows of the
    // same millisecond come in the order SQLite's plans give them, so that both engines cut a
    // tie at the limit alike: for a deck, card by card in deck order, each card's rows oldest
    // first; for one card, edits and versions newest first (SQLite walks their index backwards),
    // audit entries oldest first.
    const oneCard = query.cardId !== null
    const filter = (bind: (value: unknown) => string): string =>
      [
        oneCard ? `AND c.id = ${bind(query.cardId)}` : '',
        query.ministryId === null ? '' : `AND u.ministry_id = ${bind(query.ministryId)}`,
      ].join(' ')

    const editParams = parameters()
    const edits = await all<EditRow>(
      this.pool,
      `SELECT e.* FROM card_edits e JOIN cards c ON c.id = e.card_id
         LEFT JOIN users u ON u.id = e.user_id
       WHERE c.deck_id = ${editParams.bind(query.deckId)} AND e.at > ${editParams.bind(query.after)}
         ${filter(editParams.bind)}
       ORDER BY e.at DESC, ${oneCard ? 'e.seq DESC' : `${DECK_READ_ORDER}, e.seq`}
       LIMIT ${editParams.bind(limitOf(query.limit))}`,
      editParams.values,
    )

    const auditParams = parameters()
    const audit = await all<AuditActivityRow>(
      this.pool,
      `SELECT a.at, a.actor_user_id, a.action, a.subject, a.details FROM cards c
         JOIN audit_log a ON a.subject = 'card:' || c.id
         LEFT JOIN users u ON u.id = a.actor_user_id
       WHERE c.deck_id = ${auditParams.bind(query.deckId)} AND a.at > ${auditParams.bind(query.after)}
         AND a.action = ANY(${auditParams.bind(query.actions)}::text[])
         ${filter(auditParams.bind)}
       ORDER BY a.at DESC, ${DECK_READ_ORDER}, a.seq
       LIMIT ${auditParams.bind(limitOf(query.limit))}`,
      auditParams.values,
    )

    const versionParams = parameters()
    const versions = await all<VersionActivityRow>(
      this.pool,
      `SELECT v.card_id, v.created_at, v.created_by, v.kind, v.name FROM card_versions v
         JOIN cards c ON c.id = v.card_id LEFT JOIN users u ON u.id = v.created_by
       WHERE c.deck_id = ${versionParams.bind(query.deckId)}
         AND v.created_at > ${versionParams.bind(query.after)} AND v.kind = 'session'
         ${filter(versionParams.bind)}
       ORDER BY v.created_at DESC, ${oneCard ? 'v.seq DESC' : `${DECK_READ_ORDER}, v.seq`}
       LIMIT ${versionParams.bind(limitOf(query.limit))}`,
      versionParams.values,
    )

    return [
      ...edits.map(editActivity),
      ...audit.map(auditActivity),
      ...versions.map(versionActivity),
    ]
  }

  async recordVisits(visits: readonly VisitRecord[]): Promise<void> {
    if (visits.length === 0) return
    await inTransaction(this.pool, async (client) => {
      // One statement per visit: a person leaving a card twice in one batch keeps the later.
      for (const visit of visits) {
        await run(
          client,
          `INSERT INTO card_visits (user_id, card_id, at, version_id) VALUES ($1, $2, $3, $4)
           ON CONFLICT (user_id, card_id) DO UPDATE
             SET at = excluded.at, version_id = excluded.version_id
             WHERE excluded.at >= card_visits.at`,
          [visit.userId, visit.cardId, visit.at, visit.versionId],
        )
      }
    })
  }

  async getVisit(userId: string, cardId: string): Promise<VisitRecord | null> {
    const row = await one<{ at: number; version_id: string }>(
      this.pool,
      'SELECT at, version_id FROM card_visits WHERE user_id = $1 AND card_id = $2',
      [userId, cardId],
    )
    return row ? { userId, cardId, at: row.at, versionId: row.version_id } : null
  }

  async visitsOfDeck(userId: string, deckId: string): Promise<VisitSummary[]> {
    // SQLite reads the visits by their key (person, card): in card id order.
    const rows = await all<{ card_id: string; at: number; changes: number }>(
      this.pool,
      `SELECT v.card_id, v.at,
         (SELECT COUNT(*) FROM card_edits e
           WHERE e.card_id = v.card_id AND e.at > v.at AND e.user_id <> v.user_id) AS changes
       FROM card_visits v JOIN cards c ON c.id = v.card_id
       WHERE v.user_id = $1 AND c.deck_id = $2
       ORDER BY v.card_id COLLATE "C"`,
      [userId, deckId],
    )
    return rows.map((row) => ({ cardId: row.card_id, visitedAt: row.at, changes: row.changes }))
  }

  async latestVersion(cardId: string): Promise<{ id: string; snapshot: Uint8Array } | null> {
    const row = await one<{ id: string; state_vector: Buffer }>(
      this.pool,
      `SELECT id, state_vector FROM card_versions WHERE card_id = $1
       ORDER BY created_at DESC, seq DESC LIMIT 1`,
      [cardId],
    )
    return row ? { id: row.id, snapshot: new Uint8Array(row.state_vector) } : null
  }
}

/**
 * Reads the audit chain's head and holds it until the transaction ends, so that no other
 * append (from this node or another) continues from the same head. Before the first entry there
 * is no row to lock: appends then queue on an advisory lock, and the one that waited reads the
 * head its predecessor committed.
 */
async function lockAuditHead(client: PgClient): Promise<AuditHead | null> {
  const head = await one<AuditHead>(client, AUDIT_HEAD)
  if (head) return head
  await client.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_APPEND_LOCK])
  return one<AuditHead>(client, AUDIT_HEAD)
}
