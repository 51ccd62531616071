/**
 * Clearances, agreed-text hashes and focal persons in PostgreSQL (see signoff/signOff.ts), as
 * sqlite/SqliteSignOff.ts keeps them. Several nodes may write at once: where SQLite relies on its
 * single writer, this takes row locks (see setAnswerHashes and setFocalPersons).
 */
import type { Card, FocalPersons } from '@kartu/protocol'
import { type ClearanceRecordRow, toClearanceRecord } from '../rows.ts'
import type { Cards as CardRecords, ClearanceRecord, SignOffRecords } from '../types.ts'
import { inTransaction, type PgPool } from './database.ts'

const CLEARANCE_COLUMNS = 'card_id, ministry_id, user_id, at, text_hash, version_id'

export class PgSignOff implements SignOffRecords {
  constructor(
    private readonly pool: PgPool,
    private readonly cards: Pick<CardRecords, 'getCard'>,
  ) {}

  async putClearance(record: ClearanceRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO card_clearances (card_id, ministry_id, user_id, at, text_hash, version_id)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (card_id, ministry_id) DO UPDATE SET user_id = excluded.user_id,
         at = excluded.at, text_hash = excluded.text_hash, version_id = excluded.version_id`,
      [
        record.cardId,
        record.ministryId,
        record.userId,
        record.at,
        record.textHash,
        record.versionId,
      ],
    )
  }

  async deleteClearance(cardId: string, ministryId: string): Promise<boolean> {
    const result = await this.pool.query(
      'DELETE FROM card_clearances WHERE card_id = $1 AND ministry_id = $2',
      [cardId, ministryId],
    )
    return (result.rowCount ?? 0) > 0
  }

  async listClearances(cardId: string): Promise<ClearanceRecord[]> {
    // ministry_id breaks ties of `at`, which SQLite leaves to its scan order.
    const { rows } = await this.pool.query<ClearanceRecordRow>(
      `SELECT ${CLEARANCE_COLUMNS} FROM card_clearances WHERE card_id = $1
       ORDER BY at, ministry_id COLLATE "C"`,
      [cardId],
    )
    return rows.map(toClearanceRecord)
  }

  async setAnswerHashes(
    entries: ReadonlyArray<{ cardId: string; hash: string }>,
  ): Promise<ClearanceRecord[]> {
    if (entries.length === 0) return []
    const cardIds = [...new Set(entries.map((entry) => entry.cardId))]
    return inTransaction(this.pool, async (client) => {
      // The cards' rows are locked first, in id order (two writers lock in the same order and
      // cannot deadlock), and their hashes read under the lock: which clearances go stale is
      // decided against the hash this write replaces, never one another node writes meanwhile.
      const { rows } = await client.query<{ id: string; answer_hash: string | null }>(
        `SELECT id, answer_hash FROM cards WHERE id = ANY($1::text[])
         ORDER BY id COLLATE "C" FOR UPDATE`,
        [cardIds],
      )
      const before = new Map(rows.map((row) => [row.id, row.answer_hash]))
      const after = new Map(before)
      // Entry by entry, as SQLite does: a card named twice goes through both hashes, and the
      // clearances of the one in between go stale too. Unknown cards are skipped.
      const replaced: Array<{ cardId: string; hash: string }> = []
      for (const { cardId, hash } of entries) {
        if (!after.has(cardId)) continue
        const current = after.get(cardId) ?? null
        if (current === hash) continue
        if (current !== null) replaced.push({ cardId, hash: current })
        after.set(cardId, hash)
      }
      let stale: ClearanceRecord[] = []
      if (replaced.length > 0) {
        // Read after the lock was granted (a new statement sees what committed before it).
        const found = await client.query<ClearanceRecordRow>(
          `SELECT l.card_id, l.ministry_id, l.user_id, l.at, l.text_hash, l.version_id
           FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS r(card_id, hash, n)
           JOIN card_clearances l ON l.card_id = r.card_id AND l.text_hash = r.hash
           ORDER BY r.n, l.ministry_id COLLATE "C"`,
          [replaced.map((entry) => entry.cardId), replaced.map((entry) => entry.hash)],
        )
        stale = found.rows.map(toClearanceRecord)
      }
      const writes = [...after].filter(([id, hash]) => before.get(id) !== hash)
      if (writes.length > 0) {
        await client.query(
          `UPDATE cards SET answer_hash = w.hash
           FROM unnest($1::text[], $2::text[]) AS w(id, hash) WHERE cards.id = w.id`,
          [writes.map(([id]) => id), writes.map(([, hash]) => hash)],
        )
      }
      return stale
    })
  }

  async getAnswerHash(cardId: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ answer_hash: string | null }>(
      'SELECT answer_hash FROM cards WHERE id = $1',
      [cardId],
    )
    return rows[0]?.answer_hash ?? null
  }

  async listFocalPersons(deckId: string): Promise<FocalPersons[]> {
    const { rows } = await this.pool.query<{ ministry_id: string; user_id: string }>(
      `SELECT ministry_id, user_id FROM focal_persons WHERE deck_id = $1
       ORDER BY ministry_id COLLATE "C", user_id COLLATE "C"`,
      [deckId],
    )
    const byMinistry = new Map<string, string[]>()
    for (const row of rows) {
      const list = byMinistry.get(row.ministry_id) ?? []
      list.push(row.user_id)
      byMinistry.set(row.ministry_id, list)
    }
    return [...byMinistry].map(([ministryId, userIds]) => ({ ministryId, userIds }))
  }

  async listCardsDueBy(lastDay: string): Promise<Card[]> {
    // Dates are YYYY-MM-DD text: compared and sorted byte by byte, as SQLite does.
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT id FROM cards
       WHERE due_date IS NOT NULL AND due_date COLLATE "C" <= $1 AND status <> 'final'
       ORDER BY due_date COLLATE "C", position, id COLLATE "C"`,
      [lastDay],
    )
    const cards: Card[] = []
    for (const { id } of rows) {
      const card = await this.cards.getCard(id)
      if (card) cards.push(card)
    }
    return cards
  }

  async setFocalPersons(
    deckId: string,
    ministryId: string,
    userIds: readonly string[],
  ): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      // Two nodes replacing the same list would otherwise each delete only the rows they can
      // see and leave the union of both lists; the deck's row lock makes one wait for the other,
      // so the last writer's list stands, as in SQLite.
      await client.query('SELECT id FROM decks WHERE id = $1 FOR NO KEY UPDATE', [deckId])
      await client.query('DELETE FROM focal_persons WHERE deck_id = $1 AND ministry_id = $2', [
        deckId,
        ministryId,
      ])
      if (userIds.length === 0) return
      await client.query(
        `INSERT INTO focal_persons (deck_id, ministry_id, user_id)
         SELECT $1, $2, u FROM unnest($3::text[]) AS u
         ON CONFLICT DO NOTHING`,
        [deckId, ministryId, [...userIds]],
      )
    })
  }
}
