/**
 * Accounts, sessions, tokens, decks, cards and memberships in SQLite.
 */

import type { Card, Deck, Member, Ministry, Role } from '@kartu/protocol'
import type { CardStatsValues } from '@kartu/schema'
import type Database from 'better-sqlite3'
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
import type { SqliteDatabase } from './openDatabase.ts'

type SqliteStatement = Database.Statement<unknown[]>

/** Prepared statements kept per repository (see statement()). */
const MAX_STATEMENTS = 256

/** A clearance is current while it cleared the text whose hash the card has now. */
const CLEARANCE_COLUMNS = `l.card_id, l.ministry_id, l.user_id, u.name, l.at, l.version_id,
  (l.text_hash = c.answer_hash) AS current`

export class SqliteRepository implements Repository {
  /**
   * Prepared statements, kept by their SQL: preparing parses and plans the SQL again on every
   * call, and the permission re-check alone makes hundreds of these calls every two seconds.
   * Bounded, because a few statements are built for their arguments (an IN list, a SET list).
   */
  private readonly statements = new Map<string, SqliteStatement>()

  constructor(private readonly db: SqliteDatabase) {}

  private statement(sql: string): SqliteStatement {
    let prepared = this.statements.get(sql)
    if (!prepared) {
      prepared = this.db.prepare(sql)
      if (this.statements.size >= MAX_STATEMENTS) {
        // The oldest first: a Map keeps insertion order.
        const oldest = this.statements.keys().next().value
        if (oldest !== undefined) this.statements.delete(oldest)
      }
      this.statements.set(sql, prepared)
    }
    return prepared
  }

  async upsertMinistry(m: Ministry): Promise<void> {
    this.statement(
      `INSERT INTO ministries (id, short, name_id, name_en, aliases, color) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET short = excluded.short, name_id = excluded.name_id,
           name_en = excluded.name_en, aliases = excluded.aliases, color = excluded.color`,
    ).run(m.id, m.short, m.nameId, m.nameEn, JSON.stringify(m.aliases), m.color)
  }

  async listMinistries(): Promise<Ministry[]> {
    const rows = this.statement('SELECT * FROM ministries ORDER BY id').all() as MinistryRow[]
    return rows.map(toMinistry)
  }

  async createUser(user: NewUser): Promise<void> {
    this.statement(
      'INSERT INTO users (id, email, name, ministry_id, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(user.id, user.email, user.name, user.ministryId, user.passwordHash, Date.now())
  }

  async findUserByEmail(email: string): Promise<UserRecord | null> {
    const row = this.statement('SELECT * FROM users WHERE email = ?').get(email) as
      | UserRow
      | undefined
    return row ? toUser(row) : null
  }

  async findUserById(id: string): Promise<UserRecord | null> {
    const row = this.statement('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined
    return row ? toUser(row) : null
  }

  async findUsersByEmail(emails: readonly string[]): Promise<UserRecord[]> {
    if (emails.length === 0) return []
    const rows = this.statement(
      `SELECT * FROM users WHERE email IN (${emails.map(() => '?').join(', ')})`,
    ).all(...emails) as UserRow[]
    return rows.map(toUser)
  }

  async setPassword(userId: string, passwordHash: string): Promise<void> {
    this.statement('UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, userId)
  }

  async setUserDisabled(userId: string, at: number | null): Promise<void> {
    this.statement('UPDATE users SET disabled_at = ? WHERE id = ?').run(at, userId)
  }

  async createSession(tokenHash: string, s: SessionRecord): Promise<void> {
    this.statement(
      'INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    ).run(tokenHash, s.userId, s.createdAt, s.lastSeenAt, s.expiresAt)
  }

  async findSession(tokenHash: string): Promise<SessionRecord | null> {
    const row = this.statement(
      'SELECT user_id, created_at, last_seen_at, expires_at FROM sessions WHERE token_hash = ?',
    ).get(tokenHash) as SessionRow | undefined
    return row ? toSession(row) : null
  }

  async touchSession(tokenHash: string, lastSeenAt: number): Promise<void> {
    this.statement('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?').run(
      lastSeenAt,
      tokenHash,
    )
  }

  async deleteSession(tokenHash: string): Promise<void> {
    this.statement('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash)
  }

  async deleteSessionsOf(userId: string, keepTokenHash?: string): Promise<number> {
    const result = this.statement(
      'DELETE FROM sessions WHERE user_id = ? AND token_hash IS NOT ?',
    ).run(userId, keepTokenHash ?? null)
    return result.changes
  }

  async createToken(t: NewToken): Promise<void> {
    this.statement(
      `INSERT INTO tokens (id, user_id, token_hash, label, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(t.id, t.userId, t.tokenHash, t.label, t.createdAt, t.expiresAt)
  }

  async findToken(tokenHash: string): Promise<TokenRecord | null> {
    const row = this.statement(
      'SELECT id, user_id, label, created_at, expires_at, revoked_at FROM tokens WHERE token_hash = ?',
    ).get(tokenHash) as TokenRow | undefined
    return row ? toToken(row) : null
  }

  async listTokens(userId: string): Promise<TokenRecord[]> {
    const rows = this.statement(
      `SELECT id, user_id, label, created_at, expires_at, revoked_at FROM tokens
         WHERE user_id = ? ORDER BY created_at, id`,
    ).all(userId) as TokenRow[]
    return rows.map(toToken)
  }

  async revokeToken(id: string, at: number): Promise<TokenRecord | null> {
    this.statement('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(
      at,
      id,
    )
    const row = this.statement(
      'SELECT id, user_id, label, created_at, expires_at, revoked_at FROM tokens WHERE id = ?',
    ).get(id) as TokenRow | undefined
    return row ? toToken(row) : null
  }

  async createDeck(deck: NewDeck): Promise<void> {
    this.statement(
      `INSERT INTO decks (id, title, title_en, committee, state_party, clusters, ministry_ids, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      deck.id,
      deck.title,
      deck.titleEn,
      deck.committee,
      deck.stateParty,
      JSON.stringify(deck.clusters),
      JSON.stringify(deck.ministryIds),
      Date.now(),
    )
  }

  async getDeck(deckId: string): Promise<Deck | null> {
    const row = this.statement('SELECT * FROM decks WHERE id = ?').get(deckId) as
      | DeckRow
      | undefined
    return row ? toDeck(row, await this.listMinistries()) : null
  }

  async setDeckSuggestOnly(deckId: string, on: boolean): Promise<boolean> {
    const result = this.statement('UPDATE decks SET suggest_only = ? WHERE id = ?').run(
      on ? 1 : 0,
      deckId,
    )
    return result.changes > 0
  }

  async listDecksOf(userId: string): Promise<Array<{ id: string; title: string; role: Role }>> {
    return this.statement(
      `SELECT d.id AS id, d.title AS title, m.role AS role FROM memberships m
         JOIN decks d ON d.id = m.deck_id WHERE m.user_id = ? ORDER BY d.created_at`,
    ).all(userId) as Array<{ id: string; title: string; role: Role }>
  }

  async createCard(card: NewCard): Promise<void> {
    this.statement(
      `INSERT INTO cards (id, deck_id, ref, cluster, question_ref, question, question_id, articles,
           lead_ministry, contributing_ministries, status, time_budget_sec, word_count, position, extra,
           updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`,
    ).run(
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
    )
  }

  async getCard(cardId: string): Promise<Card | null> {
    const row = this.statement('SELECT * FROM cards WHERE id = ?').get(cardId) as
      | CardRow
      | undefined
    if (!row) return null
    const clearances = this.statement(
      `SELECT ${CLEARANCE_COLUMNS} FROM card_clearances l JOIN cards c ON c.id = l.card_id
         LEFT JOIN users u ON u.id = l.user_id WHERE l.card_id = ? ORDER BY l.at`,
    ).all(cardId) as ClearanceRow[]
    return toCard(row, clearances)
  }

  async listCards(deckId: string): Promise<Card[]> {
    const rows = this.statement('SELECT * FROM cards WHERE deck_id = ? ORDER BY position, ref').all(
      deckId,
    ) as CardRow[]
    const clearances = this.statement(
      `SELECT ${CLEARANCE_COLUMNS} FROM card_clearances l JOIN cards c ON c.id = l.card_id
         LEFT JOIN users u ON u.id = l.user_id WHERE c.deck_id = ? ORDER BY l.at`,
    ).all(deckId) as ClearanceRow[]
    return toCards(rows, clearances)
  }

  async updateCard(cardId: string, patch: CardPatch): Promise<Card | null> {
    const columns = cardPatchColumns(patch)
    const sets = columns.map(({ column }) => `${column} = ?`)
    const values = columns.map(({ value }) => value)
    if (sets.length > 0) {
      sets.push('updated_at = ?')
      values.push(Date.now())
      this.statement(`UPDATE cards SET ${sets.join(', ')} WHERE id = ?`).run(...values, cardId)
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
    const update = this.statement(
      `UPDATE cards SET word_count = ?, open_suggestions = ?, open_threads = ?,
         mentioned_ministries = ? WHERE id = ?`,
    )
    // One transaction, so one commit (and one fsync) for every card whose figures changed.
    this.db.transaction(() => {
      for (const { cardId, stats } of entries) {
        update.run(
          stats.wordCount,
          stats.openSuggestions,
          stats.openThreads,
          JSON.stringify(stats.mentionedMinistries),
          cardId,
        )
      }
    })()
  }

  async getRole(deckId: string, userId: string): Promise<Role | null> {
    const row = this.statement(
      'SELECT role FROM memberships WHERE deck_id = ? AND user_id = ?',
    ).get(deckId, userId) as { role: Role } | undefined
    return row?.role ?? null
  }

  async setMember(deckId: string, userId: string, role: Role): Promise<void> {
    this.statement(
      `INSERT INTO memberships (deck_id, user_id, role) VALUES (?, ?, ?)
         ON CONFLICT(deck_id, user_id) DO UPDATE SET role = excluded.role`,
    ).run(deckId, userId, role)
  }

  async removeMember(deckId: string, userId: string): Promise<boolean> {
    const result = this.statement('DELETE FROM memberships WHERE deck_id = ? AND user_id = ?').run(
      deckId,
      userId,
    )
    return result.changes > 0
  }

  async listMembers(deckId: string): Promise<Member[]> {
    return this.statement(
      `SELECT u.id AS userId, u.email AS email, u.name AS name, u.ministry_id AS ministryId,
           m.role AS role
         FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.deck_id = ? ORDER BY u.name`,
    ).all(deckId) as Member[]
  }

  async appendAudit(seal: (head: AuditHead | null) => AuditRecord[]): Promise<AuditRecord[]> {
    // IMMEDIATE takes the write lock before the head is read: another connection (the CLI
    // beside the server) cannot read the same head meanwhile and fork the chain.
    const insert = this.statement(
      `INSERT INTO audit_log (seq, at, actor_user_id, action, subject, details, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    const append = this.db.transaction((): AuditRecord[] => {
      const head =
        (this.statement('SELECT seq, hash FROM audit_head WHERE id = 1').get() as
          | AuditHead
          | undefined) ?? null
      const entries = seal(head)
      let previous = head
      for (const entry of entries) {
        if (entry.seq !== (previous?.seq ?? 0) + 1) {
          throw new Error(`audit entry ${entry.seq} does not follow the head ${previous?.seq ?? 0}`)
        }
        insert.run(
          entry.seq,
          entry.at,
          entry.actorUserId,
          entry.action,
          entry.subject,
          entry.details,
          entry.prevHash,
          entry.hash,
        )
        previous = { seq: entry.seq, hash: entry.hash }
      }
      if (previous && previous !== head) {
        this.statement(
          `INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?)
             ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`,
        ).run(previous.seq, previous.hash)
      }
      return entries
    })
    return append.immediate()
  }

  async listAudit(afterSeq: number, limit: number): Promise<AuditRecord[]> {
    const rows = this.statement('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?').all(
      afterSeq,
      limit,
    ) as AuditRow[]
    return rows.map(toAudit)
  }

  async addVersion(v: VersionRecord): Promise<void> {
    this.statement(
      `INSERT INTO card_versions
           (id, card_id, kind, name, created_at, created_by, words, state, state_vector)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      v.id,
      v.cardId,
      v.kind,
      v.name,
      v.createdAt,
      v.createdBy,
      v.words,
      Buffer.from(v.state),
      Buffer.from(v.snapshot),
    )
  }

  async listVersions(cardId: string): Promise<VersionSummary[]> {
    const rows = this.statement(
      `SELECT id, card_id, kind, name, created_at, created_by, words FROM card_versions
         WHERE card_id = ? ORDER BY created_at DESC, rowid DESC`,
    ).all(cardId) as VersionRow[]
    return rows.map(toVersionSummary)
  }

  async deleteVersions(cardId: string, ids: readonly string[]): Promise<void> {
    const remove = this.statement('DELETE FROM card_versions WHERE card_id = ? AND id = ?')
    this.db.transaction(() => {
      for (const id of ids) remove.run(cardId, id)
    })()
  }

  async versionBytes(cardId: string): Promise<number> {
    const row = this.statement(
      'SELECT COALESCE(SUM(LENGTH(state)), 0) AS bytes FROM card_versions WHERE card_id = ?',
    ).get(cardId) as { bytes: number }
    return row.bytes
  }

  async lastSessionAt(deckId: string): Promise<number | null> {
    const row = this.statement(
      `SELECT MAX(v.created_at) AS at FROM card_versions v JOIN cards c ON c.id = v.card_id
         WHERE c.deck_id = ? AND v.kind = 'session'`,
    ).get(deckId) as { at: number | null }
    return row.at
  }

  async listSessions(deckId: string): Promise<RakorSession[]> {
    const rows = this.statement(
      `SELECT seq, at, actor_user_id, details FROM audit_log
         WHERE subject = ? AND action = 'session.closed' ORDER BY seq`,
    ).all(`deck:${deckId}`) as SessionClosedRow[]
    return rows.map(toRakorSession)
  }

  async usersActiveInDeck(deckId: string, from: number, to: number): Promise<string[]> {
    const rows = this.statement(
      `SELECT e.user_id FROM card_edits e JOIN cards c ON c.id = e.card_id
           WHERE c.deck_id = ? AND e.at BETWEEN ? AND ?
         UNION
         SELECT v.user_id FROM card_visits v JOIN cards c ON c.id = v.card_id
           WHERE c.deck_id = ? AND v.at BETWEEN ? AND ?`,
    ).all(deckId, from, to, deckId, from, to) as Array<{ user_id: string }>
    return rows.map((row) => row.user_id).sort()
  }

  async cardsEditedSince(deckId: string, after: number): Promise<string[]> {
    const rows = this.statement(
      `SELECT c.id FROM cards c WHERE c.deck_id = ? AND EXISTS
           (SELECT 1 FROM card_edits e WHERE e.card_id = c.id AND e.at > ?)
         ORDER BY c.position, c.ref`,
    ).all(deckId, after) as Array<{ id: string }>
    return rows.map((row) => row.id)
  }

  async visitedVersionIds(cardId: string): Promise<Set<string>> {
    const rows = this.statement(
      'SELECT DISTINCT version_id FROM card_visits WHERE card_id = ?',
    ).all(cardId) as Array<{ version_id: string }>
    return new Set(rows.map((row) => row.version_id))
  }

  async getVersion(cardId: string, versionId: string): Promise<VersionRecord | null> {
    const row = this.statement('SELECT * FROM card_versions WHERE card_id = ? AND id = ?').get(
      cardId,
      versionId,
    ) as VersionRowWithState | undefined
    return row ? toVersion(row) : null
  }

  async writeEdits(writes: readonly EditWrite[]): Promise<number[]> {
    const insert = this.statement(
      `INSERT INTO card_edits
         (card_id, at, user_id, inserted, deleted, inserted_chars, deleted_chars, suggestions, comments)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    const update = this.statement(
      `UPDATE card_edits SET inserted = ?, deleted = ?, inserted_chars = ?, deleted_chars = ?,
         suggestions = ?, comments = ? WHERE seq = ?`,
    )
    return this.db.transaction(() =>
      writes.map(({ seq, edit }) => {
        const inserted = JSON.stringify(edit.inserted)
        const deleted = JSON.stringify(edit.deleted)
        const { insertedChars, deletedChars, suggestions, comments } = edit.counts
        const counts = [insertedChars, deletedChars, suggestions, comments] as const
        if (seq !== null && update.run(inserted, deleted, ...counts, seq).changes === 1) return seq
        const row = insert.run(edit.cardId, edit.at, edit.userId, inserted, deleted, ...counts)
        return Number(row.lastInsertRowid)
      }),
    )()
  }

  async listEdits(cardId: string, fromAt: number, toAt: number): Promise<EditRecord[]> {
    const rows = this.statement(
      `SELECT * FROM card_edits WHERE card_id = ? AND at BETWEEN ? AND ? ORDER BY at, seq`,
    ).all(cardId, fromAt, toAt) as EditRow[]
    return rows.map(toEditRecord)
  }

  async listActivity(query: ActivityQuery): Promise<ActivityRow[]> {
    // Each source is read newest first and cut at the limit; the service merges them.
    const byMinistry = query.ministryId === null ? '' : 'AND u.ministry_id = @ministryId'
    const byCard = query.cardId === null ? '' : 'AND c.id = @cardId'
    const params = {
      deckId: query.deckId,
      cardId: query.cardId,
      ministryId: query.ministryId,
      after: query.after,
      limit: query.limit,
    }
    const edits = this.statement(
      `SELECT e.* FROM card_edits e JOIN cards c ON c.id = e.card_id
           LEFT JOIN users u ON u.id = e.user_id
         WHERE c.deck_id = @deckId AND e.at > @after ${byCard} ${byMinistry}
         ORDER BY e.at DESC LIMIT @limit`,
    ).all(params) as EditRow[]
    const actions = query.actions.map((_, index) => `@action${index}`).join(', ')
    const audit = this.statement(
      `SELECT a.at, a.actor_user_id, a.action, a.subject, a.details FROM cards c
           JOIN audit_log a ON a.subject = 'card:' || c.id
           LEFT JOIN users u ON u.id = a.actor_user_id
         WHERE c.deck_id = @deckId AND a.at > @after AND a.action IN (${actions || "''"})
           ${byCard} ${byMinistry}
         ORDER BY a.at DESC LIMIT @limit`,
    ).all({
      ...params,
      ...Object.fromEntries(query.actions.map((action, index) => [`action${index}`, action])),
    }) as AuditActivityRow[]
    const versions = this.statement(
      `SELECT v.card_id, v.created_at, v.created_by, v.kind, v.name FROM card_versions v
           JOIN cards c ON c.id = v.card_id LEFT JOIN users u ON u.id = v.created_by
         WHERE c.deck_id = @deckId AND v.created_at > @after AND v.kind = 'session'
           ${byCard} ${byMinistry}
         ORDER BY v.created_at DESC LIMIT @limit`,
    ).all(params) as VersionActivityRow[]
    return [
      ...edits.map(editActivity),
      ...audit.map(auditActivity),
      ...versions.map(versionActivity),
    ]
  }

  async recordVisits(visits: readonly VisitRecord[]): Promise<void> {
    const insert = this.statement(
      `INSERT INTO card_visits (user_id, card_id, at, version_id) VALUES (?, ?, ?, ?)
       ON CONFLICT (user_id, card_id) DO UPDATE SET at = excluded.at, version_id = excluded.version_id
       WHERE excluded.at >= card_visits.at`,
    )
    this.db.transaction(() => {
      for (const visit of visits) insert.run(visit.userId, visit.cardId, visit.at, visit.versionId)
    })()
  }

  async getVisit(userId: string, cardId: string): Promise<VisitRecord | null> {
    const row = this.statement(
      'SELECT at, version_id FROM card_visits WHERE user_id = ? AND card_id = ?',
    ).get(userId, cardId) as { at: number; version_id: string } | undefined
    return row ? { userId, cardId, at: row.at, versionId: row.version_id } : null
  }

  async visitsOfDeck(userId: string, deckId: string): Promise<VisitSummary[]> {
    const rows = this.statement(
      `SELECT v.card_id, v.at,
           (SELECT COUNT(*) FROM card_edits e
             WHERE e.card_id = v.card_id AND e.at > v.at AND e.user_id != v.user_id) AS changes
         FROM card_visits v JOIN cards c ON c.id = v.card_id
         WHERE v.user_id = ? AND c.deck_id = ?`,
    ).all(userId, deckId) as Array<{ card_id: string; at: number; changes: number }>
    return rows.map((row) => ({ cardId: row.card_id, visitedAt: row.at, changes: row.changes }))
  }

  async latestVersion(cardId: string): Promise<{ id: string; snapshot: Uint8Array } | null> {
    const row = this.statement(
      `SELECT id, state_vector FROM card_versions WHERE card_id = ?
         ORDER BY created_at DESC, rowid DESC LIMIT 1`,
    ).get(cardId) as { id: string; state_vector: Buffer } | undefined
    return row ? { id: row.id, snapshot: new Uint8Array(row.state_vector) } : null
  }

  async getAuditHead(): Promise<AuditHead | null> {
    const row = this.statement('SELECT seq, hash FROM audit_head WHERE id = 1').get() as
      | AuditHead
      | undefined
    return row ?? null
  }
}
